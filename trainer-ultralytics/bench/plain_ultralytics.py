"""The baseline: plain Ultralytics training with the same arguments the trainer uses, nothing
else. Prints one JSON line: {"train_seconds": ...}. Run by overhead.py."""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from trainyard_trainer import offline  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--args", required=True, help="JSON of YOLO train arguments")
    options = parser.parse_args()
    offline.prepare(os.path.join(options.project, "yolo-config"))  # same offline setup, no network
    from ultralytics import YOLO

    args = json.loads(options.args)
    model = YOLO(args.pop("model"))
    started = time.monotonic()
    model.train(data=options.data, project=options.project, name="plain", exist_ok=True, **args)
    print(json.dumps({"train_seconds": time.monotonic() - started}))


if __name__ == "__main__":
    main()
