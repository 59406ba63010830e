package dev.trainyard.workflows.messages;

/**
 * Identifies a launched trainer to the launcher that started it: {@code runtime} names the launcher
 * ("local", "kubernetes"), {@code ref} is its id there (a pid, a Job name), {@code logLocation}
 * where its output goes. Carries no secret: it is recorded in workflow history.
 */
public record TrainerHandle(String runtime, String ref, String logLocation) {}
