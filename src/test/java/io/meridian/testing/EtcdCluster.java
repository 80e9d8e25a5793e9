package io.meridian.testing;

import io.meridian.demo.LocalEtcd;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** A real etcd cluster on loopback for tests ({@link LocalEtcd}), and what {@code etcdctl} reads of it. */
public final class EtcdCluster extends LocalEtcd {

    private EtcdCluster(int n) throws Exception {
        super(Files.createTempDirectory("meridian-etcd-"), n);
    }

    public static EtcdCluster start(int n) throws Exception {
        EtcdCluster c = new EtcdCluster(n);
        c.launchAll();
        return c;
    }

    /** What {@code etcdctl get --prefix -w json} prints for {@code prefix} (keys and values in base64). */
    public String get(String prefix) throws Exception {
        Process p = new ProcessBuilder("etcdctl", "--endpoints", String.join(",", endpoints()), "get", "--prefix", prefix, "-w", "json")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
