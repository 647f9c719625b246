package io.minilb.application.generation;

import io.minilb.domain.BootstrapAssignment;

/**
 * The client's request body, parsed once by the inbound adapter and kept opaque here. It renders
 * itself with the bootstrap fields set, once per request, for both legs.
 */
public interface Payload {

    byte[] renderWith(BootstrapAssignment assignment);
}
