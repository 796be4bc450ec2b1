package dev.savepoints.k8s.cluster;

/** Flink's ports, as the upstream operator defaults them. */
final class Ports {

    static final int JM_RPC = 6123;
    static final int JM_BLOB = 6124;
    static final int JM_QUERY = 6125;
    static final int JM_UI = 8081;
    static final int TM_DATA = 6121;
    static final int TM_RPC = 6122;
    static final int TM_QUERY = 6125;

    private Ports() {
    }
}
