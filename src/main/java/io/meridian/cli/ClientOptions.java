package io.meridian.cli;

import picocli.CommandLine.Option;

/** {@code --api}, {@code --token}, {@code --output}: how a client command reaches the API and prints. */
final class ClientOptions {

    @Option(names = "--api", paramLabel = "URL", description = "the daemon's API (default: $MERIDIAN_API or http://127.0.0.1:8080)")
    String api = System.getenv().getOrDefault("MERIDIAN_API", "http://127.0.0.1:8080");

    @Option(names = "--token", paramLabel = "TOKEN", description = "bearer token (default: $MERIDIAN_TOKEN)")
    String token = System.getenv("MERIDIAN_TOKEN");

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json")
    Format output = Format.table;

    enum Format { table, json }

    ApiClient client() {
        return new ApiClient(api, token);
    }
}
