package dev.trainyard.api.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.trainyard.api.errors.Problem;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceModel;

/**
 * The OpenAPI 3 description of the API, read by swagger-core from the resource classes Jersey
 * actually serves (so a route cannot be registered and left out), then completed by {@link
 * ProblemResponses} with the refusals every route of a kind shares. Built once, at start-up.
 */
public final class OpenApiDocument {
  /** The user routes' credential: an API key, {@code Authorization: Bearer ty_…}. */
  public static final String API_KEY = "apiKey";

  /** The trainer callbacks' credential: the job's callback JWT. */
  public static final String CALLBACK_TOKEN = "callbackToken";

  private OpenApiDocument() {}

  /** The document for the resources of a built Jersey application. */
  public static OpenAPI of(ResourceModel model) {
    return of(handlerClasses(model.getRootResources()));
  }

  static OpenAPI of(Set<Class<?>> resources) {
    JsonShapes.install();
    OpenAPI base = new OpenAPI().info(info()).components(components()).tags(Tags.all());
    OpenAPI document =
        new Reader(new SwaggerConfiguration().openAPI(base).sortOutput(true)).read(resources);
    ProblemResponses.complete(document);
    return document;
  }

  public static byte[] json(OpenAPI document) {
    try {
      return Json.mapper().writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<Class<?>> handlerClasses(Collection<Resource> resources) {
    Set<Class<?>> classes = new LinkedHashSet<>();
    for (Resource resource : resources) {
      classes.addAll(resource.getHandlerClasses());
      classes.addAll(handlerClasses(resource.getChildResources()));
    }
    return classes;
  }

  private static Info info() {
    String version = OpenApiDocument.class.getPackage().getImplementationVersion();
    return new Info()
        .title("Trainyard API")
        .version(version == null ? "dev" : version)
        .description(
            "Submit, watch and cancel training jobs (user routes, an API key), and the trainer's"
                + " callbacks (a job's callback token). Every error is an RFC 9457"
                + " application/problem+json document. With `callbacks.port` set, the callback"
                + " routes are served on that port only, and every other route on the user port.");
  }

  private static Components components() {
    Components components =
        new Components()
            .addSecuritySchemes(
                API_KEY,
                new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .bearerFormat("ty_…")
                    .description(
                        "An API key (`ty_<key id>_<secret>`), sent as `Authorization: Bearer"
                            + " ty_…`. `trainyard admin create-key` or `POST"
                            + " /v1/projects/{project}/keys` makes one."))
            .addSecuritySchemes(
                CALLBACK_TOKEN,
                new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .bearerFormat("JWT")
                    .description(
                        "The job's callback token (HS256 JWT, scope training-callback), given to"
                            + " the trainer as CALLBACK_TOKEN; valid for that job only."));
    ModelConverters.getInstance().readAll(Problem.class).forEach(components::addSchemas);
    Paging.addTo(components);
    return components;
  }
}
