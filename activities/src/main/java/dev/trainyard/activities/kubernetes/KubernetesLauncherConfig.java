package dev.trainyard.activities.kubernetes;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the Kubernetes launcher runs trainers: where (namespace, node selector, tolerations), as what
 * (image per framework, service account, non-root user), with what (resources, environment, the
 * storage credentials that go into each job's Secret), and how patiently it watches. Also the
 * worker YAML's {@code launcher.kubernetes} block, read as is, with its names: {@code images},
 * {@code unschedulableLimitSeconds}, {@code imagePullLimitSeconds}, {@code pollIntervalMillis}.
 *
 * @param imagesByFramework trainer image per framework name; may be empty
 * @param defaultImage image for any other framework; null when there is none
 * @param secretEnvironment variables that go into the per-job Secret (storage credentials), never
 *     into the pod spec
 * @param envFromSecrets existing Secrets whose keys every trainer receives (an alternative to
 *     copying credentials through the worker)
 * @param unschedulableLimit how long a pod may stay unschedulable before the job fails
 * @param imagePullLimit how long image pull (or container config) errors may last before it fails
 * @param runAsUser the trainer's uid (and gid, fsGroup); 1000 when absent
 * @param ttlSecondsAfterFinished how long a finished Job stays for inspection; 3600 when absent
 */
public record KubernetesLauncherConfig(
    String namespace,
    @JsonProperty("images") Map<String, String> imagesByFramework,
    String defaultImage,
    String imagePullPolicy,
    List<String> imagePullSecrets,
    String serviceAccount,
    TrainerResources resources,
    Map<String, String> nodeSelector,
    List<TrainerToleration> tolerations,
    Long runAsUser,
    String shmSize,
    Long ttlSecondsAfterFinished,
    @JsonProperty("unschedulableLimitSeconds") @JsonFormat(pattern = "SECONDS")
        Duration unschedulableLimit,
    @JsonProperty("imagePullLimitSeconds") @JsonFormat(pattern = "SECONDS") Duration imagePullLimit,
    @JsonProperty("pollIntervalMillis") @JsonFormat(pattern = "MILLIS") Duration pollInterval,
    String backendBaseUrl,
    Map<String, String> extraEnvironment,
    Map<String, String> secretEnvironment,
    List<String> envFromSecrets) {

  /** DNS-1123 label: namespaces, Secret and service account names obey it. */
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public KubernetesLauncherConfig {
    require(
        namespace != null && DNS_LABEL.matcher(namespace).matches(),
        "namespace must be a DNS-1123 label: " + namespace);
    imagesByFramework = imagesByFramework == null ? Map.of() : Map.copyOf(imagesByFramework);
    imagesByFramework.forEach(
        (framework, image) ->
            require(
                notBlank(framework) && notBlank(image),
                "image for framework '" + framework + "' is blank"));
    defaultImage = notBlank(defaultImage) ? defaultImage : null;
    require(
        !imagesByFramework.isEmpty() || defaultImage != null,
        "configure a trainer image (per framework or a default image)");
    imagePullPolicy = notBlank(imagePullPolicy) ? imagePullPolicy : "IfNotPresent";
    require(
        List.of("Always", "IfNotPresent", "Never").contains(imagePullPolicy),
        "imagePullPolicy must be Always, IfNotPresent or Never");
    imagePullSecrets = imagePullSecrets == null ? List.of() : List.copyOf(imagePullSecrets);
    require(
        !notBlank(serviceAccount) || DNS_LABEL.matcher(serviceAccount).matches(),
        "serviceAccount must be a DNS-1123 name");
    serviceAccount = notBlank(serviceAccount) ? serviceAccount : null;
    resources = resources == null ? TrainerResources.none() : resources;
    nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    runAsUser = runAsUser == null ? 1000 : runAsUser;
    require(runAsUser > 0, "runAsUser must be a non-root uid (> 0)");
    shmSize = notBlank(shmSize) ? shmSize : null;
    ttlSecondsAfterFinished = ttlSecondsAfterFinished == null ? 3600 : ttlSecondsAfterFinished;
    require(ttlSecondsAfterFinished >= 0, "ttlSecondsAfterFinished must not be negative");
    unschedulableLimit =
        nonNegative(unschedulableLimit, Duration.ofMinutes(10), "unschedulableLimit");
    imagePullLimit = nonNegative(imagePullLimit, Duration.ofMinutes(2), "imagePullLimit");
    pollInterval = nonNegative(pollInterval, Duration.ofSeconds(2), "pollInterval");
    require(!pollInterval.isZero(), "pollInterval must be positive");
    require(
        notBlank(backendBaseUrl)
            && (backendBaseUrl.startsWith("http://") || backendBaseUrl.startsWith("https://")),
        "backendBaseUrl must be an http(s) URL the pods can reach: " + backendBaseUrl);
    while (backendBaseUrl.endsWith("/")) {
      backendBaseUrl = backendBaseUrl.substring(0, backendBaseUrl.length() - 1);
    }
    extraEnvironment = envNames(extraEnvironment, "extraEnvironment");
    secretEnvironment = envNames(secretEnvironment, "secretEnvironment");
    envFromSecrets = envFromSecrets == null ? List.of() : List.copyOf(envFromSecrets);
    envFromSecrets.forEach(
        name ->
            require(
                DNS_LABEL.matcher(name).matches() || name.contains("."),
                "envFromSecrets entry is not a Secret name: " + name));
  }

  /** A minimal configuration: one image for every framework, defaults for everything else. */
  public static KubernetesLauncherConfig of(String namespace, String image, String backendBaseUrl) {
    return new KubernetesLauncherConfig(
        namespace,
        Map.of(),
        image,
        null,
        null,
        null,
        null,
        null,
        null,
        1000L,
        null,
        3600L,
        null,
        null,
        null,
        backendBaseUrl,
        null,
        null,
        null);
  }

  /** The image for a framework, or null when none is configured. */
  String imageFor(String framework) {
    return imagesByFramework.getOrDefault(framework, defaultImage);
  }

  private static Map<String, String> envNames(Map<String, String> env, String setting) {
    if (env == null) {
      return Map.of();
    }
    Map<String, String> copy = new LinkedHashMap<>();
    env.forEach(
        (name, value) -> {
          require(
              name != null && ENV_NAME.matcher(name).matches(),
              setting + " has an invalid variable name: " + name);
          copy.put(name, value == null ? "" : value);
        });
    return Map.copyOf(copy);
  }

  private static Duration nonNegative(Duration value, Duration fallback, String setting) {
    Duration result = value == null ? fallback : value;
    require(!result.isNegative(), setting + " must not be negative");
    return result;
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException("kubernetes launcher: " + problem);
    }
  }

  // Storage credentials must never reach a log line through the generated toString.
  @Override
  public String toString() {
    return "KubernetesLauncherConfig[namespace="
        + namespace
        + ", images="
        + imagesByFramework
        + ", defaultImage="
        + defaultImage
        + ", serviceAccount="
        + serviceAccount
        + ", resources="
        + resources
        + ", secretEnvironment="
        + secretEnvironment.keySet()
        + "]";
  }

  /** Requests and limits for the trainer container; a null quantity is left out. */
  public record TrainerResources(
      String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit, Integer gpus) {
    public static TrainerResources none() {
      return new TrainerResources(null, null, null, null, null);
    }

    public TrainerResources {
      if (gpus != null && gpus < 0) {
        throw new IllegalArgumentException("kubernetes launcher: gpus must not be negative");
      }
    }
  }

  /**
   * A pod toleration (GPU node pools are usually tainted, e.g. {@code nvidia.com/gpu:NoSchedule}).
   */
  public record TrainerToleration(String key, String operator, String value, String effect) {}
}
