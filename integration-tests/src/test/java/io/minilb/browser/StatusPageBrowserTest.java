package io.minilb.browser;

import static io.minilb.simulator.TestHttp.CLIENT;
import static io.minilb.simulator.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.adapters.in.http.AccessKeys;
import io.minilb.application.health.HealthCheckSettings;
import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page in headless Chromium, driven through chromedriver: it lists every worker with its role and health,
 * follows traffic and a killed decode without being reloaded, and works with an admin key given in its URL fragment
 * or typed in. Skips, with the reason printed, where no {@code chromium} or {@code chromedriver} is on the PATH
 * (Debian: {@code apt-get install chromium chromium-driver}); CI installs both and fails when this test skipped.
 */
class StatusPageBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ADMIN_KEY = "status-page-admin-key";
    /** One row per worker, as the page shows it: each cell's text, keyed by its class. */
    private static final String READ_ROWS = "return Array.from(document.querySelectorAll('#workers tr')).map(row =>"
            + " Object.fromEntries(Array.from(row.cells).map(cell => [cell.className.split(' ')[0], cell.textContent])))";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private ChromeDriver browser;

    @BeforeEach
    void startBrowser() {
        Optional<Path> chromium = onPath("chromium");
        Optional<Path> chromedriver = onPath("chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && chromedriver.isPresent(),
                "no chromium and chromedriver on the PATH (Debian: apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium.get().toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.get().toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        started.push(browser::quit);
    }

    @AfterEach
    void stopEverything() throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }

    @Test
    void showsEveryWorkerAndFollowsTrafficAndAKilledDecodeWithoutReloading() {
        Simulator prefill = keep(SimulatorConfig.prefill().start());
        // Slow enough per token that requests are seen in flight by a page polling every 2 s.
        Simulator steady = keep(SimulatorConfig.decode().decodeMsPerToken(100).start());
        Simulator victim = keep(SimulatorConfig.decode().decodeMsPerToken(100).start());
        MiniLb lb = keep(MiniLb.start(config(prefill, steady, victim)));

        browser.get(lb.url() + "/status");
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true");
        await("every worker listed, ready").atMost(PATIENCE).untilAsserted(() -> assertThat(rows())
                .extracting(row -> row.get("role") + " " + row.get("url") + " " + row.get("status"))
                .containsExactlyInAnyOrder("prefill " + prefill.url() + " ready", "decode " + steady.url() + " ready",
                        "decode " + victim.url() + " ready"));
        assertThat(text("requests-total")).isEqualTo("0");

        List<CompletableFuture<HttpResponse<String>>> requests = List.of(
                generate(lb, "one"), generate(lb, "two"), generate(lb, "three"), generate(lb, "four"));
        await("requests in flight on the page").atMost(PATIENCE).untilAsserted(() -> {
            assertThat(Integer.parseInt(text("in-flight"))).isPositive();
            assertThat(rows()).filteredOn(row -> row.get("role").equals("prefill"))
                    .extracting(row -> Integer.parseInt(row.get("in-flight"))).containsExactly(4);
        });
        requests.forEach(request -> assertThat(request.join().statusCode()).isEqualTo(200));
        await("the answered requests counted, none left in flight").atMost(PATIENCE).untilAsserted(() -> {
            assertThat(text("requests-total")).isEqualTo("4");
            assertThat(text("in-flight")).isEqualTo("0");
            assertThat(text("latency-p50")).endsWith("s");
            assertThat(rows()).filteredOn(row -> row.get("role").equals("prefill"))
                    .extracting(row -> row.get("attempts")).containsExactly("4");
        });

        victim.close();
        await("the killed decode shown unhealthy").atMost(PATIENCE).untilAsserted(() -> assertThat(rows())
                .filteredOn(row -> row.get("url").equals(victim.url()))
                .extracting(row -> row.get("status")).containsExactly("not ready"));
        assertThat(text("decodes-ready")).isEqualTo("1 / 2");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded"))
                .as("the page updated itself, never reloaded").isEqualTo(true);
    }

    @Test
    void worksWithTheAdminKeyFromItsFragmentOrTypedIn() {
        Simulator prefill = keep(SimulatorConfig.prefill().start());
        Simulator decode = keep(SimulatorConfig.decode().start());
        MiniLb lb = keep(MiniLb.start(config(prefill, decode)
                .withAccessKeys(new AccessKeys(Optional.empty(), Optional.of(ADMIN_KEY)))));
        assertThat(send(HttpRequest.newBuilder(URI.create(lb.url() + "/status.json")).build()).statusCode())
                .as("the data is guarded").isEqualTo(401);

        browser.get(lb.url() + "/status");
        await("the page asks for the key").atMost(PATIENCE).untilAsserted(() -> {
            assertThat(text("problem")).contains("admin API key is needed");
            assertThat(browser.findElement(By.id("key-input")).isDisplayed()).isTrue();
        });
        assertThat(rows()).isEmpty();
        browser.findElement(By.id("key-input")).sendKeys(ADMIN_KEY);
        browser.findElement(By.cssSelector("#key-form button")).click();
        await("the workers, with the typed key").atMost(PATIENCE)
                .untilAsserted(() -> assertThat(rows()).hasSize(2));
        assertThat(browser.findElement(By.id("problem")).isDisplayed()).isFalse();

        browser.get("about:blank");
        browser.get(lb.url() + "/status#key=" + ADMIN_KEY);
        await("the workers, with the key in the fragment").atMost(PATIENCE)
                .untilAsserted(() -> assertThat(rows()).extracting(row -> row.get("role"))
                        .containsExactlyInAnyOrder("prefill", "decode"));

        // Worker URLs are shown as text: markup-like characters (java.net.URI refuses '<'), an entity left as typed.
        String markedUp = "http://127.0.0.1:9/x&amp;y";
        assertThat(send(HttpRequest.newBuilder(URI.create(lb.url() + "/workers"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"url\": \"" + markedUp + "\", \"worker_type\": \"decode\"}")).build()).statusCode())
                .isEqualTo(202);
        await("a worker added through the API, its URL as text").atMost(PATIENCE)
                .untilAsserted(() -> assertThat(rows()).extracting(row -> row.get("url")).contains(markedUp));

        browser.get(lb.url() + "/#key=wrong");
        await("a wrong key refused").atMost(PATIENCE)
                .untilAsserted(() -> assertThat(text("problem")).contains("the key was refused"));
    }

    private MiniLbConfig config(Simulator prefill, Simulator... decodes) {
        return new MiniLbConfig("127.0.0.1", 0, List.of(PrefillWorker.of(prefill.url(), prefill.bootstrapPort())),
                Arrays.stream(decodes).map(decode -> new DecodeWorker(decode.url())).toList(),
                Duration.ofSeconds(60))
                .withResilience(WorkerResilience.defaults()
                        // One failure opens the circuit and one failed check marks a worker unhealthy, each second.
                        .withCircuitBreaker(new CircuitBreakerSettings(true, 1, 1, Duration.ofMinutes(5),
                                Duration.ofMinutes(5)))
                        .withHealth(new HealthThresholds(1, 1),
                                HealthCheckSettings.defaults().withInterval(Duration.ofSeconds(1))));
    }

    private static CompletableFuture<HttpResponse<String>> generate(MiniLb lb, String text) {
        String body = "{\"text\": \"" + text + "\", \"sampling_params\": {\"max_new_tokens\": 40}}";
        return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(lb.url() + "/generate"))
                .timeout(PATIENCE).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, String>> rows() {
        return (List<Map<String, String>>) ((JavascriptExecutor) browser).executeScript(READ_ROWS);
    }

    private String text(String id) {
        return (String) ((JavascriptExecutor) browser)
                .executeScript("return document.getElementById(arguments[0]).textContent", id);
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        started.push(closeable);
        return closeable;
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator))
                .map(folder -> Path.of(folder, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
