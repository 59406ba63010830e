"""A tiny stand-in for Trainyard's callback API that records every call: for tests and for the
overhead benchmark, which must run without the Java stack. It answers like the real API
(200 {"status":"ok","should_continue":...}) and can be scripted to fail or to ask for a stop."""

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Reply = tuple[int, dict]


class LocalCallbackApi:
    def __init__(self, token: str = "test-token"):
        self.token = token
        self.calls: list[dict] = []
        self.should_continue = True
        # Optional hook: (endpoint, body, call number for that endpoint) -> reply or None
        self.script: Callable[[str, dict, int], Reply | None] | None = None
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                endpoint = self.path.rstrip("/").rsplit("/", 1)[-1]
                status, reply = api._answer(endpoint, raw, self.headers.get("Authorization"))
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, endpoint: str, raw: bytes, auth: str | None) -> Reply:
        try:
            body = json.loads(raw or b"{}", parse_constant=_refuse_non_finite)
        except ValueError:
            return 400, {"detail": "malformed JSON"}
        with self._lock:
            number = sum(1 for c in self.calls if c["endpoint"] == endpoint) + 1
            self.calls.append({"endpoint": endpoint, "body": body, "auth": auth})
        if self.script is not None:
            scripted = self.script(endpoint, body, number)
            if scripted is not None:
                return scripted
        if auth != "Bearer " + self.token:
            return 401, {"detail": "invalid token"}
        if endpoint == "heartbeat":
            return 200, {"status": "ok", "should_continue": self.should_continue}
        return 200, {"status": "ok"}

    def bodies(self, endpoint: str) -> list[dict]:
        with self._lock:
            return [c["body"] for c in self.calls if c["endpoint"] == endpoint]


def _refuse_non_finite(constant: str):
    """NaN and Infinity are not JSON; the real API refuses them with 400, and so does this one."""
    raise ValueError("%s is not a JSON number" % constant)
