package io.meridian.bench;

public final class FailoverBench {
}
