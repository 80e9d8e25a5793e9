package io.meridian.daemon;

import io.meridian.api.ApiServer;
import io.meridian.clock.Clock;
import io.meridian.config.CheckType;
import io.meridian.config.ConfigSource;
import io.meridian.config.ReloadOutcome;
import io.meridian.config.MeridianConfig;
import io.meridian.config.DatabaseClusterConfig;
import io.meridian.config.DatabaseKind;
import io.meridian.config.DnsConfig;
import io.meridian.config.Route53Config;
import io.meridian.dns.AllProviders;
import io.meridian.dns.DnsProvider;
import io.meridian.dns.embedded.EmbeddedDnsServer;
import io.meridian.dns.rfc2136.Rfc2136Provider;
import io.meridian.dns.route53.Route53Provider;
import io.meridian.probe.ProbeScheduler;
import io.meridian.replication.DatabaseManager;
import io.meridian.replication.PostgresReplication;
import io.meridian.replication.RedisReplication;
import io.meridian.act.Actuator;
import io.meridian.coord.Coordination;
import io.meridian.coord.StateJson;
import io.meridian.coord.VantageReport;
import io.meridian.coord.etcd.EtcdCoordination;
import io.meridian.coord.local.LocalCoordination;
import io.meridian.coord.local.StateFiles;
import io.meridian.replication.FenceHook;
import io.meridian.replication.StepGate;
import io.meridian.probe.Prober;
import io.meridian.probe.dns.DnsProber;
import io.meridian.probe.http.HttpProber;
import io.meridian.probe.tls.TlsProber;
import io.meridian.probe.tcp.TcpProber;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.management.UnixOperatingSystemMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Meridian daemon: embedded DNS server, probes, controller and API, all driven from this
 * verticle's event loop.
 *
 * <pre>{@code
 * DaemonVerticle daemon = new DaemonVerticle(config, Clock.system(), router -> { });
 * vertx.deployVerticle(daemon).onSuccess(id -> System.out.println(daemon.dnsPort()));
 * }</pre>
 */
public final class DaemonVerticle extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(DaemonVerticle.class);

    private MeridianConfig config; // replaced by a reload (only in what may change while running)
    private final Clock clock;
    private final Consumer<Router> extraRoutes;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private EmbeddedDnsServer dns;
    private ProbeScheduler scheduler;
    private ApiServer api;
    private Controller controller;
    private int dnsPort;
    private int apiPort;
    private long tickTimer = -1;
    private final List<Long> reconcileTimers = new ArrayList<>();
    private StateFiles state;
    private Rfc2136Provider rfc2136;
    private Route53Provider route53;
    private DatabaseManager databases;
    private DrillScheduler drillSchedule;
    private StepGate stepGate = StepGate.OPEN;
    private DescriptorBudget budget;
    private Coordination coord;
    private Actuator act;
    private AnswerSnapshot snapshot;
    private ConfigSource source;
    private Reloader reloader;
    private CapacityWatch capacities;

    public DaemonVerticle(MeridianConfig config, Clock clock, Consumer<Router> extraRoutes) {
        this.config = config;
        this.clock = clock;
        this.extraRoutes = extraRoutes;
    }

    @Override
    public Future<?> start() {
        return StateFiles.open(vertx, config.api().stateDir(), config.api().journal()).compose(files -> {
            state = files;
            io.micrometer.core.instrument.Gauge.builder("meridian.state.writable", files, f -> f.writable() ? 1 : 0)
                    .description("0 since a write to the state directory failed (journal or overrides: disk full, read-only); operator changes are refused").register(registry);
            if (!files.repair().isEmpty()) {
                log.warn("journal: {}", files.repair());
            }
            files.restored().forEach(o -> log.info("restored override: {}", o.describe()));
            budget = descriptorBudget();
            log.info("{}", budget.describe());
            dns = new EmbeddedDnsServer(config.dns().withTcp(budget.dns()), config.clients(), registry, clock.wallTime().getEpochSecond());
            Optional<DnsProvider> remote;
            try {
                remote = remoteProviders();
            } catch (IOException e) {
                return Future.failedFuture(e);
            }
            java.util.function.Function<JsonObject, Future<JsonObject>> history = e -> controller.journal(e);
            coord = config.coordination().etcd()
                    ? new EtcdCoordination(vertx, context, clock, config.coordination(), config.vantage(), this::apiUrl, history)
                    : new LocalCoordination(config.vantage(), "", files, history);
            act = new Actuator(coord, remote, dns, new FenceHook(vertx), () -> clock.wallTime().toString());
            coordinationMeters();
            controller = new Controller(config, clock, coord, act, new ControllerMetrics(registry), files);
            controller.scaleHook(new io.meridian.act.ScaleHook(vertx));
            capacities = new CapacityWatch(vertx, controller, new io.meridian.probe.http.CapacityReader(vertx, clock));
            HttpProber http = new HttpProber(vertx, clock, config.vantage());
            Map<CheckType, Prober> probers = Map.of(
                    CheckType.HTTP, http,
                    CheckType.HTTPS, http,
                    CheckType.TCP, new TcpProber(vertx, clock),
                    CheckType.DNS, new DnsProber(vertx, clock),
                    CheckType.TLS, new TlsProber(vertx, clock));
            Timer lag = Timer.builder("meridian.probe.lag").description("how late probes start against their schedule")
                    .publishPercentiles(0.5, 0.99).register(registry);
            scheduler = new ProbeScheduler(vertx, clock, probers, controller::onResult, new Random(),
                    budget.probes(), nanos -> lag.record(nanos, TimeUnit.NANOSECONDS));
            if (!config.databases().isEmpty()) {
                Duration dbTimeout = config.databases().stream().map(DatabaseClusterConfig::timeout).max(Duration::compareTo).orElseThrow();
                databases = new DatabaseManager(vertx, clock, config, Map.of(
                        DatabaseKind.POSTGRES, new PostgresReplication(vertx, dbTimeout),
                        DatabaseKind.REDIS, new RedisReplication(vertx, dbTimeout)), act, coord.leadership()::acting, history, stepGate, registry);
            }
            reloader = new Reloader(vertx, context, source, () -> config, controller, this::take);
            api = new ApiServer(vertx, controller, registry, extraRoutes, Optional.ofNullable(databases), budget.api(), reloader::reload);
            DrillRunner drills = new DrillRunner(vertx, clock, controller, Optional.ofNullable(databases),
                    new DrillReports(vertx, config.api().stateDir().resolve("drills")));
            api.drills(drills);
            drillSchedule = new DrillScheduler(vertx, clock, controller, drills);
            snapshot = new AnswerSnapshot(vertx, config.api().stateDir().resolve(AnswerSnapshot.FILE));
            return config.coordination().etcd() ? snapshot.load().onSuccess(saved -> saved.forEach(controller.shared()::onDesired)).compose(v -> dns.start())
                    : dns.start();
        }).compose(port -> {
            dnsPort = port;
            return api.start(config.api().listen().host(), config.api().listen().port());
        }).compose(port -> {
            apiPort = port;
            coord.shared().watch(StateJson.DESIRED, (key, value) -> {
                controller.shared().onDesired(key, value);
                snapshot.changed(key, value);
            });
            coord.shared().watch("state/", controller.shared()::onSharedState);
            coord.observations().source(() -> {
                VantageReport r = controller.shared().report(apiUrl());
                if (databases == null) {
                    return r;
                }
                Map<String, io.meridian.health.ReportedView> all = new java.util.LinkedHashMap<>(r.targets());
                all.putAll(databases.report());
                return new VantageReport(r.vantage(), r.api(), all);
            });
            coord.observations().onReport(controller.shared()::onReport);
            if (databases != null) {
                databases.onViewChange(coord.observations()::changed);
                coord.observations().onReport((v, r) -> databases.onReport(v, r.map(VantageReport::targets)));
            }
            coord.leadership().onChange(term -> term.ifPresent(t -> {
                controller.lead(t);
                if (databases != null) {
                    databases.lead(t);
                }
            }));
            return coord.start();
        }).onSuccess(v -> {
            // Nothing is known yet: the fail-open answer (or the last answers kept on disk) so names resolve from the first second.
            controller.tick();
            // Holds, staleness and weight steps move with time, not only with results.
            tickTimer = vertx.setPeriodic(config.automation().tick().toMillis(), id -> controller.tick());
            config.dns().rfc2136().filter(u -> !u.reconcile().isZero()).ifPresent(u -> reconcileTimers.add(
                    vertx.setPeriodic(u.reconcile().toMillis(), id -> controller.reconcile(rfc2136, u.repair()))));
            config.dns().route53().filter(r -> !r.reconcile().isZero()).ifPresent(r -> reconcileTimers.add(
                    vertx.setPeriodic(r.reconcile().toMillis(), id -> controller.reconcile(route53, r.repair()))));
            scheduler.start(controller.targets());
            capacities.update(config);
            drillSchedule.start();
            if (databases != null) {
                databases.start();
            }
            log.info("meridian up: vantage {}, zone {}, DNS on {}:{} (udp+tcp; {}), API on {}, probing {} targets ({} transport), coordination {}, state in {}",
                    config.vantage(), config.dns().zone(), config.dns().listen().host(), dnsPort, dns.transport(), apiUrl(),
                    controller.targets().size(), vertx.isNativeTransportEnabled() ? "epoll" : "nio", coord.kind(), config.api().stateDir());
        }).onFailure(err -> stopAll());
    }

    /** Takes a checked configuration (see {@link Reloader}): every part that holds what may change gets it. */
    private void take(MeridianConfig next) {
        MeridianConfig was = config;
        config = next;
        controller.reconfigure(next);
        scheduler.update(controller.targets());
        capacities.update(next);
        dns.clients(next.clients());
        api.tokens(next.api().tokens());
        if (!was.logging().equals(next.logging())) {
            LogSetup.apply(was.logging(), next.logging());
        }
        if (!was.automation().tick().equals(next.automation().tick())) {
            vertx.cancelTimer(tickTimer);
            tickTimer = vertx.setPeriodic(next.automation().tick().toMillis(), id -> controller.tick());
        }
    }

    /** Loads the configuration again (SIGHUP, {@code meridian reload}, {@code POST /v1/reload}): see {@link Reloader}. */
    public Future<ReloadOutcome> reload(String actor) {
        return reloader.reload(actor);
    }

    /** Where a reload reads the configuration from. Call before deploying; without one, a reload changes nothing. */
    public DaemonVerticle reloadFrom(ConfigSource from) {
        this.source = from;
        return this;
    }

    /** Whether this daemon acts, whether the store answers, refused actions, and the report traffic (etcd). */
    private void coordinationMeters() {
        io.micrometer.core.instrument.Gauge.builder("meridian.coord.acting", () -> coord.leadership().acting().isPresent() ? 1 : 0)
                .description("1 while this daemon leads and may act").register(registry);
        io.micrometer.core.instrument.Gauge.builder("meridian.coord.store.up", () -> coord.unavailable().isEmpty() ? 1 : 0)
                .description("1 while the coordination store answers (0: nothing acts, the last answers are served)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("meridian.actions.refused", act, Actuator::refused)
                .description("actions refused because the term they were decided under is no longer current").register(registry);
        if (coord instanceof EtcdCoordination etcd) {
            io.micrometer.core.instrument.FunctionCounter.builder("meridian.coord.reports.written", etcd, e -> e.reportTraffic()[0])
                    .description("vantage reports written to etcd").register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("meridian.coord.report.bytes", etcd, e -> e.reportTraffic()[1])
                    .description("bytes of vantage reports written to etcd").baseUnit("bytes").register(registry);
        }
    }

    /** This daemon's API as the others reach it (the leader's is where followers forward changes). */
    private String apiUrl() {
        return (config.api().tls().isPresent() ? "https" : "http") + "://" + config.api().listen().host() + ":" + apiPort;
    }

    /**
     * Descriptors for probes are set aside first: one per target, two per database member (a round and
     * a fence may overlap), a few for the DNS providers' clients.
     */
    private DescriptorBudget descriptorBudget() {
        int targets = config.regions().stream().mapToInt(r -> r.endpoints().size()).sum();
        int members = config.regions().stream().mapToInt(r -> r.databases().size()).sum();
        int probeSlots = Math.min(ProbeScheduler.DEFAULT_MAX_IN_FLIGHT, targets + 2 * members + 16);
        long limit = -1;
        long open = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            limit = unix.getMaxFileDescriptorCount();
            open = unix.getOpenFileDescriptorCount();
        }
        return DescriptorBudget.plan(limit, open, probeSlots, config.dns().tcp(), config.api().limits());
    }

    /** An RFC 2136 primary and a Route 53 hosted zone when configured (the embedded server is always there). */
    private Optional<DnsProvider> remoteProviders() throws IOException {
        List<DnsProvider> all = new ArrayList<>();
        if (config.dns().rfc2136().isPresent()) {
            DnsConfig.Rfc2136Config u = config.dns().rfc2136().get();
            rfc2136 = new Rfc2136Provider(u.server(), config.dns().zone(), u.key(), context);
            all.add(rfc2136);
        }
        if (config.dns().route53().isPresent()) {
            Route53Config r = config.dns().route53().get();
            route53 = new Route53Provider(r, config.dns().zone(), Route53Provider.client(r), context, clock, registry);
            all.add(route53);
        }
        return all.isEmpty() ? Optional.empty() : Optional.of(all.size() == 1 ? all.get(0) : new AllProviders(all));
    }

    /** Holds role-change steps back: for crash drills (stop the daemon while a step waits). Call before deploying. */
    public DaemonVerticle stepGate(StepGate gate) {
        this.stepGate = gate;
        return this;
    }

    @Override
    public Future<?> stop() {
        return stopAll();
    }

    private Future<?> stopAll() {
        if (drillSchedule != null) {
            drillSchedule.stop();
        }
        if (databases != null) {
            databases.stop();
        }
        if (scheduler != null) {
            scheduler.stop();
        }
        if (capacities != null) {
            capacities.stop();
        }
        if (tickTimer >= 0) {
            vertx.cancelTimer(tickTimer);
        }
        reconcileTimers.forEach(vertx::cancelTimer);
        Future<Void> coordStopped = coord == null ? Future.succeededFuture() : coord.stop();
        if (rfc2136 != null) {
            rfc2136.close();
        }
        // The SDK's client waits for its Netty threads to finish: not on the event loop.
        Future<?> route53Closed = route53 == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            route53.close();
            return null;
        });
        return Future.join(route53Closed, coordStopped, snapshot == null ? Future.succeededFuture() : snapshot.flush(), api == null ? Future.succeededFuture() : api.stop(),
                dns == null ? Future.succeededFuture() : dns.stop(),
                state == null ? Future.succeededFuture() : state.close());
    }

    public int dnsPort() {
        return dnsPort;
    }

    public int apiPort() {
        return apiPort;
    }

    public Controller controller() {
        return controller;
    }

    public ApiServer api() {
        return api;
    }

    public Coordination coordination() {
        return coord;
    }

    /** The event loop that owns the controller. */
    public io.vertx.core.Context context() {
        return context;
    }
}
