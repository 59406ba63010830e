package dev.trainyard.workflows.messages;

/** The trainer's final report, reduced to what decides the job's status. */
public record TrainerDone(boolean succeeded, String error, long receivedAtMillis) {}
