package dev.trainyard.api.callbacks;

import dev.trainyard.api.errors.ApiException;
import java.time.Duration;

/** The heartbeat waited too long for its write: nothing is promised, the trainer should retry. */
final class HeartbeatBacklogException extends ApiException {
  HeartbeatBacklogException(Duration waited) {
    super(503, "the heartbeat was not written within " + waited.toSeconds() + " s; retry later");
  }
}
