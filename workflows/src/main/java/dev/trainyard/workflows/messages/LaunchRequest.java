package dev.trainyard.workflows.messages;

/**
 * Start the trainer for this job. The launcher mints the callback token itself, so no token ever
 * enters workflow history.
 */
public record LaunchRequest(JobSpec spec) {}
