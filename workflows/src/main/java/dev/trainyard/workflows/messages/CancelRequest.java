package dev.trainyard.workflows.messages;

/** A user's request to stop the job. */
public record CancelRequest(String reason, long requestedAtMillis) {}
