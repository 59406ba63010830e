#!/usr/bin/env bash
# Runs once, on an empty data directory (the postgres image's initdb hook).
# trainyard: the job record (Flyway migrates it when the API or a worker starts).
# temporal: may create databases; temporalio/auto-setup creates temporal and temporal_visibility.
# mlflow: MLflow's tracking store.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v trainyard_pw="$TRAINYARD_DB_PASSWORD" \
  -v temporal_pw="$TEMPORAL_DB_PASSWORD" \
  -v mlflow_pw="$MLFLOW_DB_PASSWORD" <<'SQL'
CREATE ROLE trainyard LOGIN PASSWORD :'trainyard_pw';
CREATE DATABASE trainyard OWNER trainyard;
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_pw';
CREATE ROLE mlflow LOGIN PASSWORD :'mlflow_pw';
CREATE DATABASE mlflow OWNER mlflow;
SQL
