package dev.savepoints.flink.testjob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The small stateful job of the tests: it counts, keeps the count in keyed state (so a savepoint holds it),
 * and writes it to {@code --out} so a test can see whether a restored job continues or starts from zero.
 * {@code --ballast-mb} adds that much incompressible state, so that a savepoint takes as long as a real job's.
 * It fails while the file {@code --fail-marker} exists, and has no restart strategy: a failure is final for
 * Flink, and only the service's restart policy brings it back. Built into its own jar by the build.
 * Written against the API that Flink 1.20 and 2.x share.
 */
public final class CountingJob {

    private CountingJob() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Configuration configuration = new Configuration();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        long delayMillis = Long.parseLong(options.getOrDefault("delay-ms", "20"));
        // The pace is set next to the source (chained to it): throttling after the keyBy would fill the network
        // buffers with records that every savepoint barrier must wait behind.
        env.fromSequence(1, Long.MAX_VALUE).uid("sequence").name("sequence")
                .map(n -> {
                    Thread.sleep(delayMillis);
                    return n;
                }).uid("pace").name("pace")
                .keyBy(n -> 0)
                .process(new Counter(options.get("out"), options.get("fail-marker"),
                        Integer.parseInt(options.getOrDefault("ballast-mb", "0")))).uid("counter").name("counter")
                .sinkTo(new DiscardingSink<>()).uid("discard").name("discard");
        env.execute(options.getOrDefault("name", "counting-job"));
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    static final class Counter extends KeyedProcessFunction<Integer, Long, Long> {

        private final String out;
        private final String failMarker;
        private final int ballastMb;
        private transient ValueState<Long> count;
        private transient ValueState<byte[]> ballast;

        Counter(String out, String failMarker, int ballastMb) {
            this.out = out;
            this.failMarker = failMarker;
            this.ballastMb = ballastMb;
        }

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
            ballast = getRuntimeContext().getState(new ValueStateDescriptor<>("ballast", byte[].class));
        }

        @Override
        public void processElement(Long value, Context context, Collector<Long> collector) throws Exception {
            if (failMarker != null && Files.exists(Path.of(failMarker))) {
                String why = Files.readString(Path.of(failMarker)).strip();
                throw new IllegalStateException("failure injected by " + failMarker + (why.isEmpty() ? "" : ": " + why));
            }
            if (ballastMb > 0 && ballast.value() == null) {
                byte[] bytes = new byte[ballastMb << 20];
                new java.util.Random(value).nextBytes(bytes);
                ballast.update(bytes);
            }
            long next = (count.value() == null ? 0 : count.value()) + 1;
            count.update(next);
            if (out != null) {
                Path target = Path.of(out);
                Path temp = target.resolveSibling(target.getFileName() + ".tmp");
                Files.writeString(temp, Long.toString(next));
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            collector.collect(next);
        }
    }
}
