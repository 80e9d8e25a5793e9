package io.meridian.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads one {@code regions/*.yaml}; checks references against the known health checks. */
final class RegionParser {

    private static final Set<String> KEYS = Set.of("name", "priority", "weight", "min-up-fraction", "endpoints", "databases", "capacity",
            "capacity-report", "scale-hook");
    private static final Set<String> ENDPOINT_KEYS = Set.of("address", "port", "check");

    private RegionParser() {
    }

    /**
     * @param checks           names of the health checks defined
     * @param members          receives every database member read, with its position
     * @param endpointOwners   address:port → region already using it, filled as regions are read
     */
    static Optional<RegionConfig> parse(MappingReader r, String defaultName, Set<String> checks,
                                        Map<String, String> endpointOwners, java.nio.file.Path dir,
                                        List<DatabaseParser.Placed> members) {
        r.allowOnly(KEYS);
        String name = r.string("name", false).orElse(defaultName);
        if (!Names.isLabel(name)) {
            r.problem(r.position("name"), "name was '" + name + "' but must be letters, digits and '-' (a DNS label)");
        }
        Optional<Integer> priority = r.integer("priority", true, 1, 1000);
        int weight = r.integer("weight", false, 0, 255).orElse(100);
        double fraction = r.fraction("min-up-fraction").orElse(0.0);
        Optional<Double> capacity = r.number("capacity", 0, 1e12);
        Optional<CapacityReportConfig> report = RegionCapacityParser.report(r, capacity);
        Optional<ScaleHookConfig> hook = RegionCapacityParser.hook(r);
        List<EndpointConfig> endpoints = new ArrayList<>();
        int count = r.eachMapping("endpoints", true, e -> {
            e.allowOnly(ENDPOINT_KEYS);
            Optional<String> address = e.ipAddress("address", true);
            Optional<Integer> port = e.integer("port", true, 1, 65535);
            Optional<String> check = e.string("check", true);
            check.filter(c -> !checks.contains(c)).ifPresent(c -> e.problem(e.position("check"),
                    e.field("check") + " was '" + c + "' but no health check has that name (known: "
                            + String.join(", ", checks.stream().sorted().toList()) + ")"));
            if (address.isPresent() && port.isPresent() && check.isPresent()) {
                EndpointConfig ep = new EndpointConfig(address.get(), port.get(), check.get());
                String key = new HostPort(ep.address(), ep.port()).toString();
                String owner = endpointOwners.putIfAbsent(key, name);
                if (owner != null) {
                    e.problem(e.self(), e.field("address") + " " + key + " is already an endpoint of region '" + owner + "'");
                } else {
                    endpoints.add(ep);
                }
            }
        });
        if (count == 0 && r.has("endpoints")) {
            r.problem(r.position("endpoints"), "endpoints is empty but a region needs at least one endpoint");
        }
        List<DatabaseMember> databases = new ArrayList<>();
        r.eachMapping("databases", false, m -> DatabaseParser.member(m, name, dir).ifPresent(member -> {
            databases.add(member);
            members.add(new DatabaseParser.Placed(member, m));
        }));
        return priority.map(p -> new RegionConfig(name, p, weight, fraction, endpoints, databases, capacity, report, hook));
    }
}
