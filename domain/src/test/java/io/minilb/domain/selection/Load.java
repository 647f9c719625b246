package io.minilb.domain.selection;

import io.minilb.domain.worker.WorkerLoad;

/** A candidate whose load a test sets. */
final class Load implements WorkerLoad {

    private final String id;
    private int inFlight;

    Load(String id) {
        this.id = id;
    }

    static Load of(String id, int inFlight) {
        Load load = new Load(id);
        load.inFlight = inFlight;
        return load;
    }

    void setInFlight(int inFlight) {
        this.inFlight = inFlight;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String url() {
        return "http://" + id + ":1";
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public String toString() {
        return id;
    }
}
