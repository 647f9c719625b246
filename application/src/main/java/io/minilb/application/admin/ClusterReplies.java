package io.minilb.application.admin;

import java.util.List;
import java.util.stream.Stream;

/** The answers of every prefill and every decode server to one admin call. */
public record ClusterReplies(List<WorkerReply> prefills, List<WorkerReply> decodes) {

    public ClusterReplies {
        prefills = List.copyOf(prefills);
        decodes = List.copyOf(decodes);
    }

    public List<WorkerReply> all() {
        return Stream.concat(prefills.stream(), decodes.stream()).toList();
    }

    public List<WorkerReply> failed() {
        return all().stream().filter(reply -> !reply.succeeded()).toList();
    }

    public boolean allSucceeded() {
        return failed().isEmpty();
    }
}
