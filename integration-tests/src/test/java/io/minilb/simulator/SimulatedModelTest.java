package io.minilb.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedModelTest {

    @Test
    void theOutputIsAPureFunctionOfThePrompt() {
        assertThat(SimulatedModel.expectedText("same prompt", 10)).isEqualTo(SimulatedModel.expectedText("same prompt", 10));
        assertThat(SimulatedModel.expectedText("same prompt", 10)).startsWith(SimulatedModel.expectedText("same prompt", 4));
        assertThat(SimulatedModel.expectedText("same prompt", 10)).isNotEqualTo(SimulatedModel.expectedText("other prompt", 10));
    }

    @Test
    void theOutputIsStableAcrossVersions() {
        // Tests elsewhere may pin texts: changing the model must be deliberate.
        assertThat(SimulatedModel.expectedText("Hello world, how are you", 5)).isEqualTo(" of stone stone slow north");
    }

    @Test
    void aTextPromptHasOneTokenPerWord() {
        assertThat(SimulatedModel.tokenize("  one two\tthree\n")).hasSize(3);
        assertThat(SimulatedModel.tokenize("")).isEmpty();
    }

    @Test
    void outputIdsDecodeToTheExpectedText() {
        List<Integer> prompt = SimulatedModel.tokenize("ids and text agree");
        StringBuilder text = new StringBuilder();
        SimulatedModel.expectedOutputIds(prompt, 20).forEach(id -> text.append(SimulatedModel.tokenText(id)));
        assertThat(text.toString()).isEqualTo(SimulatedModel.expectedText(prompt, 20));
    }

    @Test
    void proseIsPlainTextStartingASentence() {
        for (String prompt : List.of("a", "Tell me about disaggregated serving", "the capital of France is")) {
            String prose = SimulatedModel.expectedProse(SimulatedModel.tokenize(prompt), 40);
            assertThat(prose).as(prompt).matches("( [A-Za-z,.]+)+").doesNotContain("DONE", "data:");
            assertThat(prose.charAt(1)).as(prompt).isUpperCase();
        }
        assertThat(SimulatedModel.expectedProse(SimulatedModel.tokenize("x"), 40))
                .isNotEqualTo(SimulatedModel.expectedText("x", 40));
    }

    @Test
    void theChatTemplateKeepsRolesAndOrder() {
        assertThat(SimulatedModel.chatPrompt(List.of(ChatMessage.system("be brief"), ChatMessage.user("hi"))))
                .isEqualTo("<|system|>\nbe brief\n<|user|>\nhi\n<|assistant|>\n");
    }
}
