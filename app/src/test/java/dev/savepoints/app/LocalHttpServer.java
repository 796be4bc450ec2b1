package dev.savepoints.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The JDK's HttpServer on localhost, answering without Nagle's delay. By default it writes a response's headers and
 * body as two segments without TCP_NODELAY, and the second waits for the client's delayed ACK: every call took
 * 40–50 ms instead of 1–3 ms. The tap in front of Flink and the scale benchmark's load double added that to each call
 * the service made (the direct baseline of the latency benchmark went around it). The setting is read when the first
 * server of a JVM starts, so the build passes it to the test and benchmark JVMs too.
 */
public final class LocalHttpServer {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LocalHttpServer() {
    }

    public static HttpServer create(int backlog) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", 0), backlog);
    }
}
