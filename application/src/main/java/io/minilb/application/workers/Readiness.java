package io.minilb.application.workers;

import io.minilb.domain.worker.WorkerRole;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether mini-lb should be sent generations now: it is serving (not stopping), done warming up, and has at least
 * one available prefill and one available decode.
 */
public record Readiness(boolean serving, boolean warmingUp, int availablePrefills, int availableDecodes) {

    public boolean isReady() {
        return serving && !warmingUp && availablePrefills > 0 && availableDecodes > 0;
    }

    /** The sides with no available worker, prefill first. */
    public List<WorkerRole> sidesWithNone() {
        List<WorkerRole> sides = new ArrayList<>(2);
        if (availablePrefills == 0) {
            sides.add(WorkerRole.PREFILL);
        }
        if (availableDecodes == 0) {
            sides.add(WorkerRole.DECODE);
        }
        return List.copyOf(sides);
    }
}
