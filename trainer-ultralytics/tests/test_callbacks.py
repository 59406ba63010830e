"""The callback client against a real local HTTP server."""

import random
import socket
import time

from trainyard_trainer.callbacks import CallbackClient


def client_for(url, **kwargs):
    kwargs.setdefault("base_delay", 0.01)
    kwargs.setdefault("max_delay", 0.05)
    return CallbackClient(url, "42", "trace-42", "test-token", timeout=2, **kwargs)


def fail_first(n, status=503, headers_reply=None):
    def script(endpoint, body, number):
        return (status, {"detail": "try later"}) if number <= n else None

    return script


def test_sends_bearer_token_trace_id_and_fields(callback_api):
    client_for(callback_api.url).heartbeat(
        epoch=1, total_epochs=3, progress=33.3, metrics={"mAP50": 0.5}
    )
    call = callback_api.calls[0]
    assert call["auth"] == "Bearer test-token"
    assert call["body"] == {
        "epoch": 1,
        "total_epochs": 3,
        "progress": 33.3,
        "metrics": {"mAP50": 0.5},
        "trace_id": "trace-42",
    }


def test_retries_5xx_and_429_then_succeeds(callback_api):
    callback_api.script = fail_first(2, 503)
    assert client_for(callback_api.url).heartbeat(epoch=1) is True
    assert len(callback_api.bodies("heartbeat")) == 3

    callback_api.calls.clear()
    callback_api.script = fail_first(1, 429)
    client_for(callback_api.url).event("dataset_loaded", "ok")
    assert len(callback_api.bodies("event")) == 2


def test_other_4xx_is_not_retried(callback_api, caplog):
    callback_api.script = lambda endpoint, body, number: (
        422,
        {"detail": "metrics must be an object"},
    )
    client_for(callback_api.url).event("x", "y")
    assert len(callback_api.calls) == 1
    assert "metrics must be an object" in caplog.text


def test_wrong_token_is_401_and_not_retried(callback_api):
    client = CallbackClient(callback_api.url, "42", "trace-42", "wrong", base_delay=0.01)
    status, reply = client.post("event", {"event_type": "x"})
    assert status == 401 and reply["detail"] == "invalid token"
    assert len(callback_api.calls) == 1


def test_backoff_grows_exponentially_with_full_jitter():
    client = CallbackClient(
        "http://x", "1", "t", "k", base_delay=0.5, max_delay=8, rng=random.Random(1)
    )
    for attempt in range(8):
        cap = min(8, 0.5 * 2**attempt)
        samples = [client.backoff(attempt) for _ in range(200)]
        assert all(0 <= s <= cap for s in samples)
        assert max(samples) > cap * 0.8  # really spread over the whole range


def test_sleeps_between_retries_follow_backoff(callback_api):
    callback_api.script = fail_first(3, 502)
    slept = []
    client = client_for(
        callback_api.url, base_delay=1, max_delay=100, sleep=slept.append, rng=random.Random(3)
    )
    client.heartbeat(epoch=1)
    assert len(slept) == 3
    assert all(0 <= s <= cap for s, cap in zip(slept, (1, 2, 4), strict=False))


def test_network_errors_are_retried_then_given_up():
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    slept = []
    client = client_for("http://127.0.0.1:%d" % port, sleep=slept.append)
    assert client.post("event", {}, attempts=3) == (None, {})
    assert len(slept) == 2


def test_should_continue_false_and_409_ask_the_trainer_to_stop(callback_api):
    client = client_for(callback_api.url)
    assert client.heartbeat(epoch=1) is True and not client.stop_requested.is_set()
    callback_api.should_continue = False
    assert client.heartbeat(epoch=2) is False and client.stop_requested.is_set()

    gone = client_for(callback_api.url)
    callback_api.script = lambda endpoint, body, number: (409, {"detail": "job has ended"})
    assert gone.heartbeat(epoch=3) is False


def test_done_is_retried_until_acknowledged_and_sent_once(callback_api):
    callback_api.script = fail_first(4, 503)
    client = client_for(callback_api.url)
    assert (
        client.done(
            "succeeded",
            30,
            final_metrics={"mAP50": 0.9},
            artifacts={"best_checkpoint": "s3://b/k"},
            mlflow_run_id="r1",
        )
        is True
    )
    assert len(callback_api.bodies("done")) == 5
    assert callback_api.bodies("done")[-1]["status"] == "succeeded"
    # A second done (e.g. from a signal path) does not send a different final status.
    assert client.done("failed", 30, error="late") is True
    assert len(callback_api.bodies("done")) == 5


def test_done_gives_up_at_its_deadline(callback_api):
    callback_api.script = lambda endpoint, body, number: (503, {"detail": "down"})
    started = time.monotonic()
    assert client_for(callback_api.url).done("failed", 0.5, error="x") is False
    assert time.monotonic() - started < 3
    assert len(callback_api.bodies("done")) >= 2


def test_a_diverged_loss_is_sent_as_null_because_json_has_no_nan(callback_api):
    client_for(callback_api.url).heartbeat(
        epoch=2, metrics={"loss": float("nan"), "lr": float("inf"), "curve": [1.0, float("-inf")]}
    )
    # the local API refuses NaN and Infinity as the real one does, so the call arriving proves it
    assert callback_api.calls[0]["body"]["metrics"] == {
        "loss": None,
        "lr": None,
        "curve": [1.0, None],
    }
