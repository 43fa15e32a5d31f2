#!/bin/sh
# Registers sample-app and ships its first release, as ./suite up does.
set -eu
api=http://release-api:8080
auth="Authorization: Bearer $SWITCHBACK_TOKEN"
until curl -fs "$api/q/health/ready" >/dev/null; do sleep 1; done
curl -fsS -XPUT "$api/services/sample-app/environments/local" -H "$auth" -H 'Content-Type: application/json' -d '{
  "artifact": "/artifacts/sample-app.jar",
  "runtime": {"driver": "process", "command": ["java", "-Xmx64m", "-jar", "{artifact}"],
              "env": {"DB_URL": "jdbc:postgresql://postgres:5432/sample_app", "DB_USER": "postgres"}},
  "router": {"driver": "embedded", "port": 9000},
  "health": {"path": "/health", "deadlineSeconds": 30},
  "database": {"url": "jdbc:postgresql://postgres:5432/sample_app", "username": "postgres"}}'
echo
# The fence refuses an unstamped target database.
until curl -fs "http://db-migrator:8081/q/health/ready" >/dev/null; do sleep 1; done
curl -fsS -XPOST "http://db-migrator:8081/databases/stamp" -H "$auth" -H 'Content-Type: application/json' -d '{
  "service": "sample-app", "environment": "local",
  "url": "jdbc:postgresql://postgres:5432/sample_app", "username": "postgres"}'
echo
curl -fsS -XPOST "$api/releases" -H "$auth" -H 'Content-Type: application/json' -d '{
  "service": "sample-app", "environment": "local", "version": "1.0.0",
  "migrations": [{"version": "1", "description": "create notes",
                  "sql": "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)"}]}'
echo
