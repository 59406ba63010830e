package dev.trainyard.activities;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a process and everything it started: SIGTERM to all, a grace period to save a checkpoint
 * and exit, then SIGKILL to whatever is left. Trainers fork data loaders, so the whole tree
 * matters.
 */
final class ProcessTreeStopper {
  private static final Logger log = LoggerFactory.getLogger(ProcessTreeStopper.class);
  private static final long POLL_MILLIS = 200;

  /** How long to wait for the kernel to finish off SIGKILLed processes. */
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private ProcessTreeStopper() {}

  static void stop(ProcessHandle root, Duration grace, ActivityHeartbeats heartbeats) {
    // Collected before the root dies: orphans are re-parented and no longer its descendants.
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    log.info(
        "sent SIGTERM to trainer pid {} and {} descendants; grace {}",
        root.pid(),
        tree.size() - 1,
        grace);
    if (awaitAllGone(tree, grace, heartbeats)) {
      return;
    }
    // Anything started during the grace period goes too.
    root.descendants().forEach(tree::add);
    List<ProcessHandle> left = tree.stream().filter(ProcessHandle::isAlive).toList();
    log.warn(
        "trainer pid {} still running after the grace; killing {} processes",
        root.pid(),
        left.size());
    left.forEach(ProcessHandle::destroyForcibly);
    if (!awaitAllGone(left, KILL_WAIT, heartbeats)) {
      throw new IllegalStateException("trainer pid " + root.pid() + " survived SIGKILL");
    }
  }

  private static boolean awaitAllGone(
      Collection<ProcessHandle> processes, Duration limit, ActivityHeartbeats heartbeats) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      heartbeats.beat("stopping trainer");
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw io.temporal.activity.Activity.wrap(e);
      }
    }
    return true;
  }
}
