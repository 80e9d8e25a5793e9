/**
 * Leadership, observation exchange and shared state, as interfaces ({@link io.meridian.coord.Coordination});
 * {@code local}: one daemon, files next to its configuration; {@code etcd}: the daemons of all regions
 * through an etcd cluster.
 */
package io.meridian.coord;
