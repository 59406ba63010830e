package dev.trainyard.api.openapi;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Iterator;

/**
 * Two rules for describing our records as Jackson really writes them, which swagger-core's defaults
 * get wrong: a free-form value ({@code Object}, {@code JsonNode}: hyperparameters, metrics, event
 * data) may be any JSON, not only an object; and a property of a reference type may be null
 * (Jackson writes the null), unless its {@code @Schema} says it is required. Primitive properties
 * never are. A property that is another record is a bare {@code $ref}, which cannot say null; its
 * {@code @Schema(nullable = true)} makes it an {@code allOf} of the record that may be null.
 */
final class JsonShapes implements ModelConverter {
  static final String ANY_VALUE = "AnyValue";
  private static final String ANY_VALUE_REF = "#/components/schemas/" + ANY_VALUE;

  private JsonShapes() {}

  /** The schema every free-form value refers to: no type, so any JSON value, null included. */
  static Schema<?> anyValue() {
    return new Schema<>().description("Any JSON value");
  }

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
      // by reference: swagger-core would give an inline schema without a type "type: object"
      return new Schema<>().$ref(ANY_VALUE_REF);
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
        && schema.get$ref() != null
        && declaredNullable(annotated)) {
      // OpenAPI 3.0 ignores whatever stands beside a $ref: a record that may be null is allOf it
      ComposedSchema nullable = new ComposedSchema();
      nullable.addAllOfItem(new Schema<>().$ref(schema.get$ref()));
      nullable.setNullable(true);
      nullable.setDescription(description(annotated));
      return nullable;
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

  private static boolean declaredNullable(AnnotatedType annotated) {
    return schemaAnnotation(annotated) != null && schemaAnnotation(annotated).nullable();
  }

  private static String description(AnnotatedType annotated) {
    var schema = schemaAnnotation(annotated);
    return schema == null || schema.description().isEmpty() ? null : schema.description();
  }

  private static io.swagger.v3.oas.annotations.media.Schema schemaAnnotation(
      AnnotatedType annotated) {
    if (annotated.getCtxAnnotations() == null) {
      return null;
    }
    for (var annotation : annotated.getCtxAnnotations()) {
      if (annotation instanceof io.swagger.v3.oas.annotations.media.Schema schema) {
        return schema;
      }
    }
    return null;
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
