import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Several servers, a bootstrap port per prefill (or none: the prefill's own default), a free port
 * picked by the system, round-robin decode selection and a shorter timeout. Ctrl-C or SIGTERM stops
 * it gracefully: requests in flight finish first (within the shutdown grace period).
 *
 * <pre>java -cp bootstrap/target/mini-lb.jar examples/CustomConfigExample.java
 *     [PREFILL_URL BOOTSTRAP_PORT PREFILL_URL BOOTSTRAP_PORT DECODE_URL DECODE_URL]</pre>
 *
 * Without arguments it balances over the two prefill and two decode servers that ./demo.sh starts
 * on its default ports.
 */
public class CustomConfigExample {

    public static void main(String[] args) throws InterruptedException {
        List<String> servers = args.length == 6 ? List.of(args) : List.of(
                "http://127.0.0.1:18000", "18998", "http://127.0.0.1:18001", "18999",
                "http://127.0.0.1:18100", "http://127.0.0.1:18101");
        MiniLbConfig config = new MiniLbConfig(
                        "127.0.0.1",
                        0,
                        List.of(
                                PrefillWorker.of(servers.get(0), Integer.parseInt(servers.get(1))),
                                PrefillWorker.of(servers.get(2), Integer.parseInt(servers.get(3)))),
                        List.of(new DecodeWorker(servers.get(4)), new DecodeWorker(servers.get(5))),
                        Duration.ofSeconds(300))
                .withPolicies("random", "round_robin")
                .withMaxPayloadBytes(16 * 1024 * 1024);

        MiniLb miniLb = MiniLb.start(config);
        System.out.println("mini-lb is listening on " + miniLb.url() + " (Ctrl-C stops it)");
        // The JVM ends as soon as its shutdown hooks have run, so the hook itself closes mini-lb: that waits for the
        // requests in flight. Closing it from main after the signal would be cut short.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            miniLb.close();
            stopped.countDown();
        }, "mini-lb-shutdown"));
        stopped.await();
    }
}
