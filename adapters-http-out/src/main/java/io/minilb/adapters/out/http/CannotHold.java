package io.minilb.adapters.out.http;

import io.minilb.application.generation.GenerationFailure.Kind;

/**
 * An answer mini-lb would have to hold is larger than {@link ResponseLimits#maxResponseBytes}
 * ({@link Kind#RESPONSE_TOO_LARGE}), or the memory budget (or the generation) is over ({@link Kind#OVERLOADED}).
 * Expected under load, so it carries no stack trace.
 */
final class CannotHold extends Exception {

    private final Kind kind;

    private CannotHold(Kind kind) {
        super(kind.type(), null, false, false);
        this.kind = kind;
    }

    static CannotHold tooLarge() {
        return new CannotHold(Kind.RESPONSE_TOO_LARGE);
    }

    static CannotHold noBudget() {
        return new CannotHold(Kind.OVERLOADED);
    }

    Kind kind() {
        return kind;
    }
}
