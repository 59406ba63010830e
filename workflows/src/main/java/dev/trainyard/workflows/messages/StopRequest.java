package dev.trainyard.workflows.messages;

/** Stop a trainer: ask politely (SIGTERM / pod deletion), then force after {@code graceSeconds}. */
public record StopRequest(TrainerHandle handle, long graceSeconds) {}
