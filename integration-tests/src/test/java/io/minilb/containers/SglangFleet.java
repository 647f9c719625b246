package io.minilb.containers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.model.DeviceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Real SGLang servers ({@code python3 -m sglang.launch_server --disaggregation-mode ...}) on the host's GPUs,
 * configured by system properties:
 * <ul>
 *   <li>{@code sglang.image} (turns this mode on), e.g. {@code lmsysorg/sglang:v0.5.5}</li>
 *   <li>{@code sglang.model}: a Hugging Face id or a path inside the container</li>
 *   <li>{@code sglang.transferBackend}: {@code mooncake}, {@code nixl}...; SGLang's default when unset</li>
 *   <li>{@code sglang.extraArgs}: more launch_server flags, e.g. {@code --mem-fraction-static 0.2}</li>
 *   <li>{@code sglang.gpus}: how many GPUs to spread servers over; {@code nvidia-smi -L} counts them when unset</li>
 *   <li>{@code sglang.shmGiB} (16), {@code sglang.startupMinutes} (15),
 *       {@code sglang.hfCache} ({@code ~/.cache/huggingface}, mounted when it exists); {@code HF_TOKEN} is passed on</li>
 * </ul>
 * Every container sees all GPUs; server {@code slot} uses GPU {@code slot % gpus} ({@code --base-gpu-id}).
 */
final class SglangFleet implements ServerFleet {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final String CONTAINER_HF_CACHE = "/root/.cache/huggingface";

    private final String image;
    private final String model;
    private final Optional<String> transferBackend;
    private final List<String> extraArguments;
    private final int gpus;

    private SglangFleet(String image, String model, Optional<String> transferBackend, List<String> extraArguments,
            int gpus) {
        this.image = image;
        this.model = model;
        this.transferBackend = transferBackend;
        this.extraArguments = extraArguments;
        this.gpus = gpus;
    }

    /** The fleet the system properties describe; skips the calling test class (assumption) when off or GPU-less. */
    static SglangFleet fromSystemProperties() {
        Optional<String> image = SuiteSettings.optional("sglang.image");
        assumeTrue(image.isPresent(), "real SGLang mode is off: sglang.image is unset "
                + "(on a GPU host pass -Dsglang.image=lmsysorg/sglang:<tag> -Dsglang.model=<hf id>)");
        String model = SuiteSettings.optional("sglang.model").orElseThrow(() -> new IllegalStateException(
                "sglang.image is set but sglang.model is not: pass -Dsglang.model=<hf id or path>"));
        int gpus = SuiteSettings.optional("sglang.gpus").map(Integer::parseInt).orElseGet(VisibleGpus::count);
        assumeTrue(gpus > 0, "no GPU visible: `nvidia-smi -L` lists none here "
                + "(where the Docker host has GPUs this machine cannot see, pass -Dsglang.gpus=N)");
        List<String> extra = SuiteSettings.optional("sglang.extraArgs")
                .map(args -> Arrays.asList(args.split("\\s+"))).orElse(List.of());
        return new SglangFleet(image.get(), model, SuiteSettings.optional("sglang.transferBackend"), extra, gpus);
    }

    @Override
    public GenericContainer<?> prefill(Network network, String alias, int slot) {
        return server(network, alias, slot, "prefill",
                List.of("--disaggregation-bootstrap-port", String.valueOf(BOOTSTRAP_PORT)));
    }

    @Override
    public GenericContainer<?> decode(Network network, String alias, int slot) {
        return server(network, alias, slot, "decode", List.of());
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean simulated() {
        return false;
    }

    private GenericContainer<?> server(Network network, String alias, int slot, String mode, List<String> modeArguments) {
        GenericContainer<?> server = new GenericContainer<>(DockerImageName.parse(image))
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withExposedPorts(HTTP_PORT)
                .withSharedMemorySize(Long.getLong("sglang.shmGiB", 16) * GIB)
                .withCreateContainerCmdModifier(create -> {
                    create.withEntrypoint("python3", "-m", "sglang.launch_server");
                    create.getHostConfig().withDeviceRequests(List.of(new DeviceRequest()
                            .withCount(-1)
                            .withCapabilities(List.of(List.of("gpu")))));
                })
                .withCommand(launchArguments(slot, mode, modeArguments).toArray(String[]::new))
                .waitingFor(Wait.forHttp("/health").forPort(HTTP_PORT)
                        .withStartupTimeout(Duration.ofMinutes(Long.getLong("sglang.startupMinutes", 15))));
        Optional.ofNullable(System.getenv("HF_TOKEN")).ifPresent(token -> server.withEnv("HF_TOKEN", token));
        Path hfCache = Path.of(System.getProperty("sglang.hfCache",
                System.getProperty("user.home") + "/.cache/huggingface"));
        if (Files.isDirectory(hfCache)) {
            server.withFileSystemBind(hfCache.toString(), CONTAINER_HF_CACHE, BindMode.READ_WRITE);
        }
        return server;
    }

    private List<String> launchArguments(int slot, String mode, List<String> modeArguments) {
        List<String> arguments = new ArrayList<>(List.of(
                "--model-path", model,
                "--disaggregation-mode", mode,
                "--host", "0.0.0.0",
                "--port", String.valueOf(HTTP_PORT),
                "--base-gpu-id", String.valueOf(slot % gpus)));
        arguments.addAll(modeArguments);
        transferBackend.ifPresent(backend -> arguments.addAll(List.of("--disaggregation-transfer-backend", backend)));
        arguments.addAll(extraArguments);
        return arguments;
    }
}
