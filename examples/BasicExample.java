import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts mini-lb in front of one prefill and one decode server, as SGLang's
 * {@code MiniLbConfig::new(host, port, prefills, decodes, timeout)} example does.
 *
 * <pre>java -cp bootstrap/target/mini-lb.jar examples/BasicExample.java [PREFILL_URL BOOTSTRAP_PORT DECODE_URL]</pre>
 *
 * Without arguments it uses the servers that ./demo.sh starts.
 */
public class BasicExample {

    public static void main(String[] args) throws InterruptedException {
        String prefillUrl = args.length > 0 ? args[0] : "http://127.0.0.1:18000";
        int bootstrapPort = args.length > 1 ? Integer.parseInt(args[1]) : 18998;
        String decodeUrl = args.length > 2 ? args[2] : "http://127.0.0.1:18100";

        MiniLbConfig config = new MiniLbConfig(
                "127.0.0.1",
                8081,
                List.of(PrefillWorker.of(prefillUrl, bootstrapPort)),
                List.of(new DecodeWorker(decodeUrl)),
                Duration.ofSeconds(1800));

        MiniLb miniLb = MiniLb.start(config);
        System.out.println("mini-lb is listening on " + miniLb.url() + " (Ctrl-C stops it)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            miniLb.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
