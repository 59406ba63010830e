package dev.trainyard.api.openapi;

import com.fasterxml.jackson.annotation.JsonView;
import io.dropwizard.auth.Auth;
import io.swagger.v3.jaxrs2.ResolvedParameter;
import io.swagger.v3.jaxrs2.ext.AbstractOpenAPIExtension;
import io.swagger.v3.jaxrs2.ext.OpenAPIExtension;
import io.swagger.v3.oas.models.Components;
import jakarta.ws.rs.Consumes;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * An {@code @Auth} parameter is the caller Dropwizard authenticated, not part of the request:
 * without this, swagger-core reads an unannotated parameter as the request body. The credential
 * itself is described by the route's security requirement. Loaded by swagger-core through {@code
 * META-INF/services}.
 */
public final class AuthParameters extends AbstractOpenAPIExtension {
  @Override
  public ResolvedParameter extractParameters(
      List<Annotation> annotations,
      Type type,
      Set<Type> typesToSkip,
      Components components,
      Consumes classConsumes,
      Consumes methodConsumes,
      boolean includeRequestBody,
      JsonView jsonViewAnnotation,
      Iterator<OpenAPIExtension> chain) {
    if (annotations.stream().anyMatch(Auth.class::isInstance)) {
      return new ResolvedParameter();
    }
    return super.extractParameters(
        annotations,
        type,
        typesToSkip,
        components,
        classConsumes,
        methodConsumes,
        includeRequestBody,
        jsonViewAnnotation,
        chain);
  }
}
