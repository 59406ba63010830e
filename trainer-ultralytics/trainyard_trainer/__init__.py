"""Trainyard's Ultralytics YOLO trainer: speaks the heartbeat/event/done callback contract."""
