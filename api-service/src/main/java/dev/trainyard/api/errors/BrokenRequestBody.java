package dev.trainyard.api.errors;

import java.io.EOFException;
import java.util.Optional;
import org.eclipse.jetty.http.BadMessageException;

/**
 * A request body the client broke while the server was reading it: chunk framing Jetty cannot parse
 * (a chunk size of "zz" or past 2^64), or a body that ends before its Content-Length or its last
 * chunk. Jetty reports these as a failure of the read, deep inside whatever was reading (the JSON
 * provider, a dataset upload), so they would reach the catch-all mapper as a 500; they are the
 * client's error and get a 400 that says what to send instead.
 */
final class BrokenRequestBody {
  private BrokenRequestBody() {}

  static Optional<String> reason(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BadMessageException bad) {
        return Optional.of(
            "the request body's framing is invalid ("
                + (bad.getReason() == null ? "bad message" : bad.getReason())
                + "): send a Content-Length body or well-formed chunks");
      }
      if (cause instanceof EOFException) {
        // Jetty reports an unparsable chunk size this way too: the body ends where framing broke
        return Optional.of(
            "the request body is incomplete or its chunks are malformed: send as many bytes as"
                + " its Content-Length, or well-formed chunks ending with the last chunk");
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }
}
