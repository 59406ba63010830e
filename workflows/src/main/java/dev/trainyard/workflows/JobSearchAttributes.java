package dev.trainyard.workflows;

import dev.trainyard.workflows.messages.JobSpec;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed search attributes that make a job findable in the Temporal UI and visibility API. They must
 * be registered on the server before any workflow upserts them, or its tasks fail forever.
 *
 * <p>Where they are set: all five when the workflow is started ({@link #atStart}), so a visibility
 * query finds the job from its first moment; afterwards only {@link #STATUS} changes, upserted by
 * the workflow at each transition. Continue-as-new carries them to the next run.
 */
public final class JobSearchAttributes {
  public static final SearchAttributeKey<Long> JOB_ID =
      SearchAttributeKey.forLong("TrainyardJobId");
  public static final SearchAttributeKey<String> TRACE_ID =
      SearchAttributeKey.forKeyword("TrainyardTraceId");
  public static final SearchAttributeKey<String> MODEL =
      SearchAttributeKey.forKeyword("TrainyardModel");
  public static final SearchAttributeKey<String> DATASET =
      SearchAttributeKey.forKeyword("TrainyardDataset");
  public static final SearchAttributeKey<String> STATUS =
      SearchAttributeKey.forKeyword("TrainyardStatus");

  private JobSearchAttributes() {}

  /** The attributes a job's workflow is started with: what the job is, and that it is pending. */
  public static SearchAttributes atStart(JobSpec spec) {
    return SearchAttributes.newBuilder()
        .set(JOB_ID, spec.jobId())
        .set(TRACE_ID, spec.traceId())
        .set(MODEL, spec.submitted().modelName())
        .set(DATASET, spec.submitted().datasetId())
        .set(STATUS, JobStatus.PENDING.wireName())
        .build();
  }

  /** Name and type of every attribute, for registration (OperatorService or the dev server CLI). */
  public static Map<String, IndexedValueType> definitions() {
    Map<String, IndexedValueType> all = new LinkedHashMap<>();
    all.put(JOB_ID.getName(), IndexedValueType.INDEXED_VALUE_TYPE_INT);
    for (SearchAttributeKey<String> key :
        new SearchAttributeKey[] {TRACE_ID, MODEL, DATASET, STATUS}) {
      all.put(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return all;
  }
}
