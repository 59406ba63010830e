package dev.trainyard.api.http;

import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.util.Map;

/**
 * Applies each resource class's own body limit (the callback API is stricter than the user API).
 */
public final class BodySizeLimits implements DynamicFeature {
  private final Map<Class<?>, Long> limitByResource;

  public BodySizeLimits(Map<Class<?>, Long> limitByResource) {
    this.limitByResource = Map.copyOf(limitByResource);
  }

  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    Long limit = limitByResource.get(resourceInfo.getResourceClass());
    if (limit != null) {
      context.register(new BodySizeLimitFilter(limit));
    }
  }
}
