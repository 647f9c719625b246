package io.minilb.domain;

import io.minilb.domain.worker.WorkerRole;

/** A backend server mini-lb routes to, identified by its base URL. */
public sealed interface Worker permits PrefillWorker, DecodeWorker {

    String url();

    WorkerRole role();
}
