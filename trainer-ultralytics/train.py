#!/usr/bin/env python3
"""Trainyard's Ultralytics YOLO trainer (the seed's entry point). Configured entirely by the
environment the launcher sets (JOB_ID, TRACE_ID, BACKEND_BASE_URL, CALLBACK_TOKEN, DATASET_ID,
MODEL_NAME, EPOCHS, BATCH_SIZE, LEARNING_RATE, PROJECT_ID, STORAGE_*, MINIO_*, MLFLOW_TRACKING_URI,
HYPERPARAMETERS); see README.md."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from trainyard_trainer.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
