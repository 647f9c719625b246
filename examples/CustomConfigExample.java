import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Several servers, a bootstrap port per prefill (or none: the prefill's own default), a free port
 * picked by the system, round-robin decode selection and a shorter timeout.
 *
 * <pre>java -cp bootstrap/target/mini-lb.jar examples/CustomConfigExample.java</pre>
 *
 * It balances over the two prefill and two decode servers that ./demo.sh starts.
 */
public class CustomConfigExample {

    public static void main(String[] args) throws InterruptedException {
        MiniLbConfig config = new MiniLbConfig(
                        "127.0.0.1",
                        0,
                        List.of(
                                PrefillWorker.of("http://127.0.0.1:30000", 8998),
                                PrefillWorker.of("http://127.0.0.1:30001", 8999)),
                        List.of(new DecodeWorker("http://127.0.0.1:31000"), new DecodeWorker("http://127.0.0.1:31001")),
                        Duration.ofSeconds(300))
                .withPolicies("random", "round_robin")
                .withMaxPayloadBytes(16 * 1024 * 1024);

        try (MiniLb miniLb = MiniLb.start(config)) {
            System.out.println("mini-lb is listening on " + miniLb.url() + " (Ctrl-C stops it)");
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
            forever.await();
        }
    }
}
