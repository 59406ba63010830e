package dev.trainyard.api.http;

import io.dropwizard.jetty.GzipHandlerFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;

/**
 * The configured {@code server.gzip} for replies, without inflating requests. Jetty's gzip handler
 * would inflate a {@code Content-Encoding: gzip} body and hide the header from the application, and
 * its failure on bytes that are not gzip reached the client as a 500. No client of this API
 * compresses what it sends (the trainer, the CLI), so a compressed body is refused with 415 by
 * {@link PlainBodyFilter} instead of being inflated.
 */
@SuppressWarnings("removal") // Dropwizard 5 configures Jetty's GzipHandler; it has no successor yet
public final class ResponseOnlyGzip extends GzipHandlerFactory {
  /** Jetty's value for "do not inflate request bodies". */
  private static final int NO_INFLATION = -1;

  private final GzipHandlerFactory configured;

  public ResponseOnlyGzip(GzipHandlerFactory configured) {
    this.configured = configured;
  }

  @Override
  public boolean isEnabled() {
    return configured.isEnabled();
  }

  @Override
  public GzipHandler build(Handler handler) {
    GzipHandler gzip = configured.build(handler);
    gzip.setInflateBufferSize(NO_INFLATION);
    // A flush must reach the client: browsers always accept gzip, and a followed log (the
    // dashboard's) would otherwise sit in the deflater until kilobytes had gathered.
    gzip.setSyncFlush(true);
    return gzip;
  }
}
