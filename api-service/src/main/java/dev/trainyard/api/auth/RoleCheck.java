package dev.trainyard.api.auth;

import dev.trainyard.api.errors.ApiException;
import jakarta.annotation.Priority;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Arrays;

/**
 * {@code @RolesAllowed} on a route (the method's, else its class's), checked after authentication
 * and before the body is read. Jersey's own RolesAllowedDynamicFeature does the same check but
 * answers a bare 403; this one says which role the route needs and what the caller has.
 */
public final class RoleCheck implements DynamicFeature {
  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    RolesAllowed allowed = resource.getResourceMethod().getAnnotation(RolesAllowed.class);
    if (allowed == null) {
      allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
    }
    if (allowed != null) {
      context.register(new Filter(allowed.value()));
    }
  }

  @Priority(Priorities.AUTHORIZATION)
  private static final class Filter implements ContainerRequestFilter {
    private final String[] roles;

    Filter(String[] roles) {
      this.roles = roles;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      SecurityContext security = request.getSecurityContext();
      for (String role : roles) {
        if (security.isUserInRole(role)) {
          return;
        }
      }
      throw new ApiException(403, refusal(security.getUserPrincipal()));
    }

    private String refusal(Principal caller) {
      String needs = String.join(" or ", Arrays.asList(roles));
      if (caller instanceof UserPrincipal user) {
        String next =
            Arrays.asList(roles).contains(UserRoles.GLOBAL_ADMIN)
                ? "only a global admin may do this"
                : "ask a project admin for a key with that role";
        return user.describe() + " may not do this: it needs " + needs + "; " + next;
      }
      if (caller instanceof CallbackPrincipal callback) {
        return "the token's scope '" + callback.scope() + "' does not allow this call";
      }
      return "this call needs " + needs;
    }
  }
}
