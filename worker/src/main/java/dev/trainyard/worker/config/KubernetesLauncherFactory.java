package dev.trainyard.worker.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;

/**
 * The worker YAML's {@code launcher.kubernetes} block: the launcher's own {@link
 * KubernetesLauncherConfig} plus {@code kubeconfig}, which says which cluster the worker's client
 * talks to and so is the worker's concern, not the launcher's. Without a kubeconfig the client
 * configures itself: in-cluster service account, then {@code $KUBECONFIG}/~/.kube/config.
 */
@JsonDeserialize(using = KubernetesLauncherFactory.Reader.class)
public final class KubernetesLauncherFactory {
  static final String KUBECONFIG = "kubeconfig";

  private final String kubeconfig;
  private final KubernetesLauncherConfig launcher;

  KubernetesLauncherFactory(String kubeconfig, KubernetesLauncherConfig launcher) {
    this.kubeconfig = kubeconfig == null || kubeconfig.isBlank() ? null : kubeconfig;
    this.launcher = launcher;
  }

  /** The launcher's configuration, validated when the file was read. */
  public KubernetesLauncherConfig launcher() {
    return launcher;
  }

  public KubernetesClient client() {
    Config config =
        kubeconfig == null
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(new File(kubeconfig));
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Override
  public String toString() {
    return "Kubernetes[kubeconfig=" + kubeconfig + ", " + launcher + "]";
  }

  /**
   * Takes {@code kubeconfig} out of the block and reads the rest as the launcher's configuration,
   * unknown keys refused as anywhere else in the file.
   */
  static final class Reader extends StdDeserializer<KubernetesLauncherFactory> {
    Reader() {
      super(KubernetesLauncherFactory.class);
    }

    @Override
    public KubernetesLauncherFactory deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonNode block = context.readTree(parser);
      if (!(block instanceof ObjectNode settings)) {
        return context.reportInputMismatch(this, "launcher.kubernetes must be a mapping");
      }
      JsonNode kubeconfig = settings.remove(KUBECONFIG);
      return new KubernetesLauncherFactory(
          kubeconfig == null || kubeconfig.isNull() ? null : kubeconfig.asText(),
          context.readTreeAsValue(settings, KubernetesLauncherConfig.class));
    }
  }
}
