/** Database replication roles at the edge: reading roles and lag (PostgreSQL, Redis), fencing, promoting, repointing, and running a journaled role change. */
package io.meridian.replication;
