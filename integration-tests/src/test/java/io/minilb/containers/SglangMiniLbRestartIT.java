package io.minilb.containers;

/**
 * {@link MiniLbRestartCases} on real SGLang servers with GPUs. Skipped unless {@code -Dsglang.image} and
 * {@code -Dsglang.model} are given, and where no GPU is visible; see {@link SglangFleet}.
 */
class SglangMiniLbRestartIT extends MiniLbRestartCases {

    @Override
    ServerFleet fleet() {
        return SglangFleet.fromSystemProperties();
    }
}
