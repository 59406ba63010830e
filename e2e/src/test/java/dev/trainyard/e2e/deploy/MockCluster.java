package dev.trainyard.e2e.deploy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes API the deploy/k8s API and workers talk to: fabric8's mock server in CRUD mode (no
 * cluster runs here), over plain HTTP on 127.0.0.1, reached through a kubeconfig as a pod reaches
 * its cluster through its service account. It also serves what the kubelet would: a pod's log (the
 * output of the trainer {@link FakeKubelet} ran for it).
 */
final class MockCluster implements AutoCloseable {
  private final KubernetesMockServer server;
  private final LogServingDispatcher dispatcher = new LogServingDispatcher();
  private final KubernetesClient client;

  MockCluster() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  KubernetesClient client() {
    return client;
  }

  /** Pod {@code namespace/pod}'s log is the file {@code log} (the trainer's output). */
  void podLog(String namespace, String pod, Path log) {
    dispatcher.logs.put(namespace + "/" + pod, log);
  }

  /** A kubeconfig for this cluster, written to {@code file}. */
  Path kubeconfig(Path file) throws IOException {
    String url = "http://127.0.0.1:" + server.getPort();
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "  - name: mock",
            "    cluster: {server: \"" + url + "\"}",
            "users:",
            "  - name: trainyard",
            "    user: {token: service-account-token}",
            "contexts:",
            "  - name: mock",
            "    context: {cluster: mock, user: trainyard, namespace: trainyard}",
            "current-context: mock",
            ""));
    return file;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  private static final class LogServingDispatcher extends KubernetesCrudDispatcher {
    private static final Pattern LOG =
        Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(?:\\?(.*))?");

    final Map<String, Path> logs = new ConcurrentHashMap<>();

    LogServingDispatcher() {
      super(List.of());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      Matcher m = LOG.matcher(request.getPath());
      if (!"GET".equals(request.getMethod()) || !m.matches()) {
        return super.dispatch(request);
      }
      Path file = logs.get(m.group(1) + "/" + m.group(2));
      if (file == null) {
        return new MockResponse().setResponseCode(404).setBody("no such pod log");
      }
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Integer tail = tailLines(m.group(3));
        if (tail != null && lines.size() > tail) {
          lines = lines.subList(lines.size() - tail, lines.size());
        }
        return new MockResponse()
            .setResponseCode(200)
            .setBody(lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static Integer tailLines(String query) {
      if (query == null) {
        return null;
      }
      return Arrays.stream(query.split("&"))
          .filter(p -> p.startsWith("tailLines="))
          .map(p -> Integer.parseInt(p.substring("tailLines=".length())))
          .findFirst()
          .orElse(null);
    }
  }
}
