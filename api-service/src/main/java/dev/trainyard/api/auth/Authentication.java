package dev.trainyard.api.auth;

import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.PolymorphicAuthDynamicFeature;
import io.dropwizard.auth.PolymorphicAuthValueFactoryProvider;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import java.security.Principal;
import java.util.Map;
import java.util.Set;

/**
 * The two kinds of caller, each with its own credential and filter: a trainer's callback token
 * ({@code @Auth CallbackPrincipal}) and a user's API key ({@code @Auth UserPrincipal}). A route
 * names the kind it serves by its {@code @Auth} parameter, so a callback token can never pass a
 * user route's filter (it is not a key) nor a key a callback route's (it is not a token).
 */
public final class Authentication {
  private Authentication() {}

  public static void register(
      JerseyEnvironment jersey, VerifiedTokenCache tokens, ApiKeyAuthenticator keys) {
    AuthFilter<String, CallbackPrincipal> callbacks =
        new BearerTokenAuthFilter.Builder<CallbackPrincipal>()
            .setAuthenticator(tokens)
            .setAuthorizer(new CallbackScopeAuthorizer())
            .setPrefix("Bearer")
            .setRealm("trainyard-callbacks")
            .setUnauthorizedHandler(new ProblemUnauthorizedHandler())
            .buildAuthFilter();
    AuthFilter<String, UserPrincipal> users =
        new BearerTokenAuthFilter.Builder<UserPrincipal>()
            .setAuthenticator(keys)
            .setAuthorizer(new UserRoles())
            .setPrefix("Bearer")
            .setRealm("trainyard")
            .setUnauthorizedHandler(new UserKeyUnauthorizedHandler())
            .buildAuthFilter();
    jersey.register(
        new PolymorphicAuthDynamicFeature<Principal>(
            Map.of(CallbackPrincipal.class, callbacks, UserPrincipal.class, users)));
    jersey.register(
        new PolymorphicAuthValueFactoryProvider.Binder<Principal>(
            Set.of(CallbackPrincipal.class, UserPrincipal.class)));
    jersey.register(new RoleCheck());
  }
}
