package io.minilb.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A prefill's bootstrap server answers {@code GET /health} as SGLang's does: 200, {@code text/plain}, {@code OK}. */
class BootstrapHealthTest {

    private static Simulator prefill;

    @BeforeAll
    static void start() {
        prefill = SimulatorConfig.prefill().start();
    }

    @AfterAll
    static void stop() {
        prefill.close();
    }

    @Test
    void theBootstrapPortAnswersHealthWith200Ok() {
        HttpResponse<String> response = TestHttp.get("http://127.0.0.1:" + prefill.bootstrapPort() + "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo("OK");
    }

    @Test
    void theBootstrapPortHealthIsNotTheHttpPorts() {
        HttpResponse<String> response = TestHttp.get("http://127.0.0.1:" + prefill.bootstrapPort() + "/health_generate");

        assertThat(response.statusCode()).isEqualTo(404);
    }
}
