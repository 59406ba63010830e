package dev.trainyard.workflows.messages;

/**
 * A checkpoint the trainer reported ({@code checkpoint_saved}, kind {@code last}) and the API
 * checked: {@code uri} holds the state after {@code epoch} (1-based, as heartbeats count epochs) of
 * attempt {@code attempt}. The workflow keeps the latest and resumes the next attempt from it.
 */
public record CheckpointSaved(int attempt, int epoch, String uri, long receivedAtMillis) {}
