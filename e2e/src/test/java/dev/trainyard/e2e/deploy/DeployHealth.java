package dev.trainyard.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.e2e.support.E2eApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The API container's {@code /healthcheck}, on its admin port as its configuration sets it. */
final class DeployHealth {
  private DeployHealth() {}

  static JsonNode apiHealth(ShapeStack stack, ContainerSpec api)
      throws IOException, InterruptedException {
    int adminPort =
        Integer.parseInt(
            ProcessVariables.of(api, stack.images)
                .effective("TRAINYARD_ADMIN_PORT", api.environment())
                .orElseThrow());
    HttpResponse<String> reply =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + stack.network.localPort(api.name(), adminPort)
                                + "/healthcheck"))
                    .timeout(Duration.ofSeconds(15))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return E2eApi.JSON.readTree(reply.body());
  }
}
