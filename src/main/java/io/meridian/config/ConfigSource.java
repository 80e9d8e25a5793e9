package io.meridian.config;

/**
 * Where a daemon's configuration comes from, read again on a reload: the configuration directory
 * ({@link ConfigLoader#load}), or the demo's configuration made from it. Blocking: file I/O.
 */
@FunctionalInterface
public interface ConfigSource {

    MeridianConfig load() throws InvalidConfigException;
}
