package io.minilb.domain;

/** A backend server mini-lb routes to, identified by its base URL. */
public sealed interface Worker permits PrefillWorker, DecodeWorker {

    String url();
}
