package dev.trainyard.api.auth;

import dev.trainyard.store.access.Role;
import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * The roles a user route may require with {@code @RolesAllowed}: a project role (each includes the
 * ones below it), or {@link #GLOBAL_ADMIN}. Whether the key may see the project the request is
 * about is checked by the route itself ({@code access.ProjectAccess}): the role says what a key may
 * do, its project where.
 */
public final class UserRoles implements Authorizer<UserPrincipal> {
  public static final String VIEWER = "viewer";
  public static final String MEMBER = "member";
  public static final String ADMIN = "admin";
  public static final String GLOBAL_ADMIN = "global-admin";

  @Override
  public boolean authorize(UserPrincipal principal, String role, ContainerRequestContext request) {
    if (GLOBAL_ADMIN.equals(role)) {
      return principal.isGlobalAdmin();
    }
    return Role.fromWire(role).map(principal.role()::includes).orElse(false);
  }
}
