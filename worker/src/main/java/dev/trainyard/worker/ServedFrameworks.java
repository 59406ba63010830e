package dev.trainyard.worker;

import dev.trainyard.activities.LocalLauncherConfig;
import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig;
import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The frameworks a launcher has a trainer for: those named in its configuration, and {@link
 * TrainerFrameworkDao#ANY_FRAMEWORK} when it has a default trainer, which runs any other framework.
 */
public final class ServedFrameworks {
  private ServedFrameworks() {}

  public static Set<String> of(LocalLauncherConfig launcher) {
    return served(launcher.commandsByFramework().keySet(), !launcher.defaultCommand().isEmpty());
  }

  public static Set<String> of(KubernetesLauncherConfig launcher) {
    return served(launcher.imagesByFramework().keySet(), launcher.defaultImage() != null);
  }

  private static Set<String> served(Collection<String> named, boolean hasDefault) {
    Set<String> frameworks = new TreeSet<>(named);
    if (hasDefault) {
      frameworks.add(TrainerFrameworkDao.ANY_FRAMEWORK);
    }
    // sorted, for the log line that says what this worker serves
    return Collections.unmodifiableSet(frameworks);
  }
}
