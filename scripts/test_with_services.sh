#!/usr/bin/env bash
# Runs the whole suite on PostgreSQL with Redis as broker and a real Celery worker started here.
# The worker talks to the test database pytest-django creates (test_<name>), so tasks see committed rows.
set -euo pipefail
pg_url=$1
redis_url=$2
db_name=${pg_url##*/}
test_db_url=${pg_url%/*}/test_${db_name}
py=.venv/bin/python
celery=.venv/bin/celery

redis-cli -u "$redis_url" flushdb >/dev/null
logfile=$(mktemp -t wuzha-worker.XXXX.log)
# One media folder for the worker and the suite: the worker writes report files that the pages serve.
export WUZHA_TEST_MEDIA_ROOT=$(mktemp -d -t wuzha-test-media.XXXX)
DJANGO_SETTINGS_MODULE=wuzha.settings.test DATABASE_URL="$test_db_url" CELERY_BROKER_URL="$redis_url" \
  "$celery" -A wuzha worker --pool=solo --concurrency=1 -l info --without-heartbeat --without-mingle \
  >"$logfile" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null || true; echo "--- Celery worker log (tail) ---"; tail -n 20 "$logfile"; rm -rf "$WUZHA_TEST_MEDIA_ROOT"' EXIT

DATABASE_URL="$pg_url" CELERY_BROKER_URL="$redis_url" WUZHA_REQUIRE_WORKER=1 \
  "$py" -m pytest ${PYTEST_ARGS:-}
