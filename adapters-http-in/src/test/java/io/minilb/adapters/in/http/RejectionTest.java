package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RejectionTest {

    @ParameterizedTest
    @CsvSource({
        "503, overloaded, OVERLOADED",
        "503, no_available_worker, NO_AVAILABLE_WORKER",
        "413, invalid_request_error, PAYLOAD_TOO_LARGE",
        "408, request_timeout, REQUEST_TIMEOUT",
        "400, invalid_request_error, INVALID_REQUEST",
        "502, response_too_large, RESPONSE_TOO_LARGE",
        "429, rate_limited, QUEUE_FULL",
        "408, queue_timeout, QUEUE_TIMEOUT",
        "401, authentication_error, UNAUTHENTICATED",
        "403, permission_error, FORBIDDEN"
    })
    void eachRefusalMiniLbAnswersItselfHasItsReason(int status, String type, Rejection expected) {
        assertThat(Rejection.of(status, type)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"502, backend_unreachable", "504, backend_timeout", "502, backend_error"})
    void aServersFailureIsNotARefusal(int status, String type) {
        assertThat(Rejection.of(status, type)).isEmpty();
    }
}
