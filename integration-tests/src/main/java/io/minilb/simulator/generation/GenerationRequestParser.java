package io.minilb.simulator.generation;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.simulator.ChatMessage;
import io.minilb.simulator.SimulatedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/** Turns the JSON body of a generation endpoint into a {@link GenerationRequest}, rejecting what SGLang rejects. */
public final class GenerationRequestParser {

    /** How a request's {@code bootstrap_*} fields must be shaped. */
    private enum FieldShape {
        /** {@code /generate} with one prompt: scalars. */
        SCALAR,
        /** {@code /generate} batch: lists, one entry per prompt. */
        LIST,
        /** OpenAI endpoints: lists, or scalars with a scalar room expanded to room + i as SGLang does. */
        SCALAR_OR_LIST
    }

    private final String defaultModel;

    public GenerationRequestParser(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    public GenerationRequest parse(Endpoint endpoint, JsonNode body) throws BadRequestException {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the request body must be a JSON object");
        }
        return switch (endpoint) {
            case GENERATE -> generate(body);
            case CHAT_COMPLETIONS -> openAi(endpoint, body, List.of(SimulatedModel.tokenize(chatPrompt(body))),
                    intField(body, "max_completion_tokens", intField(body, "max_tokens", SimulatedModel.DEFAULT_MAX_TOKENS, 0), 0));
            case COMPLETIONS -> openAi(endpoint, body, completionPrompts(body),
                    intField(body, "max_tokens", SimulatedModel.DEFAULT_MAX_TOKENS, 0));
        };
    }

    private GenerationRequest generate(JsonNode body) throws BadRequestException {
        boolean batch = isBatch(body);
        List<List<Integer>> prompts = batch ? batchPrompts(body) : List.of(singlePrompt(body));
        List<BootstrapTarget> targets = targets(body, prompts.size(), batch ? FieldShape.LIST : FieldShape.SCALAR);
        JsonNode sampling = body.get("sampling_params");
        JsonNode rids = body.get("rid");
        List<GenerationItem> items = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            JsonNode params = sampling != null && sampling.isArray() ? sampling.get(i) : sampling;
            int maxTokens = params == null ? SimulatedModel.DEFAULT_MAX_TOKENS
                    : intField(params, "max_new_tokens", SimulatedModel.DEFAULT_MAX_TOKENS, 0);
            JsonNode rid = rids != null && rids.isArray() ? rids.get(i) : rids;
            items.add(new GenerationItem(i, textOr(rid, randomId()), prompts.get(i), maxTokens, targets.get(i)));
        }
        return new GenerationRequest(Endpoint.GENERATE, items, batch, body.path("stream").asBoolean(false),
                body.path("return_logprob").asBoolean(false), intField(body, "top_logprobs_num", 0, 0), 1, false,
                randomId(), defaultModel, nowSeconds());
    }

    private GenerationRequest openAi(Endpoint endpoint, JsonNode body, List<List<Integer>> prompts, int maxTokens)
            throws BadRequestException {
        int samples = intField(body, "n", 1, 1);
        int count = prompts.size() * samples;
        List<BootstrapTarget> targets = targets(body, count, FieldShape.SCALAR_OR_LIST);
        List<GenerationItem> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(new GenerationItem(i, randomId(), prompts.get(i / samples), maxTokens, targets.get(i)));
        }
        return new GenerationRequest(endpoint, items, false, body.path("stream").asBoolean(false), false, 0, samples,
                body.path("stream_options").path("include_usage").asBoolean(false),
                textOr(body.get("rid"), randomId()), textOr(body.get("model"), defaultModel), nowSeconds());
    }

    private static boolean isBatch(JsonNode body) {
        JsonNode text = body.get("text");
        JsonNode ids = body.get("input_ids");
        return text != null && text.isArray() || ids != null && ids.isArray() && ids.size() > 0 && ids.get(0).isArray();
    }

    private static List<Integer> singlePrompt(JsonNode body) throws BadRequestException {
        JsonNode text = body.get("text");
        JsonNode ids = body.get("input_ids");
        boolean hasText = text != null && !text.isNull();
        boolean hasIds = ids != null && !ids.isNull();
        if (hasText == hasIds) {
            throw new BadRequestException("Either text or input_ids should be provided.");
        }
        if (hasText) {
            if (!text.isTextual()) {
                throw new BadRequestException("text must be a string or a list of strings");
            }
            return SimulatedModel.tokenize(text.asText());
        }
        return tokenIds(ids, "input_ids");
    }

    private static List<List<Integer>> batchPrompts(JsonNode body) throws BadRequestException {
        JsonNode text = body.get("text");
        if (text != null && !text.isNull()) {
            if (body.hasNonNull("input_ids")) {
                throw new BadRequestException("Either text or input_ids should be provided.");
            }
            return promptList(text, "text", JsonNode::isTextual);
        }
        return promptList(body.get("input_ids"), "input_ids", JsonNode::isArray);
    }

    private static List<List<Integer>> completionPrompts(JsonNode body) throws BadRequestException {
        JsonNode prompt = body.get("prompt");
        if (prompt == null || prompt.isNull()) {
            throw new BadRequestException("prompt is required");
        }
        if (prompt.isTextual()) {
            return List.of(SimulatedModel.tokenize(prompt.asText()));
        }
        if (prompt.isArray() && prompt.size() > 0 && prompt.get(0).isIntegralNumber()) {
            return List.of(tokenIds(prompt, "prompt"));
        }
        return promptList(prompt, "prompt", item -> item.isTextual() || item.isArray());
    }

    /** A list of prompts, each a string (tokenized) or a list of token ids. */
    private static List<List<Integer>> promptList(JsonNode list, String field, Predicate<JsonNode> itemShape)
            throws BadRequestException {
        if (!list.isArray() || list.isEmpty()) {
            throw new BadRequestException(field + " must be a non-empty list");
        }
        List<List<Integer>> prompts = new ArrayList<>();
        for (JsonNode item : list) {
            if (!itemShape.test(item)) {
                throw new BadRequestException(field + " must not mix strings, token ids and lists");
            }
            prompts.add(item.isTextual() ? SimulatedModel.tokenize(item.asText()) : tokenIds(item, field));
        }
        return prompts;
    }

    private static List<Integer> tokenIds(JsonNode ids, String field) throws BadRequestException {
        if (!ids.isArray() || ids.isEmpty()) {
            throw new BadRequestException(field + " must be a non-empty list of token ids");
        }
        List<Integer> tokens = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                throw new BadRequestException(field + " must hold non-negative token ids, got " + id);
            }
            tokens.add(id.intValue());
        }
        return tokens;
    }

    private static String chatPrompt(JsonNode body) throws BadRequestException {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new BadRequestException("messages must be a non-empty list");
        }
        List<ChatMessage> chat = new ArrayList<>();
        for (JsonNode message : messages) {
            if (!message.path("role").isTextual()) {
                throw new BadRequestException("every message needs a role");
            }
            chat.add(new ChatMessage(message.get("role").asText(), messageText(message.get("content"))));
        }
        return SimulatedModel.chatPrompt(chat);
    }

    /** A message's content: a string, or the text parts of a list of content parts. */
    private static String messageText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (!content.isArray()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(part -> text.append(part.path("text").asText("")));
        return text.toString();
    }

    private static List<BootstrapTarget> targets(JsonNode body, int count, FieldShape shape) throws BadRequestException {
        if (!body.hasNonNull("bootstrap_room")) {
            throw new BadRequestException("bootstrap_room is required in disaggregation mode");
        }
        if (!body.hasNonNull("bootstrap_host")) {
            throw new BadRequestException("bootstrap_host is required in disaggregation mode");
        }
        JsonNode rooms = body.get("bootstrap_room");
        List<BootstrapTarget> targets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long room = room(element(body, "bootstrap_room", count, i, shape));
            if (!rooms.isArray()) {
                room = expandRoom(room, i);
            }
            targets.add(new BootstrapTarget(host(element(body, "bootstrap_host", count, i, shape)),
                    port(element(body, "bootstrap_port", count, i, shape)), room));
        }
        return targets;
    }

    /** The i-th value of a bootstrap field, checking that lists and scalars appear where they must. */
    private static JsonNode element(JsonNode body, String field, int count, int i, FieldShape shape)
            throws BadRequestException {
        JsonNode node = body.get(field);
        boolean list = node != null && node.isArray();
        boolean absentPort = field.equals("bootstrap_port") && (node == null || node.isNull());
        if (shape == FieldShape.LIST && !list && !absentPort) {
            throw new BadRequestException("a batch needs " + field + " as a list with one entry per prompt");
        }
        if (shape == FieldShape.SCALAR && list) {
            throw new BadRequestException(field + " must be a single value for a single prompt");
        }
        if (!list) {
            return node;
        }
        if (node.size() != count) {
            throw new BadRequestException(field + " has " + node.size() + " entries for " + count + " prompts");
        }
        return node.get(i);
    }

    private static long expandRoom(long room, int offset) throws BadRequestException {
        if (room > Long.MAX_VALUE - offset) {
            throw new BadRequestException("bootstrap_room + " + offset + " exceeds 2^63-1");
        }
        return room + offset;
    }

    private static long room(JsonNode room) throws BadRequestException {
        if (room == null || !room.isIntegralNumber() || !room.canConvertToLong() || room.longValue() < 0) {
            throw new BadRequestException("bootstrap_room must be an integer in [0, 2^63-1], got " + room);
        }
        return room.longValue();
    }

    private static String host(JsonNode host) throws BadRequestException {
        if (host == null || !host.isTextual() || host.asText().isBlank()) {
            throw new BadRequestException("bootstrap_host must be a host name or address, got " + host);
        }
        return host.asText();
    }

    private static Integer port(JsonNode port) throws BadRequestException {
        if (port == null || port.isNull()) {
            return null;
        }
        if (!port.isIntegralNumber() || !port.canConvertToInt() || port.intValue() < 1 || port.intValue() > 65_535) {
            throw new BadRequestException("bootstrap_port must be a port number or null, got " + port);
        }
        return port.intValue();
    }

    private static int intField(JsonNode object, String field, int absent, int min) throws BadRequestException {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min) {
            throw new BadRequestException(field + " must be an integer >= " + min + ", got " + value);
        }
        return value.intValue();
    }

    private static String textOr(JsonNode value, String absent) {
        return value == null || value.isNull() ? absent : value.asText();
    }

    private static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong()).toString().replace("-", "");
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
