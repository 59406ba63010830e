package dev.trainyard.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.auth.CallbackPrincipal;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.annotation.security.PermitAll;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.glassfish.jersey.server.model.Parameter;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} as the running server serves it, against the routes Jersey really has:
 * every route of every registered resource is described, with the credential its {@code @Auth}
 * parameter takes and every refusal the shared layers can answer, each as problem+json.
 */
class OpenApiDescriptionTest extends ApiTest {
  /** One route: a resource method with its full path template, as Jersey matches it. */
  record Route(String method, String path, Method handler) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @Test
  void describesEveryRouteWithItsCredentialAndErrors() throws IOException {
    Http.Reply reply = Http.anonymous(APP.getLocalPort()).get("/openapi.json");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/openapi.json"), reply.body()); // to read when this fails
    JsonNode document = reply.json();
    assertThat(document.get("openapi").asText()).startsWith("3.");

    List<Route> routes = routes();
    assertThat(routes).as("the resource model").hasSizeGreaterThan(20);
    for (Route route : routes) {
      JsonNode operation = document.path("paths").path(route.path()).path(route.method());
      assertThat(operation.isObject()).as(route + " is described").isTrue();
      checkSecurity(route, operation);
      checkResponses(route, operation);
    }
  }

  private static void checkSecurity(Route route, JsonNode operation) {
    Class<?> caller = callerType(route.handler());
    if (caller == null) {
      assertThat(route.handler().getAnnotation(PermitAll.class)).as(route + " is open").isNotNull();
      assertThat(operation.path("security").size()).as(route + " needs no credential").isZero();
      return;
    }
    String scheme =
        caller == UserPrincipal.class
            ? OpenApiDocument.API_KEY
            : caller == CallbackPrincipal.class ? OpenApiDocument.CALLBACK_TOKEN : "?" + caller;
    assertThat(operation.path("security").toString())
        .as(route + " security")
        .isEqualTo("[{\"" + scheme + "\":[]}]");
  }

  private static void checkResponses(Route route, JsonNode operation) {
    JsonNode responses = operation.path("responses");
    List<String> codes = new ArrayList<>();
    responses.fieldNames().forEachRemaining(codes::add);
    assertThat(codes).as(route + " has a success reply").anyMatch(c -> c.startsWith("2"));
    List<String> expected = new ArrayList<>();
    if (callerType(route.handler()) != null) {
      expected.addAll(List.of("401", "403", "503"));
    }
    if (hasBody(route.handler())) {
      expected.addAll(List.of("400", "413", "415"));
    }
    if (route.path().contains("{")) {
      expected.addAll(List.of("400", "404")); // a path Jetty cannot decode; no such resource
    }
    if (hasQueryParameters(route.handler())) {
      expected.add("400");
    }
    assertThat(codes).as(route + " error codes").containsAll(expected);
    for (String code : codes) {
      if (code.startsWith("2") && !code.equals("204")) {
        assertThat(responses.path(code).path("content").size())
            .as(route + " " + code + " says what it answers")
            .isPositive();
      }
      if (code.startsWith("4") || code.startsWith("5")) {
        assertThat(responses.path(code).path("content").path("application/problem+json"))
            .as(route + " " + code + " is problem+json")
            .hasToString("{\"schema\":{\"$ref\":\"#/components/schemas/Problem\"}}");
      }
    }
  }

  @Test
  void swaggerUiIsServedFromTheJarOnOurDocument() {
    Http anonymous = Http.anonymous(APP.getLocalPort());
    Http.Reply page = anonymous.get("/docs");
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body())
        .contains("/docs/swagger-ui-bundle.js", "/docs/trainyard-docs.js")
        .doesNotContain("http:", "https:", "<script>");
    Http.Reply init = anonymous.get("/docs/trainyard-docs.js");
    assertThat(init.body()).contains("url: \"/openapi.json\"").doesNotContain("petstore");
    Http.Reply bundle = anonymous.get("/docs/swagger-ui-bundle.js");
    assertThat(bundle.status()).isEqualTo(200);
    assertThat(bundle.contentType()).startsWith("text/javascript");
    assertThat(bundle.body()).contains("SwaggerUIBundle");
    assertThat(anonymous.get("/docs/swagger-ui.css").status()).isEqualTo(200);
    assertProblem(anonymous.get("/docs/index.html"), 404);
    assertProblem(anonymous.get("/docs/swagger-initializer.js"), 404); // the petstore one
  }

  /** Every route of every resource Jersey serves, except those hidden from the description. */
  private static List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    Stream.concat(
            APP.getEnvironment().jersey().getResourceConfig().getSingletons().stream()
                .map(Object::getClass),
            APP.getEnvironment().jersey().getResourceConfig().getClasses().stream())
        .filter(type -> type.isAnnotationPresent(jakarta.ws.rs.Path.class))
        .filter(type -> !type.isAnnotationPresent(Hidden.class))
        .distinct()
        .forEach(type -> collect(Resource.from(type), "", routes));
    return routes;
  }

  private static void collect(Resource resource, String parent, List<Route> routes) {
    String path = join(parent, resource.getPath());
    for (ResourceMethod method : resource.getResourceMethods()) {
      Method handler = method.getInvocable().getHandlingMethod();
      if (!handler.isAnnotationPresent(Hidden.class)) {
        routes.add(
            new Route(method.getHttpMethod().toLowerCase(Locale.ROOT), openApiPath(path), handler));
      }
    }
    for (Resource child : resource.getChildResources()) {
      collect(child, path, routes);
    }
  }

  private static String join(String parent, String path) {
    String joined = (parent + "/" + (path == null ? "" : path)).replaceAll("/+", "/");
    return joined.length() > 1 && joined.endsWith("/")
        ? joined.substring(0, joined.length() - 1)
        : joined;
  }

  /** {@code {id: [1-9][0-9]{0,18}}} as OpenAPI writes it: {@code {id}}. */
  static String openApiPath(String template) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    boolean inRegex = false;
    for (char c : template.toCharArray()) {
      if (c == '{') {
        depth++;
        if (depth > 1) {
          continue;
        }
      } else if (c == '}') {
        depth--;
        if (depth > 0) {
          continue;
        }
        inRegex = false;
      } else if (depth == 1 && c == ':') {
        inRegex = true;
        continue;
      }
      if (!inRegex && (depth <= 1) && !(depth == 1 && c == ' ')) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Class<?> callerType(Method handler) {
    Annotation[][] annotations = handler.getParameterAnnotations();
    for (int i = 0; i < annotations.length; i++) {
      for (Annotation annotation : annotations[i]) {
        if (annotation instanceof Auth) {
          return handler.getParameterTypes()[i];
        }
      }
    }
    return null;
  }

  private static boolean hasBody(Method handler) {
    return Resource.from(handler.getDeclaringClass()).getAllMethods().stream()
        .filter(m -> m.getInvocable().getHandlingMethod().equals(handler))
        .flatMap(m -> m.getInvocable().getParameters().stream())
        .anyMatch(p -> p.getSource() == Parameter.Source.ENTITY && !isAuth(p));
  }

  private static boolean hasQueryParameters(Method handler) {
    return Resource.from(handler.getDeclaringClass()).getAllMethods().stream()
        .filter(m -> m.getInvocable().getHandlingMethod().equals(handler))
        .flatMap(m -> m.getInvocable().getParameters().stream())
        .anyMatch(
            p ->
                p.getSource() == Parameter.Source.QUERY
                    || p.getSource() == Parameter.Source.HEADER);
  }

  private static boolean isAuth(Parameter parameter) {
    return parameter.isAnnotationPresent(Auth.class);
  }
}
