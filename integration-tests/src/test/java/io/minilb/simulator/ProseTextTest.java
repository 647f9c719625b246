package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static io.minilb.simulator.TestHttp.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pair started with the prose text style answers, streamed and whole, with readable sentences. */
class ProseTextTest {

    @Test
    void aProsePairAnswersWithTheProseOfThePrompt() {
        try (PdPair pair = PdPair.start(prefill -> prefill.textStyle(TextStyle.PROSE), decode -> decode.textStyle(TextStyle.PROSE))) {
            String expected = SimulatedModel.expectedProse(SimulatedModel.tokenize("tell me a story"), 12);
            ObjectNode whole = object().put("text", "tell me a story");
            whole.putObject("sampling_params").put("max_new_tokens", 12);
            assertThat(json(pair.send("/generate", pair.bootstrap(whole, PdPair.newRoom())).decode()).path("text").asText())
                    .isEqualTo(expected);

            ObjectNode streamed = whole.deepCopy().put("stream", true);
            List<String> frames = sseData(pair.send("/generate", pair.bootstrap(streamed, PdPair.newRoom())).decode().body());
            assertThat(frames).last().isEqualTo("[DONE]");
            assertThat(json(frames.get(frames.size() - 2)).path("text").asText()).isEqualTo(expected);
        }
    }
}
