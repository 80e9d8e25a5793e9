package io.meridian.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Route 53 REST/XML API (2013-04-01), enough for Meridian's provider:
 * {@code ChangeResourceRecordSets}, {@code ListResourceRecordSets} (paged) and {@code GetChange}.
 * It checks that requests are SigV4-signed for {@code route53} with the expected access key,
 * validates change batches the way Route 53 does (size limit, DELETE must match exactly, CREATE
 * must not exist, no simple record beside weighted/failover ones of the same type, weight 0–255),
 * applies a batch all or nothing, answers {@code PENDING} and later {@code INSYNC}, and injects
 * throttling or 5xx errors on request. Route 53 itself cannot be reached from the test machines.
 */
public final class Route53StandIn implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIDMERIDIANTEST";
    public static final String SECRET_KEY = "meridian-test-secret";
    private static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static final Pattern ZONE_RRSET = Pattern.compile("/2013-04-01/hostedzone/([^/]+)/rrset/?");
    private static final Pattern CHANGE = Pattern.compile("/2013-04-01/change/([^/]+)");

    /** One record set as Route 53 keeps it. */
    public record Rrs(String name, String type, String setId, Long weight, String failover, long ttl, List<String> values) {
        String key() {
            return name + "|" + type + "|" + (setId == null ? "" : setId);
        }
    }

    /** A request as it arrived: monotonic time, method, path. */
    public record Seen(long nanos, String method, String path) {
    }

    private record Fault(int status, String code) {
    }

    private final Vertx vertx;
    private final String zoneId;
    private final String zone;
    private final Map<String, Rrs> records = new TreeMap<>(Comparator.naturalOrder());
    private final Map<String, Integer> changes = new ConcurrentHashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile int pendingPolls = 1;
    private volatile boolean stuckPending;
    private HttpServer server;
    private int changeSeq;

    public Route53StandIn(Vertx vertx, String zoneId, String zone) {
        this.vertx = vertx;
        this.zoneId = zoneId;
        this.zone = absolute(zone);
    }

    public Route53StandIn start() throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            seen.add(new Seen(System.nanoTime(), req.method().name(), req.path()));
            synchronized (this) {
                handle(req, body.toString(StandardCharsets.UTF_8));
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return this;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** The next {@code n} requests fail with this HTTP status and Route 53 error code. */
    public synchronized void failNext(int n, int status, String code) {
        for (int i = 0; i < n; i++) {
            faults.add(new Fault(status, code));
        }
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    /** How many {@code GetChange} calls answer {@code PENDING} before {@code INSYNC}. */
    public void pendingPolls(int n) {
        pendingPolls = n;
    }

    /** Changes never reach {@code INSYNC}. */
    public void stuckPending(boolean stuck) {
        stuckPending = stuck;
    }

    public List<Seen> requests() {
        return List.copyOf(seen);
    }

    /** Every record set at {@code name}. */
    public synchronized List<Rrs> recordSets(String name) {
        return records.values().stream().filter(r -> r.name().equals(absolute(name))).toList();
    }

    /** The addresses resolvers could get for {@code name} (all A and AAAA values, any routing). */
    public synchronized Set<String> addresses(String name) {
        Set<String> out = new TreeSet<>();
        recordSets(name).stream().filter(r -> r.type().equals("A") || r.type().equals("AAAA")).forEach(r -> out.addAll(r.values()));
        return out;
    }

    /** A record set made by hand, as with the console. */
    public synchronized void put(Rrs rrs) {
        records.put(rrs.key(), rrs);
    }

    private void handle(HttpServerRequest req, String body) {
        HttpServerResponse res = req.response().putHeader("x-amzn-RequestId", "req-" + seen.size());
        String auth = Objects.requireNonNullElse(req.getHeader("Authorization"), "");
        if (!auth.startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/") || !auth.contains("/route53/aws4_request")
                || !auth.contains("Signature=")) {
            error(res, 403, "InvalidClientTokenId", "The security token included in the request is invalid: " + auth);
            return;
        }
        Fault fault = faults.poll();
        if (fault != null) {
            error(res, fault.status(), fault.code(), fault.code().equals("Throttling") ? "Rate exceeded" : "injected " + fault.code());
            return;
        }
        Matcher rrset = ZONE_RRSET.matcher(req.path());
        Matcher change = CHANGE.matcher(req.path());
        if (rrset.matches() && !rrset.group(1).equals(zoneId)) {
            error(res, 404, "NoSuchHostedZone", "No hosted zone found with ID: " + rrset.group(1));
        } else if (rrset.matches() && req.method().name().equals("POST")) {
            changeResourceRecordSets(res, body);
        } else if (rrset.matches() && req.method().name().equals("GET")) {
            list(req, res);
        } else if (change.matches() && req.method().name().equals("GET")) {
            getChange(res, change.group(1));
        } else {
            error(res, 404, "UnknownOperation", req.method() + " " + req.path());
        }
    }

    private void changeResourceRecordSets(HttpServerResponse res, String body) {
        Element batch;
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
            batch = child(doc.getDocumentElement(), "ChangeBatch");
        } catch (Exception e) {
            error(res, 400, "MalformedInput", "cannot parse the request body: " + e.getMessage());
            return;
        }
        Map<String, Rrs> next = new TreeMap<>(records);
        List<String> problems = new ArrayList<>();
        int cost = 0;
        List<Element> list = children(child(batch, "Changes"), "Change");
        for (Element c : list) {
            String action = text(c, "Action");
            Rrs rrs = rrs(child(c, "ResourceRecordSet"), problems);
            if (rrs == null) {
                continue;
            }
            cost += action.equals("DELETE") ? rrs.values().size() : 2 * rrs.values().size();
            Rrs existing = next.get(rrs.key());
            switch (action) {
                case "CREATE" -> {
                    if (existing != null) {
                        problems.add("Tried to create resource record set [name='" + rrs.name() + "', type='" + rrs.type() + "'] but it already exists");
                    }
                    next.put(rrs.key(), rrs);
                }
                case "UPSERT" -> next.put(rrs.key(), rrs);
                case "DELETE" -> {
                    if (existing == null || !sameRecord(existing, rrs)) {
                        problems.add("Tried to delete resource record set [name='" + rrs.name() + "', type='" + rrs.type()
                                + "', set-identifier='" + rrs.setId() + "'] but the values provided do not match the current values");
                    }
                    next.remove(rrs.key());
                }
                default -> problems.add("Invalid Action '" + action + "'");
            }
        }
        if (list.isEmpty() || list.size() > 1000 || cost > 1000) {
            problems.add("Number of records limit of 1000 exceeded or no changes (" + list.size() + " changes, cost " + cost + ")");
        }
        conflicts(next, problems);
        if (!problems.isEmpty()) {
            error(res, 400, "InvalidChangeBatch", String.join("; ", problems));
            return;
        }
        records.clear();
        records.putAll(next);
        String id = "C" + (++changeSeq);
        changes.put(id, 0);
        xml(res, "<ChangeResourceRecordSetsResponse xmlns=\"" + NS + "\">" + changeInfo(id, "PENDING") + "</ChangeResourceRecordSetsResponse>");
    }

    private Rrs rrs(Element e, List<String> problems) {
        String name = absolute(text(e, "Name"));
        String type = text(e, "Type");
        String setId = text(e, "SetIdentifier");
        String weight = text(e, "Weight");
        String failover = text(e, "Failover");
        String ttl = text(e, "TTL");
        List<String> values = children(child(e, "ResourceRecords"), "ResourceRecord").stream().map(r -> text(r, "Value")).toList();
        int before = problems.size();
        if (!name.equals(zone) && !name.endsWith("." + zone)) {
            problems.add("RRSet with DNS name " + name + " is not permitted in zone " + zone);
        }
        if (ttl == null || values.isEmpty()) {
            problems.add("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]] for " + name);
        }
        if ((weight != null || failover != null) != (setId != null)) {
            problems.add("Invalid request: a SetIdentifier goes with exactly one of Weight or Failover (" + name + ")");
        }
        if (weight != null && (Long.parseLong(weight) < 0 || Long.parseLong(weight) > 255)) {
            problems.add("Invalid weight " + weight + " for " + name + ": must be 0-255");
        }
        if (failover != null && !failover.equals("PRIMARY") && !failover.equals("SECONDARY")) {
            problems.add("Invalid failover " + failover);
        }
        if (problems.size() > before) {
            return null;
        }
        return new Rrs(name, type, setId, weight == null ? null : Long.parseLong(weight), failover, Long.parseLong(ttl),
                values.stream().sorted().toList());
    }

    /** Route 53 refuses a simple record set beside routed ones of the same name and type, and mixed routing. */
    private static void conflicts(Map<String, Rrs> next, List<String> problems) {
        Map<String, Set<String>> kinds = new TreeMap<>();
        for (Rrs r : next.values()) {
            String kind = r.setId() == null ? "simple" : r.weight() != null ? "weighted" : "failover";
            kinds.computeIfAbsent(r.name() + " " + r.type(), k -> new TreeSet<>()).add(kind);
        }
        kinds.forEach((nameType, k) -> {
            if (k.size() > 1) {
                problems.add("RRSet of type " + nameType.split(" ")[1] + " with DNS name " + nameType.split(" ")[0]
                        + " is not permitted because a conflicting RRSet of type " + nameType.split(" ")[1] + " with the same DNS name already exists " + k);
            }
        });
    }

    private static boolean sameRecord(Rrs a, Rrs b) {
        return a.ttl() == b.ttl() && Objects.equals(a.weight(), b.weight()) && Objects.equals(a.failover(), b.failover())
                && a.values().equals(b.values());
    }

    private void list(HttpServerRequest req, HttpServerResponse res) {
        int max = Integer.parseInt(Objects.requireNonNullElse(req.getParam("maxitems"), "300"));
        if (max < 1 || max > 300) {
            error(res, 400, "InvalidInput", "maxitems must be 1-300, was " + max);
            return;
        }
        String startName = req.getParam("name");
        String start = startName == null ? "" : absolute(startName) + "|" + Objects.requireNonNullElse(req.getParam("type"), "")
                + "|" + Objects.requireNonNullElse(req.getParam("identifier"), "");
        List<Rrs> all = records.values().stream().filter(r -> r.key().compareTo(start) >= 0).toList();
        StringBuilder b = new StringBuilder("<ListResourceRecordSetsResponse xmlns=\"" + NS + "\"><ResourceRecordSets>");
        all.stream().limit(max).forEach(r -> {
            b.append("<ResourceRecordSet><Name>").append(esc(r.name())).append("</Name><Type>").append(r.type()).append("</Type>");
            if (r.setId() != null) {
                b.append("<SetIdentifier>").append(esc(r.setId())).append("</SetIdentifier>");
            }
            if (r.weight() != null) {
                b.append("<Weight>").append(r.weight()).append("</Weight>");
            }
            if (r.failover() != null) {
                b.append("<Failover>").append(r.failover()).append("</Failover>");
            }
            b.append("<TTL>").append(r.ttl()).append("</TTL><ResourceRecords>");
            r.values().forEach(v -> b.append("<ResourceRecord><Value>").append(esc(v)).append("</Value></ResourceRecord>"));
            b.append("</ResourceRecords></ResourceRecordSet>");
        });
        b.append("</ResourceRecordSets><IsTruncated>").append(all.size() > max).append("</IsTruncated>");
        if (all.size() > max) {
            Rrs n = all.get(max);
            b.append("<NextRecordName>").append(esc(n.name())).append("</NextRecordName><NextRecordType>").append(n.type()).append("</NextRecordType>");
            if (n.setId() != null) {
                b.append("<NextRecordIdentifier>").append(esc(n.setId())).append("</NextRecordIdentifier>");
            }
        }
        xml(res, b.append("<MaxItems>").append(max).append("</MaxItems></ListResourceRecordSetsResponse>").toString());
    }

    private void getChange(HttpServerResponse res, String rawId) {
        String id = rawId.startsWith("change/") ? rawId.substring(7) : rawId;
        Integer polls = changes.get(id);
        if (polls == null) {
            error(res, 404, "NoSuchChange", "A change with the specified change ID does not exist: " + id);
            return;
        }
        changes.put(id, polls + 1);
        String status = !stuckPending && polls + 1 >= pendingPolls ? "INSYNC" : "PENDING";
        xml(res, "<GetChangeResponse xmlns=\"" + NS + "\">" + changeInfo(id, status) + "</GetChangeResponse>");
    }

    private static String changeInfo(String id, String status) {
        return "<ChangeInfo><Id>/change/" + id + "</Id><Status>" + status + "</Status><SubmittedAt>2026-11-27T00:00:00.000Z</SubmittedAt></ChangeInfo>";
    }

    private static void error(HttpServerResponse res, int status, String code, String message) {
        res.setStatusCode(status);
        xml(res, "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code
                + "</Code><Message>" + esc(message) + "</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>");
    }

    private static void xml(HttpServerResponse res, String body) {
        res.putHeader("Content-Type", "text/xml").end("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body);
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && (e.getLocalName() == null ? e.getTagName() : e.getLocalName()).equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String absolute(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
