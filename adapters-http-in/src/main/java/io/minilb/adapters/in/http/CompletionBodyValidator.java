package io.minilb.adapters.in.http;

import static io.minilb.adapters.in.http.BodyFields.allMatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * /v1/completions, as SGLang's {@code CompletionRequest} reads it: {@code prompt} is required, a string, a list of
 * strings, a list of token ids or a list of such lists, and not empty.
 */
final class CompletionBodyValidator implements BodyValidator {

    static final CompletionBodyValidator INSTANCE = new CompletionBodyValidator();

    private static final String PROMPT_SHAPE =
            "must be a string, a list of strings, a list of token ids or a list of such lists";
    private static final Pattern INTEGER_TEXT = Pattern.compile("\\s*[+-]?\\d+\\s*");

    private CompletionBodyValidator() {
    }

    @Override
    public void check(ObjectNode body) throws InvalidRequestException {
        checkPrompt(body.path("prompt"));
        OpenAiSamplingValidator.check(body, List.of("max_tokens"));
    }

    private static void checkPrompt(JsonNode prompt) throws InvalidRequestException {
        if (!prompt.isTextual() && !isPromptList(prompt)) {
            throw BodyFields.invalid("prompt", PROMPT_SHAPE);
        }
        // SGLang refuses a prompt with nothing in it: "", [], or a list of only empty items.
        if (prompt.isTextual() ? isBlank(prompt) : allMatch(prompt, CompletionBodyValidator::isBlank)) {
            throw BodyFields.invalid("prompt", "must not be empty");
        }
    }

    private static boolean isPromptList(JsonNode prompt) {
        return prompt.isArray() && (allMatch(prompt, JsonNode::isTextual)
                || allMatch(prompt, CompletionBodyValidator::isTokenId)
                || allMatch(prompt, item -> item.isArray() && allMatch(item, CompletionBodyValidator::isTokenId)));
    }

    private static boolean isBlank(JsonNode item) {
        return item.isTextual() ? item.textValue().isEmpty() : item.isArray() && item.isEmpty();
    }

    /** What pydantic takes for an int in a token list: a whole number, a bool or a string of digits. */
    private static boolean isTokenId(JsonNode item) {
        return BodyFields.isWholeNumber(item) || item.isTextual() && INTEGER_TEXT.matcher(item.textValue()).matches();
    }
}
