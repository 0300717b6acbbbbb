#!/bin/sh
# Creates Temporal's databases (persistence and visibility) on PostgreSQL and brings each to the
# schema of the server version; safe to run again (compose runs it before every server start).
set -eu
SCHEMA=/etc/temporal/schema/postgresql/v12
for pair in "${TEMPORAL_DB:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}:visibility"; do
  db=${pair%%:*}
  dir=${pair##*:}
  temporal-sql-tool --db "$db" create-database || true
  temporal-sql-tool --db "$db" setup-schema -v 0.0 || true
  temporal-sql-tool --db "$db" update-schema -d "$SCHEMA/$dir/versioned"
done
