package io.meridian.dns.route53;

import io.meridian.clock.Clock;
import io.meridian.config.Route53Config;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53AsyncClient;
import software.amazon.awssdk.services.route53.Route53AsyncClientBuilder;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeBatch;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes to a Route 53 hosted zone through the AWS SDK v2 async client (see {@link Route53Records}
 * for the record mapping and ownership). One {@link #apply}: read the zone, compute the changes of
 * the names Meridian owns, send them as {@code ChangeResourceRecordSets} batches (one batch is
 * atomic; a name never spans two), then poll {@code GetChange} until every batch is {@code INSYNC} —
 * only then is the change reported done. Requests go through a {@link RequestPacer}.
 *
 * <pre>{@code
 * Route53Provider r53 = new Route53Provider(cfg, "example.com", Route53Provider.client(cfg, DefaultCredentialsProvider.builder().build()),
 *         vertx.getOrCreateContext(), Clock.system(), registry);
 * r53.apply(List.of(new DnsChange("app.example.com", Duration.ofSeconds(30), sets)));
 * }</pre>
 */
public final class Route53Provider implements DnsProvider {

    private static final int PAGE = 300;

    private final Route53Config config;
    private final String zone;
    private final Route53AsyncClient client;
    private final Context context;
    private final Clock clock;
    private final Route53Records records;
    private final RequestPacer pacer;
    private final Timer syncTime;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;

    public Route53Provider(Route53Config config, String zone, Route53AsyncClient client, Context context, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.zone = Route53Records.absolute(zone);
        this.client = client;
        this.context = context;
        this.clock = clock;
        this.records = new Route53Records(config.ownerPrefix(), config.style());
        this.pacer = new RequestPacer(context, clock, config.requestsPerSecond(), 6, 200, new Random());
        this.syncTime = Timer.builder("meridian.dns.route53.sync").description("from ChangeResourceRecordSets to INSYNC")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("meridian.dns.route53.pending", pending, AtomicInteger::get)
                .description("Route 53 changes submitted and not yet INSYNC").register(registry);
    }

    /** The SDK's async client on Netty, credentials from {@code credentials}; the SDK's own retries off (the pacer retries). */
    public static Route53AsyncClient client(Route53Config config, AwsCredentialsProvider credentials) {
        Route53AsyncClientBuilder b = Route53AsyncClient.builder()
                .region(Region.of(config.signingRegion()))
                .credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(30)));
        config.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    /** The client for the daemon: the default credential chain (environment, profile, instance role). */
    public static Route53AsyncClient client(Route53Config config) {
        return client(config, DefaultCredentialsProvider.builder().build());
    }

    @Override
    public String name() {
        return "route53";
    }

    @Override
    public Future<Void> apply(List<DnsChange> changes) {
        for (DnsChange c : changes) {
            String name = Route53Records.absolute(c.name());
            if (!name.equals(zone) && !name.endsWith("." + zone)) {
                return Future.failedFuture(error("record " + name + " is outside the zone " + zone + "; nothing was sent"));
            }
        }
        return listZone().compose(all -> {
            List<List<Change>> perName = new ArrayList<>();
            try {
                for (DnsChange c : changes) {
                    String name = Route53Records.absolute(c.name());
                    List<Change> diff = records.diff(name, all.getOrDefault(name, List.of()), records.desired(c));
                    if (!diff.isEmpty()) {
                        perName.add(diff);
                    }
                }
                return submit(Route53Records.batches(perName));
            } catch (RuntimeException e) {
                return Future.failedFuture(error(e.getMessage() + "; nothing was sent"));
            }
        });
    }

    @Override
    public Future<List<DnsChange>> drift(List<DnsChange> published) {
        return listZone().map(all -> published.stream().filter(c -> {
            String name = Route53Records.absolute(c.name());
            try {
                return !records.diff(name, all.getOrDefault(name, List.of()), records.desired(c)).isEmpty();
            } catch (IllegalStateException foreign) {
                return true;
            }
        }).toList());
    }

    /** Sends the batches one after the other, then waits until all are INSYNC. */
    private Future<Void> submit(List<List<Change>> batches) {
        Future<List<ChangeInfo>> sent = Future.succeededFuture(new ArrayList<>());
        for (List<Change> batch : batches) {
            sent = sent.compose(infos -> pacer.send(what("ChangeResourceRecordSets (" + batch.size() + " changes)"),
                    () -> client.changeResourceRecordSets(r -> r.hostedZoneId(config.hostedZoneId())
                            .changeBatch(ChangeBatch.builder().comment("meridian").changes(batch).build())))
                    .map(response -> {
                        infos.add(response.changeInfo());
                        return infos;
                    }));
        }
        return sent.compose(infos -> Future.all(infos.stream().map(this::awaitInsync).toList())).mapEmpty();
    }

    private Future<Void> awaitInsync(ChangeInfo info) {
        long submitted = clock.monotonicNanos();
        long deadline = submitted + config.syncTimeout().toNanos();
        pending.incrementAndGet();
        Promise<Void> done = Promise.promise();
        poll(info, submitted, deadline, done);
        return done.future().onComplete(ar -> pending.decrementAndGet());
    }

    private void poll(ChangeInfo info, long submitted, long deadline, Promise<Void> done) {
        if (info.status() == ChangeStatus.INSYNC) {
            syncTime.record(clock.monotonicNanos() - submitted, TimeUnit.NANOSECONDS);
            done.complete();
            return;
        }
        if (closed) {
            done.fail(error("closed while change " + info.id() + " was " + info.statusAsString()));
            return;
        }
        if (clock.monotonicNanos() >= deadline) {
            done.fail(error("change " + info.id() + " still " + info.statusAsString() + " after " + config.syncTimeout()));
            return;
        }
        context.owner().setTimer(config.syncPoll().toMillis(), t -> pacer.send(what("GetChange " + info.id()),
                        () -> client.getChange(r -> r.id(info.id())))
                .onSuccess(r -> poll(r.changeInfo(), submitted, deadline, done))
                .onFailure(done::fail));
    }

    /** Every record set of the zone, by name, page by page. */
    private Future<Map<String, List<ResourceRecordSet>>> listZone() {
        Map<String, List<ResourceRecordSet>> byName = new LinkedHashMap<>();
        Promise<Map<String, List<ResourceRecordSet>>> done = Promise.promise();
        page(null, byName, done);
        return done.future();
    }

    private void page(ListResourceRecordSetsResponse previous, Map<String, List<ResourceRecordSet>> byName,
                      Promise<Map<String, List<ResourceRecordSet>>> done) {
        pacer.send(what("ListResourceRecordSets"), () -> client.listResourceRecordSets(r -> {
            r.hostedZoneId(config.hostedZoneId()).maxItems(String.valueOf(PAGE));
            if (previous != null) {
                r.startRecordName(previous.nextRecordName()).startRecordType(previous.nextRecordType())
                        .startRecordIdentifier(previous.nextRecordIdentifier());
            }
        })).onSuccess(r -> {
            r.resourceRecordSets().forEach(rrs -> byName.computeIfAbsent(Route53Records.absolute(rrs.name()), n -> new ArrayList<>()).add(rrs));
            if (Boolean.TRUE.equals(r.isTruncated())) {
                page(r, byName, done);
            } else {
                done.complete(byName);
            }
        }).onFailure(done::fail);
    }

    private String what(String operation) {
        return "route53 provider, hosted zone " + config.hostedZoneId() + " (" + zone + ")"
                + config.endpoint().map(e -> " at " + e).orElse("") + ": " + operation;
    }

    private IllegalStateException error(String message) {
        return new IllegalStateException(what(message));
    }

    public void close() {
        closed = true;
        client.close();
    }
}
