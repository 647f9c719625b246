package io.minilb.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.minilb.adapters.in.kubernetes.DiscoverySettings;
import io.minilb.bootstrap.cli.MiniLbCommand;
import io.minilb.bootstrap.config.MiniLbConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deployment artifacts under {@code deploy/}, checked without a cluster: the plain manifests parsed into
 * fabric8's model classes (unknown fields and wrong types fail), with what makes them work together (probes, RBAC,
 * selectors, mini-lb's own arguments); the Helm chart's templates only reference values that exist.
 */
class DeploymentManifestsTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Pattern VALUES_REFERENCE = Pattern.compile("\\.Values\\.([A-Za-z0-9_.]+)");

    @Test
    void theDemoTopologyHangsTogether() throws IOException {
        List<HasMetadata> objects = documents(DEPLOY.resolve("manifests/demo.yaml"));
        Deployment lb = named(objects, Deployment.class, "mini-lb");
        Container container = lb.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> lbLabels = lb.getSpec().getTemplate().getMetadata().getLabels();

        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readiness");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(lbLabels).containsAllEntriesOf(lb.getSpec().getSelector().getMatchLabels());
        assertThat(lbLabels).containsAllEntriesOf(named(objects, Service.class, "mini-lb").getSpec().getSelector());
        assertThat(lbLabels).containsAllEntriesOf(
                named(objects, PodDisruptionBudget.class, "mini-lb").getSpec().getSelector().getMatchLabels());

        Role role = named(objects, Role.class, "mini-lb-pod-reader");
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("pods");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
        });
        RoleBinding binding = named(objects, RoleBinding.class, "mini-lb-pod-reader");
        assertThat(binding.getSubjects()).singleElement()
                .satisfies(subject -> assertThat(subject.getName())
                        .isEqualTo(lb.getSpec().getTemplate().getSpec().getServiceAccountName()));

        // mini-lb's own arguments parse, and its selectors find the simulator pods.
        MiniLbConfig config = parse(container.getArgs());
        DiscoverySettings discovery = config.discovery().settings();
        Deployment prefills = named(objects, Deployment.class, "sim-prefill");
        Deployment decodes = named(objects, Deployment.class, "sim-decode");
        assertThat(prefills.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(discovery.prefillSelector());
        assertThat(decodes.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(discovery.decodeSelector());
        assertThat(prefills.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey(DiscoverySettings.BOOTSTRAP_PORT_ANNOTATION);
        assertThat(discovery.namespace()).contains(lb.getMetadata().getNamespace());
        assertThat(prefills.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                .anySatisfy(port -> assertThat(port.getContainerPort()).isEqualTo(discovery.port()));

        // SIGTERM comes after the preStop pause; draining must end before the pod's grace period does.
        long preStop = Long.parseLong(container.getLifecycle().getPreStop().getExec().getCommand().get(1));
        assertThat(lb.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(preStop + config.timeouts().shutdownGrace().toSeconds());
        // /health is 503 while draining: the liveness probe must not kill a replica finishing its requests.
        assertThat((long) container.getLivenessProbe().getPeriodSeconds()
                * container.getLivenessProbe().getFailureThreshold())
                .isGreaterThan(config.timeouts().shutdownGrace().toSeconds());
    }

    @Test
    void everyValueTheChartReferencesIsInItsValues() throws IOException {
        Path chart = DEPLOY.resolve("helm/mini-lb");
        JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(chart.resolve("values.yaml").toFile());
        List<String> references = new ArrayList<>();
        try (Stream<Path> templates = Files.list(chart.resolve("templates"))) {
            for (Path template : templates.toList()) {
                Matcher matcher = VALUES_REFERENCE.matcher(Files.readString(template));
                while (matcher.find()) {
                    references.add(matcher.group(1));
                }
            }
        }
        assertThat(references).contains("discovery.prefillSelector", "terminationGracePeriodSeconds");
        assertThat(references).allSatisfy(reference -> assertThat(values.at("/" + reference.replace('.', '/'))
                .isMissingNode()).as(".Values." + reference + " is missing from values.yaml").isFalse());
    }

    private static List<HasMetadata> documents(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).split("(?m)^---$"))
                .map(document -> (HasMetadata) Serialization.unmarshal(document))
                .toList();
    }

    private static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> kind, String name) {
        return objects.stream().filter(kind::isInstance).map(kind::cast)
                .filter(object -> object.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static MiniLbConfig parse(List<String> args) {
        MiniLbCommand command = new MiniLbCommand();
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        return command.toConfig();
    }
}
