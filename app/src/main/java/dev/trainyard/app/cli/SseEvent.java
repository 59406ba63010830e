package dev.trainyard.app.cli;

/**
 * One Server-Sent Events message as dispatched: its type ({@code event:}, "message" when absent),
 * its data (the {@code data:} lines joined with newlines) and the last event id seen so far on the
 * stream (null before any {@code id:}), which is what a reconnect sends as {@code Last-Event-ID}.
 */
public record SseEvent(String id, String type, String data) {}
