"""The MLflow helper process: owns the job's one MLflow run (see tracking.py for why it is a
separate process). Runs as a script, with only the standard library and MLflow.

Protocol, one JSON object per line. In (stdin), in this order:
  {"op": "start", "tracking_uri", "experiment", "run_name", "params", "tags", "continue_tags"}
      continue_tags (optional): reopen the newest run of the experiment that has these tags
      (a retried job's earlier attempt) instead of creating one; its tags are then updated.
  {"op": "metrics", "metrics": {name: value}, "step": n}        (any number)
  {"op": "end", "status": "FINISHED" | "FAILED" | "KILLED"}
Out (stdout): {"run_id": ..., "continued": bool} once the run exists, or {"error": ...};
{"ended": status} last.
End of input without "end" means the trainer died: the run is closed FAILED.
"""

import json
import os
import signal
import sys


def main() -> None:
    # Ctrl-C reaches the whole process group; the trainer decides how its run ends, not the signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    replies = sys.stdout
    sys.stdout = sys.stderr  # MLflow's own output goes to the job log, not into the protocol

    def reply(**message) -> None:
        replies.write(json.dumps(message) + "\n")
        replies.flush()

    mlflow, status = None, "FAILED"
    for line in sys.stdin:
        message = json.loads(line)
        op = message["op"]
        if op == "start":
            try:
                import mlflow

                mlflow.set_tracking_uri(message["tracking_uri"])
                experiment = mlflow.set_experiment(message["experiment"])
                earlier = _find_run(mlflow, experiment, message.get("continue_tags"))
                if earlier is None:
                    run = mlflow.start_run(run_name=message["run_name"], tags=message["tags"])
                    mlflow.log_params(message["params"])
                else:
                    run = mlflow.start_run(run_id=earlier)  # back to RUNNING
                    mlflow.set_tags(message["tags"])
                    _log_same_params(mlflow, run, message["params"])
                reply(run_id=run.info.run_id, continued=earlier is not None)
            except Exception as error:
                reply(error="%s: %s" % (type(error).__name__, error))
        elif op == "metrics" and mlflow is not None and mlflow.active_run() is not None:
            try:
                mlflow.log_metrics(message["metrics"], step=message["step"])
            except Exception as error:  # tracking trouble must not end the training
                print("MLflow metrics not logged: %s" % error, file=sys.stderr, flush=True)
        elif op == "end":
            status = message["status"]
            break
    if mlflow is not None and mlflow.active_run() is not None:
        try:
            mlflow.end_run(status=status)
        except Exception as error:
            print("MLflow run not closed: %s" % error, file=sys.stderr, flush=True)
    reply(ended=status)
    # Everything is written; skip the interpreter's teardown (MLflow's exit hooks), which only
    # delays the trainer that waits for this process.
    sys.stderr.flush()
    os._exit(0)


def _find_run(mlflow, experiment, tags):
    """The id of the newest run in the experiment carrying all these tags, or None."""
    if not tags:
        return None
    condition = " and ".join(
        "tags.`%s` = '%s'" % (key, str(value).replace("\\", "\\\\").replace("'", "\\'"))
        for key, value in tags.items()
    )
    runs = mlflow.tracking.MlflowClient().search_runs(
        [experiment.experiment_id],
        filter_string=condition,
        max_results=1,
        order_by=["attributes.start_time DESC"],
    )
    return runs[0].info.run_id if runs else None


def _log_same_params(mlflow, run, params):
    """Params of the earlier attempt stay (MLflow refuses to change a param); new ones are added."""
    new = {k: v for k, v in params.items() if k not in run.data.params}
    if new:
        mlflow.log_params(new)


if __name__ == "__main__":
    main()
