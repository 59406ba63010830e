package dev.trainyard.e2e.deploy;

import java.util.List;
import java.util.Map;

/**
 * One Trainyard container as a deploy file describes it: the image stage it runs, its arguments
 * (the distribution's {@code server} or {@code worker} and a config file in the image), the
 * environment the file gives it (values filled from .env or the Secrets, host names as written),
 * its healthchecks or probes, and its volumes.
 *
 * @param ports container port by name (Kubernetes' named ports; empty for compose)
 */
record ContainerSpec(
    String shape,
    String name,
    String imageStage,
    List<String> args,
    Map<String, String> environment,
    List<Probe> probes,
    List<Mount> mounts,
    Map<String, Integer> ports) {

  /**
   * A healthcheck (compose) or readiness/liveness probe (Kubernetes): a command in the container.
   */
  record Probe(String kind, List<String> command) {}

  record Mount(String volume, String path, boolean readOnly) {}

  /** {@code server} or {@code worker}. */
  String process() {
    return args.get(0);
  }

  /** The configuration file's path in the image. */
  String configFile() {
    return args.get(1);
  }

  @Override
  public String toString() {
    return shape + " " + name;
  }
}
