package dev.trainyard.app.cli;

/**
 * An answer of the API exactly as it came ({@link ApiClient#send}): its status, its body as text
 * and its {@code Content-Type} ("" when it sent none).
 */
public record ApiReply(int status, String body, String contentType) {}
