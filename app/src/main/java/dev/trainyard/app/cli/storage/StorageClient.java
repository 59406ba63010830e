package dev.trainyard.app.cli.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.app.cli.ApiException;
import dev.trainyard.app.cli.ApiUnreachableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Binary transfers with the API: dataset uploads, artifact listings and downloads. */
public final class StorageClient {
  private static final Duration TIMEOUT = Duration.ofMinutes(30);
  private final String baseUrl;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public StorageClient(String baseUrl) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
  }

  public JsonNode uploadDataset(String datasetId, Path zip, boolean overwrite) throws IOException {
    String query =
        "?dataset_id="
            + URLEncoder.encode(datasetId, StandardCharsets.UTF_8)
            + (overwrite ? "&overwrite=true" : "");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/v1/datasets" + query))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/zip")
            .POST(HttpRequest.BodyPublishers.ofFile(zip))
            .build();
    return parse(send(request, HttpResponse.BodyHandlers.ofByteArray()));
  }

  public JsonNode artifacts(long jobId) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/v1/jobs/" + jobId + "/artifacts"))
            .timeout(TIMEOUT)
            .GET()
            .build();
    return parse(send(request, HttpResponse.BodyHandlers.ofByteArray()));
  }

  /** Downloads through a temporary file, so an interrupted transfer leaves no partial file. */
  public Path download(long jobId, String name, Path directory) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/v1/jobs/" + jobId + "/artifacts/" + name))
            .timeout(TIMEOUT)
            .GET()
            .build();
    HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() >= 400) {
        throw problem(response.statusCode(), body.readAllBytes());
      }
      Files.createDirectories(directory);
      Path target = directory.resolve(Path.of(name).getFileName().toString());
      Path partial = directory.resolve(target.getFileName() + ".part");
      Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
      return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new ApiUnreachableException(baseUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiUnreachableException(baseUrl, e);
    }
  }

  private JsonNode parse(HttpResponse<byte[]> response) {
    if (response.statusCode() >= 400) {
      throw problem(response.statusCode(), response.body());
    }
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new ApiException(response.statusCode(), "unreadable reply", e.getMessage(), Map.of());
    }
  }

  private ApiException problem(int status, byte[] body) {
    JsonNode problem;
    try {
      problem = json.readTree(body);
    } catch (IOException e) {
      problem = json.createObjectNode().put("detail", new String(body, StandardCharsets.UTF_8));
    }
    Map<String, String> errors = new LinkedHashMap<>();
    problem.path("errors").properties().forEach(e -> errors.put(e.getKey(), e.getValue().asText()));
    return new ApiException(
        status,
        problem.path("title").asText("HTTP " + status),
        problem.hasNonNull("detail") ? problem.get("detail").asText() : null,
        errors);
  }
}
