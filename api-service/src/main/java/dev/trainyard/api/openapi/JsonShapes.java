package dev.trainyard.api.openapi;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Iterator;

/**
 * Two rules for describing our records as Jackson really writes them, which swagger-core's defaults
 * get wrong: a free-form value ({@code Object}, {@code JsonNode}: hyperparameters, metrics, event
 * data) may be any JSON, not only an object; and a property of a reference type may be null
 * (Jackson writes the null), unless its {@code @Schema} says it is required. Primitive properties
 * never are.
 */
final class JsonShapes implements ModelConverter {
  private JsonShapes() {}

  /** Adds the rules to swagger-core's converters (a JVM-wide list), once. */
  static synchronized void install() {
    ModelConverters converters = ModelConverters.getInstance();
    if (converters.getConverters().stream().noneMatch(JsonShapes.class::isInstance)) {
      converters.addConverter(new JsonShapes());
    }
  }

  @Override
  public Schema<?> resolve(
      AnnotatedType annotated, ModelConverterContext context, Iterator<ModelConverter> chain) {
    JavaType type = Json.mapper().constructType(annotated.getType());
    if (isFreeForm(type)) {
      return new Schema<>().description("any JSON value");
    }
    Schema<?> schema;
    if (type.isMapLikeType() && isFreeForm(type.getContentType())) {
      // swagger-core would describe the values as objects
      schema = new ObjectSchema().additionalProperties(Boolean.TRUE);
    } else {
      schema = chain.hasNext() ? chain.next().resolve(annotated, context, chain) : null;
    }
    if (schema != null
        && annotated.isSchemaProperty()
        && schema.get$ref() == null
        && !type.isPrimitive()
        && !declaredRequired(annotated)) {
      schema.setNullable(true);
    }
    return schema;
  }

  private static boolean isFreeForm(JavaType type) {
    return type.getRawClass() == Object.class
        || JsonNode.class.isAssignableFrom(type.getRawClass());
  }

  private static boolean declaredRequired(AnnotatedType annotated) {
    if (annotated.getCtxAnnotations() == null) {
      return false;
    }
    for (var annotation : annotated.getCtxAnnotations()) {
      if (annotation instanceof io.swagger.v3.oas.annotations.media.Schema schema
          && schema.requiredMode()
              == io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED) {
        return true;
      }
    }
    return false;
  }
}
