#!/usr/bin/env bash
# Load test: the portal under gunicorn (2 sync workers, production settings) on
# PostgreSQL with 5 000 action items in 20 plans and 20 000 progress updates,
# driven by wrk. Prints requests/s, p50 and p99 per page at 8 and 32
# connections, and each page's throughput as a ratio to a reference view that
# renders the same 25 action rows with a minimal template (bench/reference.py),
# measured in the same run. Fails when any response is not 2xx or wrk reports
# socket errors.
#
#   bench/load.sh                 # 30 s per page and connection count
#   DURATION=5 bench/load.sh      # a quick look
#   KEEP_DB=1 bench/load.sh       # reuse the seeded database of the last run
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-"8 32"}
ITEMS=${ITEMS:-5000}
PLANS=${PLANS:-20}
UPDATES=${UPDATES:-20000}
PORT=${PORT:-8765}
DB_NAME=${DB_NAME:-flemingsberg_load}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
PY=.venv/bin/python

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql is missing: apt-get install -y postgresql-client" >&2; exit 1; }
[ -x "$PY" ] || make -s .venv/.installed

export DJANGO_SETTINGS_MODULE=bench.settings
export SECRET_KEY
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/$DB_NAME"
export STATIC_ROOT
STATIC_ROOT=$(mktemp -d)
export CACHE_URL=${CACHE_URL:-locmemcache://}
export LOG_LEVEL=WARNING

psql_admin() { psql -h "$PGHOST" -U "$PGUSER" -v ON_ERROR_STOP=1 -qtAc "$1" postgres; }
seeded=$(psql_admin "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'")
if [ -z "${KEEP_DB:-}" ] || [ "$seeded" != 1 ]; then
  echo "== seeding $DB_NAME: $ITEMS action items, $PLANS plans, $UPDATES updates"
  psql_admin "DROP DATABASE IF EXISTS $DB_NAME"
  psql_admin "CREATE DATABASE $DB_NAME"
  $PY manage.py migrate --no-input -v 0
  $PY manage.py load_plans -v 0
  $PY bench/seed.py --items "$ITEMS" --plans "$PLANS" --updates "$UPDATES"
  psql -h "$PGHOST" -U "$PGUSER" -qc "VACUUM ANALYZE" "$DB_NAME"
else
  $PY manage.py migrate --no-input -v 0  # a kept database gets new indexes too
fi
$PY manage.py collectstatic --no-input -v 0

# One URL of each kind, picked from the seeded data.
read -r PLAN_SLUG ITEM_PK < <($PY - <<'PY'
import django
django.setup()
from plans.models import ActionItem, Plan
plan = (Plan.objects.published().filter(kind=Plan.Kind.ACTION_PLAN)
        .order_by("-pk").first())
item = ActionItem.objects.public().filter(plan=plan).order_by("pk").first()
print(plan.slug, item.pk)
PY
)

PAGES=(
  "reference|/bench/reference/"
  "home|/"
  "actions|/actions/"
  "actions-filtered|/actions/?plan=$PLAN_SLUG&status=ongoing&sort=-due_date"
  "action-detail|/actions/$ITEM_PK/"
  "dashboard|/dashboard/"
  "plan|/plans/$PLAN_SLUG/"
)

LOG=$(mktemp -d)
.venv/bin/gunicorn -c gunicorn.conf.py --workers 2 --bind "127.0.0.1:$PORT" \
  --access-logfile - flemingsberg.wsgi >"$LOG/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null; rm -rf "$STATIC_ROOT"' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$LOG/gunicorn.log"; exit 1; }
# Access logs would cost the workers time: keep them out of the measurement.
kill $GUNICORN; wait $GUNICORN 2>/dev/null || true
.venv/bin/gunicorn -c gunicorn.conf.py --workers 2 --bind "127.0.0.1:$PORT" \
  --access-logfile /dev/null --max-requests 0 flemingsberg.wsgi >"$LOG/gunicorn.log" 2>&1 &
GUNICORN=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

HEADERS=(-H "X-Forwarded-Proto: https" -H "Host: 127.0.0.1")
for entry in "${PAGES[@]}"; do
  url=${entry#*|}
  code=$(curl -s -o /dev/null -w '%{http_code}' "${HEADERS[@]}" "http://127.0.0.1:$PORT$url")
  [ "$code" = 200 ] || { echo "GET $url answered $code" >&2; exit 1; }
done

echo "== gunicorn: 2 workers on $(nproc) cores; wrk: 2 threads, ${DURATION}s per run"
RESULTS="$LOG/results"
mkdir -p "$RESULTS"
for conns in $CONNECTIONS; do
  for entry in "${PAGES[@]}"; do
    name=${entry%%|*}
    url=${entry#*|}
    # Warm the workers (templates, connections) before measuring.
    wrk -t2 -c"$conns" -d2s "${HEADERS[@]}" "http://127.0.0.1:$PORT$url" >/dev/null
    wrk -t2 -c"$conns" -d"${DURATION}s" --latency "${HEADERS[@]}" \
      "http://127.0.0.1:$PORT$url" >"$RESULTS/$conns-$name.txt"
  done
done

# The table, from wrk's own output; exits 1 on any non-2xx answer or socket error.
$PY bench/wrk_report.py "$RESULTS" $CONNECTIONS -- "${PAGES[@]%%|*}"
echo "== no errors"
