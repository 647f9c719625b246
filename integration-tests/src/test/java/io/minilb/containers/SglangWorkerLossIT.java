package io.minilb.containers;

/**
 * {@link WorkerLossCases} on real SGLang servers with GPUs. Skipped unless {@code -Dsglang.image} and
 * {@code -Dsglang.model} are given, and where no GPU is visible; see {@link SglangFleet}.
 */
class SglangWorkerLossIT extends WorkerLossCases {

    @Override
    ServerFleet fleet() {
        return SglangFleet.fromSystemProperties();
    }
}
