package dev.trainyard.api.openapi;

import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * The JSON of the description, built when Jersey has finished its resource model: it then describes
 * exactly the routes this server serves, whatever registered them and in what order.
 */
final class ServedDocument implements ApplicationEventListener {
  private volatile byte[] json;

  byte[] json() {
    return json;
  }

  @Override
  public void onEvent(ApplicationEvent event) {
    if (event.getType() == ApplicationEvent.Type.INITIALIZATION_APP_FINISHED) {
      json = OpenApiDocument.json(OpenApiDocument.of(event.getResourceModel()));
    }
  }

  @Override
  public RequestEventListener onRequest(RequestEvent requestEvent) {
    return null; // nothing per request
  }
}
