package io.minilb.containers;

/**
 * {@link ServingCases} on real SGLang servers with GPUs. Skipped unless {@code -Dsglang.image} and
 * {@code -Dsglang.model} are given, and where no GPU is visible; see {@link SglangFleet}.
 */
class SglangServingIT extends ServingCases {

    @Override
    ServerFleet fleet() {
        return SglangFleet.fromSystemProperties();
    }
}
