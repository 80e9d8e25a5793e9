package io.meridian.cli;

import io.meridian.clock.Clock;
import io.meridian.config.ConfigSource;
import io.meridian.config.MeridianConfig;
import io.meridian.daemon.DaemonVerticle;
import io.meridian.daemon.LogSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/** Starts a daemon, reloads its configuration on SIGHUP, waits until the process is told to stop, then stops it cleanly. */
final class DaemonLauncher {

    private DaemonLauncher() {
    }

    /**
     * @param before work to finish before the daemon starts (demo backends), given the Vert.x instance
     * @param routes extra API routes
     * @param banner printed once the daemon listens
     * @param source where a reload reads the configuration again
     */
    static int runUntilStopped(MeridianConfig config, ConfigSource source, Function<Vertx, Future<?>> before, Consumer<Router> routes,
                               Consumer<DaemonVerticle> banner) throws InterruptedException {
        LogSetup.apply(config.logging());
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true)); // epoll on Linux, NIO elsewhere
        DaemonVerticle daemon = new DaemonVerticle(config, Clock.system(), routes).reloadFrom(source);
        CountDownLatch started = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        before.apply(vertx).compose(v -> vertx.deployVerticle(daemon)).onComplete(ar -> {
            failure[0] = ar.cause();
            started.countDown();
        });
        started.await();
        if (failure[0] != null) {
            System.err.println("meridian failed to start: " + failure[0].getMessage());
            vertx.close();
            return 1;
        }
        banner.accept(daemon);
        // The JVM takes SIGHUP as a request to exit; a daemon takes it as "read your configuration again".
        Signal.handle(new Signal("HUP"), sig -> daemon.reload("SIGHUP"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
