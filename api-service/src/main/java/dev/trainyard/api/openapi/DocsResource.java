package dev.trainyard.api.openapi;

import dev.trainyard.api.errors.ApiException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Swagger UI at {@code /docs}, from the {@code org.webjars:swagger-ui} jar (nothing from a CDN),
 * started by our own initializer on {@code /openapi.json}. Only the files the page uses are served,
 * under a Content-Security-Policy that allows nothing but this origin: the page has no inline
 * script, and "Try it out" calls the API on the same origin.
 */
@Path("/docs")
@Hidden
public final class DocsResource {
  /**
   * Swagger UI sets style attributes on the elements it renders (hence 'unsafe-inline' for styles
   * alone), and its stylesheet embeds its icons as data: URLs.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
          + " form-action 'none'";

  private static final String WEBJAR =
      "/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";

  /** Asset name → where it lives and what it is. */
  private static final Map<String, String[]> ASSETS =
      Map.of(
          "swagger-ui.css", new String[] {WEBJAR + "swagger-ui.css", "text/css; charset=utf-8"},
          "swagger-ui-bundle.js",
              new String[] {WEBJAR + "swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
          "favicon-32x32.png", new String[] {WEBJAR + "favicon-32x32.png", "image/png"},
          "trainyard-docs.js",
              new String[] {"/openapi/trainyard-docs.js", "text/javascript; charset=utf-8"});

  @GET
  @PermitAll
  public Response page() {
    return serve("/openapi/docs.html", "text/html; charset=utf-8");
  }

  @GET
  @Path("{asset}")
  @PermitAll
  public Response asset(@PathParam("asset") String name) {
    String[] asset = ASSETS.get(name);
    if (asset == null) {
      throw new ApiException(404, "no such file under /docs");
    }
    return serve(asset[0], asset[1]);
  }

  private static Response serve(String resource, String type) {
    byte[] body = read(resource);
    return Response.ok(body, type)
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("Cache-Control", "no-cache")
        .build();
  }

  private static byte[] read(String resource) {
    try (InputStream in = DocsResource.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing from the build: " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The webjar's version, from its Maven metadata: the pom's version is the only one to bump. */
  private static String webjarVersion() {
    Properties pom = new Properties();
    try (InputStream in =
        DocsResource.class.getResourceAsStream(
            "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the org.webjars:swagger-ui jar is not on the classpath");
      }
      pom.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pom.getProperty("version");
  }
}
