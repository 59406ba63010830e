package dev.trainyard.api.auth;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.HttpMethod;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Deny by default: every route of every resource must say who may call it, with an {@code @Auth}
 * parameter (a callback token or an API key) or an explicit {@code @PermitAll}. A route added later
 * without either stops the server at start-up instead of serving anyone who reaches the port.
 */
public final class AccessRules {
  private AccessRules() {}

  public static void check(Iterable<?> resources) {
    List<String> open = new ArrayList<>();
    for (Object resource : resources) {
      Class<?> type = resource instanceof Class<?> c ? c : resource.getClass();
      if (type.getAnnotation(jakarta.ws.rs.Path.class) == null) {
        continue; // providers, filters, features: not routes
      }
      for (Method method : type.getMethods()) {
        if (isRoute(method) && !hasAuth(method) && method.getAnnotation(PermitAll.class) == null) {
          open.add(type.getSimpleName() + "." + method.getName());
        }
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalStateException(
          "routes without an access rule (add an @Auth parameter or @PermitAll): " + open);
    }
  }

  private static boolean isRoute(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      if (annotation.annotationType().getAnnotation(HttpMethod.class) != null) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasAuth(Method method) {
    for (Annotation[] parameter : method.getParameterAnnotations()) {
      for (Annotation annotation : parameter) {
        if (annotation instanceof Auth) {
          return true;
        }
      }
    }
    return false;
  }
}
