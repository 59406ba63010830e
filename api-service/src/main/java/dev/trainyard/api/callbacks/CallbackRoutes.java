package dev.trainyard.api.callbacks;

import dev.trainyard.api.auth.CallbackAuth;
import dev.trainyard.api.auth.VerifiedTokenCache;
import dev.trainyard.api.config.CallbackApiFactory;
import dev.trainyard.api.db.JsonText;
import dev.trainyard.api.temporal.JobWorkflows;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import org.jdbi.v3.core.Jdbi;

/**
 * Registers the trainer's callback API: the JAX-RS resource with its token authentication, the
 * heartbeat group commit (started and stopped with the server) and the heartbeat fast path in
 * front of Jersey.
 */
public final class CallbackRoutes {
  private CallbackRoutes() {}

  public static void register(
      Environment environment, CallbackApiFactory config, Jdbi jdbi, JobWorkflows workflows, JsonText json) {
    Duration progressSignalInterval = config.getProgressSignalInterval().toJavaDuration();
    HeartbeatWriter heartbeats =
        new HeartbeatWriter(
            new HeartbeatBatch(jdbi, Clock.systemUTC(), progressSignalInterval),
            config.getMaxHeartbeatBatch(),
            config.getHeartbeatWriters());
    environment.lifecycle().manage(heartbeats);
    CallbackService callbacks =
        new CallbackService(jdbi, workflows, json, Clock.systemUTC(), progressSignalInterval, heartbeats);
    VerifiedTokenCache tokens = CallbackAuth.tokens(CallbackAuth.key(config.secretBytes()));

    environment.jersey().register(new CallbackResource(callbacks));
    CallbackAuth.register(environment.jersey(), tokens);
    environment
        .servlets()
        .addFilter(
            "heartbeat-fast-path",
            new HeartbeatFastPath(tokens, callbacks, environment.getObjectMapper(), config.getMaxBodyBytes()))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/jobs/*");
  }
}
