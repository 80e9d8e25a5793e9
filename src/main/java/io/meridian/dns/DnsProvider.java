package io.meridian.dns;

import io.vertx.core.Future;

import java.util.List;

/** Where answers are published. The future completes once the change is visible to resolvers. */
public interface DnsProvider {

    /** A short name for logs and errors: {@code embedded}, {@code rfc2136}, {@code route53}. */
    String name();

    /** Applies all changes, atomically where the provider allows. */
    Future<Void> apply(List<DnsChange> changes);

    /**
     * Reads back what the provider serves for {@code published} and returns the changes whose
     * records differ (edited by hand, lost): the drift. A provider that is its own source of truth
     * has none.
     */
    default Future<List<DnsChange>> drift(List<DnsChange> published) {
        return Future.succeededFuture(List.of());
    }
}
