package dev.trainyard.worker.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trainyard.activities.LocalLauncherConfig;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

/**
 * The worker YAML's {@code launcher} block: {@code kind} chooses how trainers run, "local" (the
 * default) or "kubernetes", and only the chosen block is required. The blocks are the launchers'
 * own configurations, read as they are, so the YAML and the launchers cannot drift apart.
 */
public final class LauncherSettings {
  public static final String LOCAL = "local";
  public static final String KUBERNETES = "kubernetes";

  @JsonProperty
  @Pattern(regexp = LOCAL + "|" + KUBERNETES, message = "must be local or kubernetes")
  private String kind;

  @JsonProperty private LocalLauncherConfig local;

  @JsonProperty @Valid private KubernetesLauncherFactory kubernetes;

  /** {@link #LOCAL} when the file leaves it empty. */
  public String kind() {
    return kind == null || kind.isBlank() ? LOCAL : kind;
  }

  public boolean isKubernetes() {
    return KUBERNETES.equals(kind());
  }

  /** The local launcher's configuration; null when absent (allowed under kubernetes only). */
  public LocalLauncherConfig local() {
    return local;
  }

  /** The Kubernetes launcher's configuration and client; null when absent. */
  public KubernetesLauncherFactory kubernetes() {
    return kubernetes;
  }

  @ValidationMethod(message = "launcher.local is required when launcher.kind is local")
  boolean isLocalBlockPresentWhenChosen() {
    return !LOCAL.equals(kind()) || local != null;
  }

  @ValidationMethod(message = "launcher.kubernetes is required when launcher.kind is kubernetes")
  boolean isKubernetesBlockPresentWhenChosen() {
    return !isKubernetes() || kubernetes != null;
  }

  @Override
  public String toString() {
    return "Launcher[kind=" + kind() + ", local=" + local + ", kubernetes=" + kubernetes + "]";
  }
}
