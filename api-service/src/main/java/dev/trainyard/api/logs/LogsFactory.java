package dev.trainyard.api.logs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.store.objects.TrainerLogArchive;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code logs} block of the API configuration: where local trainers' logs live (the worker's
 * {@code launcher.local.jobsDirectory}) and, optionally, a Kubernetes client for trainer pods.
 * Either may be absent; a job whose log lives in an unconfigured place answers 503.
 */
public class LogsFactory {
  /** Only files under this directory are ever served. */
  private String jobsDirectory;

  @Min(10)
  @Max(10_000)
  private long followPollMillis = 500;

  private KubernetesLogs kubernetes = new KubernetesLogs();

  /** The local log reader {@link #build} made; the job streams read the same files. */
  @JsonIgnore private LocalLogStreamer local;

  /** The archived-log reader {@link #build} made; the job streams read the same archive. */
  @JsonIgnore private ArchivedLogs archived;

  /** The last-lines reader {@link #build} made, for explain. */
  @JsonIgnore private TrainerLogLines lines;

  @JsonProperty
  public String getJobsDirectory() {
    return jobsDirectory;
  }

  @JsonProperty
  public void setJobsDirectory(String jobsDirectory) {
    this.jobsDirectory = jobsDirectory;
  }

  @JsonProperty
  public long getFollowPollMillis() {
    return followPollMillis;
  }

  @JsonProperty
  public void setFollowPollMillis(long followPollMillis) {
    this.followPollMillis = followPollMillis;
  }

  @JsonProperty
  public KubernetesLogs getKubernetes() {
    return kubernetes;
  }

  @JsonProperty
  public void setKubernetes(KubernetesLogs kubernetes) {
    this.kubernetes = kubernetes == null ? new KubernetesLogs() : kubernetes;
  }

  /** The local log reader, once {@link #build} ran. */
  @JsonIgnore
  public LocalLogStreamer local() {
    return local;
  }

  /** The archived-log reader, once {@link #build} ran. */
  @JsonIgnore
  public ArchivedLogs archived() {
    return archived;
  }

  /** A job's last log lines wherever they are, once {@link #build} ran. */
  @JsonIgnore
  public TrainerLogLines lines() {
    return lines;
  }

  /**
   * Builds the logs resource; a Kubernetes client, when enabled, closes with the server. Logs whose
   * file or pod is gone are read from {@code archive} (the storage block's bucket), when there is
   * one.
   */
  public LogsResource build(
      Environment environment, Jdbi jdbi, Optional<TrainerLogArchive> archive) {
    Path directory =
        jobsDirectory == null || jobsDirectory.isBlank()
            ? null
            : Path.of(jobsDirectory).toAbsolutePath().normalize();
    KubernetesClient client = null;
    if (kubernetes.isEnabled()) {
      Config config =
          kubernetes.getKubeconfig() == null || kubernetes.getKubeconfig().isBlank()
              ? Config.autoConfigure(null)
              : Config.fromKubeconfig(new File(kubernetes.getKubeconfig()));
      KubernetesClient built = new KubernetesClientBuilder().withConfig(config).build();
      environment
          .lifecycle()
          .manage(
              new Managed() {
                @Override
                public void stop() {
                  built.close();
                }
              });
      client = built;
    }
    // One thread per follower: each waits on a file or a pod log stream for as long as a job runs.
    ExecutorService followers =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "log-follow");
              thread.setDaemon(true);
              return thread;
            });
    environment
        .lifecycle()
        .manage(
            new Managed() {
              @Override
              public void stop() {
                followers.shutdownNow();
              }
            });
    local = new LocalLogStreamer(directory, followPollMillis);
    archived = new ArchivedLogs(archive.orElse(null), ArchivedLogs.FOLLOW_POLL_MILLIS);
    PodLogStreamer pods =
        client == null ? null : new PodLogStreamer(client, kubernetes.getNamespace());
    JobLogLookup jobs = new JobLogLookup(jdbi);
    TrainerLogSources sources = new TrainerLogSources(local, pods, archived);
    lines = new TrainerLogLines(jobs, sources, pods);
    return new LogsResource(
        jobs, new ProjectAccess(jdbi), local, pods, archived, sources, followers);
  }

  /** Pod logs through the Kubernetes API (RBAC: get/list pods and get pods/log). */
  public static class KubernetesLogs {
    private boolean enabled;
    private String kubeconfig;

    /** The training namespace; logs of Jobs elsewhere are refused. */
    private String namespace = "trainyard-training";

    @JsonProperty
    public boolean isEnabled() {
      return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    @JsonProperty
    public String getKubeconfig() {
      return kubeconfig;
    }

    @JsonProperty
    public void setKubeconfig(String kubeconfig) {
      this.kubeconfig = kubeconfig;
    }

    @JsonProperty
    public String getNamespace() {
      return namespace;
    }

    @JsonProperty
    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }
  }
}
