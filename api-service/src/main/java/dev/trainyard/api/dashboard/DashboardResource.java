package dev.trainyard.api.dashboard;

import dev.trainyard.api.errors.ApiException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

/**
 * The web dashboard: {@code GET /} is its one page (the views are client-side routes after {@code
 * #}), {@code GET /assets/...} its scripts and styles. Open to all: the files hold no data; every
 * datum comes from the key-protected API, which the page calls with the key the user pasted.
 *
 * <p>Every reply carries a strict Content-Security-Policy (scripts and styles from this origin
 * only, none inline, no framing, requests only to this origin), so an injected string can neither
 * run nor send a key elsewhere. Files are revalidated by ETag ({@code no-cache}): a new release is
 * seen at once, and an unchanged file costs a 304. uPlot's files carry their version in the webjar
 * and never change under a name, but are named here without it, so they are revalidated too.
 */
@Path("/")
@Hidden // pages and files for browsers, not part of the API
public final class DashboardResource {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private final DashboardAssets assets = new DashboardAssets();

  @GET
  @PermitAll
  public Response page(@Context Request request) {
    return serve(request, "index.html");
  }

  @GET
  @Path("assets/{name: .+}")
  @PermitAll
  public Response asset(@Context Request request, @PathParam("name") String name) {
    return serve(request, name);
  }

  private Response serve(Request request, String name) {
    DashboardAssets.Asset asset =
        assets
            .find(name)
            .orElseThrow(() -> new ApiException(404, "the dashboard has no such file"));
    EntityTag etag = new EntityTag(asset.etag());
    CacheControl cache = new CacheControl();
    cache.setNoCache(true);
    Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
    Response.ResponseBuilder reply =
        notModified != null ? notModified : Response.ok(asset.body(), asset.type());
    return reply
        .tag(etag)
        .cacheControl(cache)
        .header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer")
        .header("Cross-Origin-Opener-Policy", "same-origin")
        .build();
  }
}
