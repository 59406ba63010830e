package dev.trainyard.workflows.messages;

/**
 * How a trainer ended, as the launcher saw it. {@code exitCode} is null when unknown (a process no
 * longer our child); {@code cause} is a short machine word ("exited", "oom_killed", "killed",
 * "image_pull_failed", ...); {@code logTail} the last lines of its output.
 */
public record TrainerExit(Integer exitCode, String cause, String logTail, long observedAtMillis) {}
