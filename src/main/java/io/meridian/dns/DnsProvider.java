package io.meridian.dns;

import io.vertx.core.Future;

import java.util.List;

/** Where answers are published. The future completes once the change is visible to resolvers. */
public interface DnsProvider {

    /** A short name for logs and errors: {@code embedded}, {@code rfc2136}, {@code route53}. */
    String name();

    /** Applies all changes, atomically where the provider allows. */
    Future<Void> apply(List<DnsChange> changes);
}
