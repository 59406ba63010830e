package dev.trainyard.workflows.client;

import dev.trainyard.workflows.JobSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.Map;

/**
 * Registers Trainyard's search attributes before any workflow runs: a workflow that upserts an
 * unknown attribute fails its tasks forever. One request per attribute, so attributes that already
 * exist (a restarted durable server) do not stop the others from being added. Used where Trainyard
 * starts its own Temporal (the dev stack, the bench); a cluster gets them from temporal-config/.
 */
public final class SearchAttributeRegistration {
  private SearchAttributeRegistration() {}

  public static void register(String target, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(target)
                .validateAndBuildWithDefaults());
    try {
      for (Map.Entry<String, IndexedValueType> attribute :
          JobSearchAttributes.definitions().entrySet()) {
        try {
          operator
              .blockingStub()
              .addSearchAttributes(
                  AddSearchAttributesRequest.newBuilder()
                      .setNamespace(namespace)
                      .putSearchAttributes(attribute.getKey(), attribute.getValue())
                      .build());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            throw e;
          }
        }
      }
    } finally {
      operator.shutdownNow();
    }
  }
}
