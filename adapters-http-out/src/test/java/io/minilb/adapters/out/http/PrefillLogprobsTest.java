package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefillLogprobsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void prependsThePrefillsInputTokenLogprobsToASingleAnswer() throws IOException {
        var prefill = PrefillLogprobs.fromBody(bytes("""
                {"text": "", "meta_info": {"input_token_logprobs": [[-0.5, 1, null], [-0.25, 2, "b"]]}}"""));

        byte[] merged = merged(prefill, bytes("""
                {"text": "out", "meta_info": {"input_token_logprobs": [[-1.0, 3, null]],
                                              "output_token_logprobs": [[-0.1, 4, null]]}}"""));

        assertThat(json(merged)).isEqualTo(json("""
                {"text": "out", "meta_info": {"input_token_logprobs": [[-0.5, 1, null], [-0.25, 2, "b"], [-1.0, 3, null]],
                                              "output_token_logprobs": [[-0.1, 4, null]]}}"""));
    }

    @Test
    void mergesABatchItemByItem() throws IOException {
        var prefill = PrefillLogprobs.fromBody(bytes("""
                [{"meta_info": {"input_token_logprobs": [[-1, 1, null]]}},
                 {"meta_info": {"input_token_logprobs": [[-2, 2, null]]}}]"""));

        byte[] merged = merged(prefill, bytes("""
                [{"meta_info": {"input_token_logprobs": [[-10, 10, null]]}},
                 {"meta_info": {"input_token_logprobs": [[-20, 20, null]]}}]"""));

        assertThat(json(merged)).isEqualTo(json("""
                [{"meta_info": {"input_token_logprobs": [[-1, 1, null], [-10, 10, null]]}},
                 {"meta_info": {"input_token_logprobs": [[-2, 2, null], [-20, 20, null]]}}]"""));
    }

    @Test
    void prependsTopAndTokenIdLogprobsWhenThePrefillHasThemAndCountsMissingOrNullDecodeListsAsEmpty()
            throws IOException {
        var prefill = PrefillLogprobs.fromBody(bytes("""
                {"meta_info": {"input_token_logprobs": [[-1, 1, null]],
                               "input_top_logprobs": [[[-1, 1, null]]],
                               "input_token_ids_logprobs": [[[-1, 7, null]]]}}"""));

        byte[] merged = merged(prefill, bytes("""
                {"meta_info": {"input_top_logprobs": null, "id": "x"}}"""));

        assertThat(json(merged)).isEqualTo(json("""
                {"meta_info": {"input_token_logprobs": [[-1, 1, null]],
                               "input_top_logprobs": [[[-1, 1, null]]],
                               "input_token_ids_logprobs": [[[-1, 7, null]]],
                               "id": "x"}}"""));
    }

    @Test
    void leavesWhatThePrefillHasNoListForAndAnswersWithoutMetaInfoAlone() throws IOException {
        var prefill = PrefillLogprobs.fromBody(bytes("""
                {"meta_info": {"input_token_logprobs": [[-1, 1, null]], "input_top_logprobs": null}}"""));

        assertThat(json(merged(prefill, bytes("""
                {"meta_info": {"input_token_logprobs": [], "input_top_logprobs": [[[-3, 3, null]]]}}"""))))
                .isEqualTo(json("""
                {"meta_info": {"input_token_logprobs": [[-1, 1, null]], "input_top_logprobs": [[[-3, 3, null]]]}}"""));
        assertThat(json(merged(prefill, bytes("""
                {"object": "chat.completion", "choices": []}"""))))
                .isEqualTo(json("""
                {"object": "chat.completion", "choices": []}"""));
    }

    @Test
    void takesEachStreamedItemsFirstFrameAndMergesDecodeFramesByIndex() throws IOException {
        var prefill = fromEventStream(bytes("""
                data: {"index": 1, "meta_info": {"input_token_logprobs": [[-1, 1, null]]}}

                data: {"meta_info": {"input_token_logprobs": [[-0.5, 5, null]]}}

                data: {"index": 0, "meta_info": {"input_token_logprobs": [[-9, 9, null]]}}

                data: [DONE]

                """));

        byte[] second = mergedFrame(prefill, bytes(
                "data: {\"index\": 1, \"text\": \"[DONE]\", \"meta_info\": {\"input_token_logprobs\": []}}\n\n"));
        byte[] first = mergedFrame(prefill, bytes(
                "data: {\"text\": \"a\", \"meta_info\": {\"input_token_logprobs\": [[-2, 2, null]]}}\n\n"));

        assertThat(frameJson(second)).isEqualTo(json(
                "{\"index\": 1, \"text\": \"[DONE]\", \"meta_info\": {\"input_token_logprobs\": [[-1, 1, null]]}}"));
        assertThat(frameJson(first)).isEqualTo(json(
                "{\"text\": \"a\", \"meta_info\": {\"input_token_logprobs\": [[-0.5, 5, null], [-2, 2, null]]}}"));
    }

    @Test
    void passesTheEndMarkerAndFramesWithoutLogprobsThroughUntouched() throws IOException {
        var prefill = fromEventStream(bytes("""
                data: {"meta_info": {"input_token_logprobs": [[-1, 1, null]]}}

                """));
        byte[] done = bytes("data: [DONE]\n\n");
        byte[] chatChunk = bytes("data: {\"object\": \"chat.completion.chunk\", \"choices\": []}\n\n");
        byte[] comment = bytes(": keep-alive\n\n");

        assertThat(mergedFrame(prefill, done)).isSameAs(done);
        assertThat(mergedFrame(prefill, chatChunk)).isSameAs(chatChunk);
        assertThat(mergedFrame(prefill, comment)).isSameAs(comment);
    }

    @Test
    void rejectsWhatItCannotRead() throws IOException {
        var prefill = PrefillLogprobs.fromBody(bytes("{\"meta_info\": {\"input_token_logprobs\": [[-1, 1, null]]}}"));

        assertThatThrownBy(() -> merged(prefill, bytes("<html>oops</html>"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> mergedFrame(prefill, bytes("data: {\"meta_info\": \n\n")))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> merged(prefill, bytes("{\"meta_info\": {\"input_token_logprobs\": 3}}")))
                .hasMessage("meta_info.input_token_logprobs is not a list");
        assertThatThrownBy(() -> PrefillLogprobs.fromBody(bytes("{\"meta_info\": {\"input_token_logprobs\": {}}}")))
                .hasMessage("meta_info.input_token_logprobs is not a list");
    }

    @Test
    void splicesTheListsInAndKeepsEveryOtherByteAsItWas() throws IOException {
        var prefill = PrefillLogprobs.fromBody(bytes("""
                {"meta_info": {"input_token_logprobs": [ [-1, 1, "\\"a\\""] ], "input_top_logprobs": [[]]}}"""));
        String decode = """
                {"text": "say \\"meta_info\\": [] \u00e9", "other": {"meta_info": {"input_token_logprobs": [7]}},
                 "meta_info": {"input_token_logprobs":[ [-2, 2, null] ],
                 "input_token_ids_logprobs": null, "id": "x"}}""";

        assertThat(new String(merged(prefill, bytes(decode)), StandardCharsets.UTF_8)).isEqualTo("""
                {"text": "say \\"meta_info\\": [] \u00e9", "other": {"meta_info": {"input_token_logprobs": [7]}},
                 "meta_info": {"input_top_logprobs":[[]],"input_token_logprobs":[[-1, 1, "\\"a\\""], [-2, 2, null] ],
                 "input_token_ids_logprobs": null, "id": "x"}}""");
    }

    @Test
    void mergesABatchByPositionLeavingItemsWithoutMetaInfoAlone() throws IOException {
        var prefill = PrefillLogprobs.fromBody(bytes("""
                [{"meta_info": {"input_token_logprobs": [[-1, 1, null]]}},
                 {"meta_info": {"input_token_logprobs": [[-2, 2, null]]}},
                 {"meta_info": {"input_token_logprobs": [[-3, 3, null]]}}]"""));

        byte[] merged = merged(prefill, bytes("""
                [{"meta_info": {}}, {"text": "no meta_info"}, {"meta_info": {"input_token_logprobs": []}}]"""));

        assertThat(json(merged)).isEqualTo(json("""
                [{"meta_info": {"input_token_logprobs": [[-1, 1, null]]}}, {"text": "no meta_info"},
                 {"meta_info": {"input_token_logprobs": [[-3, 3, null]]}}]"""));
    }

    /**
     * The merge costs what it produces: parsing both answers into trees cost 15 to 17 times the answer. Counted in
     * bytes allocated by this thread, which does not depend on timing or on the collector.
     */
    @Test
    void mergingAnAnswerAllocatesLittleMoreThanTheMergedAnswer() throws IOException {
        String list = "[" + "[-0.123456, 12345, null],".repeat(200_000) + "[0, 1, null]]";
        byte[] prefillBody = bytes("{\"meta_info\": {\"input_token_logprobs\": " + list + "}}");
        byte[] decodeBody = bytes("{\"text\": \"out\", \"meta_info\": {\"input_token_logprobs\": [],"
                + " \"output_token_logprobs\": " + list + "}}");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long before = threads.getCurrentThreadAllocatedBytes();
        byte[] merged = merged(PrefillLogprobs.fromBody(prefillBody), decodeBody);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(merged.length).isGreaterThan(prefillBody.length + decodeBody.length - 100);
        // The kept prefill lists and the merged answer, plus the parsers' buffers.
        assertThat(allocated).isLessThan(prefillBody.length + merged.length + 1024 * 1024L);
    }

    private static PrefillLogprobs fromEventStream(byte[] stream) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        new SseFrameSplitter().split(ByteBuffer.wrap(stream), frames::add);
        var collector = new PrefillLogprobs.Collector();
        for (byte[] frame : frames) {
            collector.accept(frame);
        }
        return collector.result();
    }

    private static byte[] merged(PrefillLogprobs prefill, byte[] decodeBody) throws IOException {
        return prefill.intoBody(decodeBody).toByteArray();
    }

    private static byte[] mergedFrame(PrefillLogprobs prefill, byte[] frame) throws IOException {
        return prefill.intoFrame(frame).toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(byte[] body) throws IOException {
        return JSON.readTree(body);
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private static JsonNode frameJson(byte[] frame) throws IOException {
        String text = new String(frame, StandardCharsets.UTF_8);
        assertThat(text).startsWith("data: ").endsWith("\n\n");
        return JSON.readTree(text.substring("data: ".length()));
    }
}
