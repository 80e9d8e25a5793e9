/**
 * Coordination through an etcd cluster (jetcd on the daemon's Vert.x): a lease per daemon, the leader
 * key on it (its creation revision is the fencing token), every vantage's report on it, and the shared
 * state written only by txns guarded by the leader key.
 */
package io.meridian.coord.etcd;
