package dev.trainyard.app.dev;

import java.util.Optional;

/** A Temporal frontend the dev stack started, however it was started. */
interface TemporalService extends AutoCloseable {
  /** host:port of the gRPC frontend. */
  String target();

  /** The web UI, when this kind of server has one. */
  Optional<String> uiUrl();

  /** Whether workflows survive a restart of the dev stack. */
  boolean durable();

  /** What kind of server this is, for the start-up summary. */
  String description();

  @Override
  void close();
}
