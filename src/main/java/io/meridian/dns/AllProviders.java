package io.meridian.dns;

import io.vertx.core.Future;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Publishes to several providers at once (the embedded server and, say, a BIND primary). The
 * change counts as published only when every provider took it; otherwise the next tick applies
 * the latest desired answers to all of them again (changes are idempotent).
 */
public final class AllProviders implements DnsProvider {

    private final List<DnsProvider> providers;

    public AllProviders(List<DnsProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    @Override
    public String name() {
        return providers.stream().map(DnsProvider::name).collect(Collectors.joining("+"));
    }

    @Override
    public Future<Void> apply(List<DnsChange> changes) {
        return Future.all(providers.stream().map(p -> p.apply(changes)).toList()).mapEmpty();
    }

    @Override
    public Future<List<DnsChange>> drift(List<DnsChange> published) {
        List<Future<List<DnsChange>>> each = providers.stream().map(p -> p.drift(published)).toList();
        return Future.all(each).map(all -> each.stream().flatMap(f -> f.result().stream()).distinct().toList());
    }
}
