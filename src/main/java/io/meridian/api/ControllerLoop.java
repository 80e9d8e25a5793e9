package io.meridian.api;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * The API's two threads: its own event loop, where connections are accepted, requests parsed,
 * tokens checked and answers written, and the controller's loop, which owns the state the routes
 * read and the changes they ask for. Fifty dashboards opening at once cost the controller only what
 * it alone can do (its part of a snapshot, a listener added), not their sockets.
 */
final class ControllerLoop {

    private final ContextInternal controller;
    private final ContextInternal api;

    private ControllerLoop(ContextInternal controller, ContextInternal api) {
        this.controller = controller;
        this.api = api;
    }

    /** Called on the controller's loop: the API gets another of Vert.x's event loops (the same one if there is only one). */
    static ControllerLoop here(Vertx vertx) {
        ContextInternal controller = (ContextInternal) Vertx.currentContext();
        if (controller == null || !controller.isEventLoopContext()) {
            throw new IllegalStateException("the API's routes are made on the controller's loop, not on " + Thread.currentThread().getName());
        }
        EventLoop own = controller.nettyEventLoop();
        EventLoop other = own;
        for (EventExecutor e : ((VertxInternal) vertx).nettyEventLoopGroup()) {
            if (e != own && e instanceof EventLoop loop) {
                other = loop;
                break;
            }
        }
        ContextInternal api = ((VertxInternal) vertx).contextBuilder().withEventLoop(other).build();
        return new ControllerLoop(controller, api);
    }

    /** The API's own context. */
    ContextInternal api() {
        return api;
    }

    /**
     * {@code start} run on the API's loop (the server listens there, so its connections and their timers live
     * there); what it gives arrives back on the controller's.
     */
    <T> Future<T> onApi(Supplier<Future<T>> start) {
        Promise<T> back = controller.promise();
        api.runOnContext(v -> start.get().onComplete(ar -> back.handle(ar)));
        return back.future();
    }

    /**
     * A route handler run on the controller's loop (it reads or changes what the controller owns); it may
     * write its answer from there. A throw is the router's 500, as on the request's own thread.
     */
    Handler<RoutingContext> on(Handler<RoutingContext> handler) {
        return ctx -> controller.runOnContext(v -> {
            try {
                handler.handle(ctx);
            } catch (Throwable e) { // as the router does with a handler's throw on its own thread
                ctx.fail(e);
            }
        });
    }

    /** {@code read} on the controller's loop; its value (or its throw) arrives back on the API's loop. */
    <T> Future<T> call(Supplier<T> read) {
        Promise<T> back = api.promise();
        controller.runOnContext(v -> {
            try {
                back.complete(read.get());
            } catch (Throwable e) {
                back.fail(e);
            }
        });
        return back.future();
    }

    /** {@code task} on the controller's loop, for what it owns (a listener taken away). */
    void run(Runnable task) {
        controller.runOnContext(v -> task.run());
    }
}
