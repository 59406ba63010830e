package dev.trainyard.api.openapi;

import io.dropwizard.jersey.setup.JerseyEnvironment;

/** Registers {@code GET /openapi.json}, the document behind it, and Swagger UI at {@code /docs}. */
public final class OpenApiRoutes {
  private OpenApiRoutes() {}

  public static void register(JerseyEnvironment jersey) {
    ServedDocument document = new ServedDocument();
    jersey.register(document);
    jersey.register(new OpenApiResource(document));
    jersey.register(new DocsResource());
  }
}
