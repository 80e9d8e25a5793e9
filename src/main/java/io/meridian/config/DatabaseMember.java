package io.meridian.config;

/**
 * One database server of a cluster, declared in its region's file.
 *
 * @param database the PostgreSQL database to connect to (Redis: unused)
 */
public record DatabaseMember(String cluster, String region, String host, int port, String user, Secret password, String database) {

    /** The stable id used in status, metrics, events and the journal: {@code cluster/region/host:port}. */
    public String id() {
        return cluster + "/" + region + "/" + host + ":" + port;
    }
}
