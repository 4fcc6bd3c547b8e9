#!/usr/bin/env bash
# Load test: the portal under gunicorn (2 sync workers, production settings) on
# PostgreSQL with 5 000 action items in 20 plans and 20 000 progress updates,
# and the cache the workers share (Redis at 127.0.0.1:6379 when it answers,
# else a file cache), driven by wrk. Prints requests/s, p50 and p99 per page at
# 8 and 32 connections, and each page's throughput as a ratio to a reference
# view that renders the same 25 action rows with a minimal template
# (bench/reference.py), measured in the same run.
#
# Each page is measured twice: anonymously, served whole from the page cache
# (plans.caching), and as a signed-in member (reader group; the "member-" rows),
# rendered on every request. Fails when any response is not 2xx, wrk reports
# socket errors, or at the highest connection count a cached anonymous page
# makes less than 10x the reference or the members' action list less than
# 0.45x (MIN_CACHED, MIN_MEMBER_ACTIONS).
#
#   bench/load.sh                           # 30 s per page and connection count
#   DURATION=5 CONNECTIONS=32 bench/load.sh # a quick look
#   KEEP_DB=1 bench/load.sh                 # reuse the seeded database of the last run
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
export LOG_LEVEL=WARNING
# One cache for both workers, as in production: the page cache and the data
# generation must be shared. A key prefix of this run's own on a shared Redis.
CACHE_DIR=$(mktemp -d)
if [ -z "${CACHE_URL:-}" ]; then
  if $PY -c 'import redis; redis.Redis("127.0.0.1", 6379, socket_timeout=1).ping()' 2>/dev/null; then
    CACHE_URL=rediscache://127.0.0.1:6379/0
  else
    CACHE_URL=filecache://$CACHE_DIR
  fi
fi
export CACHE_URL
export CACHE_KEY_PREFIX=${CACHE_KEY_PREFIX:-bench-load-$$}
# wrk gives up on an answer after TIMEOUT and counts a socket error: on a busy
# machine 32 connections queued on 2 workers wait longer than wrk's 2 s default.
TIMEOUT=${TIMEOUT:-30s}
MIN_CACHED=${MIN_CACHED:-10}
MIN_MEMBER_ACTIONS=${MIN_MEMBER_ACTIONS:-0.45}

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

# One URL of each kind, picked from the seeded data, and a signed-in member
# (reader group) with a session of its own.
read -r PLAN_SLUG ITEM_PK SESSION_KEY < <($PY - <<'PY'
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from flemingsberg.permissions import READER_GROUP
from plans.models import ActionItem, Plan
plan = (Plan.objects.published().filter(kind=Plan.Kind.ACTION_PLAN)
        .order_by("-pk").first())
item = ActionItem.objects.public().filter(plan=plan).order_by("pk").first()
member, _ = get_user_model().objects.get_or_create(username="bench.member")
member.groups.add(Group.objects.get(name=READER_GROUP))
session = SessionStore()
session[SESSION_KEY] = str(member.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = member.get_session_auth_hash()
session.create()
print(plan.slug, item.pk, session.session_key)
PY
)

# name|url|who: "anonymous" pages come from the page cache once warm;
# "member" pages carry the member's session cookie and are rendered each time.
PAGES=(
  "reference|/bench/reference/|anonymous"
  "home|/|anonymous"
  "actions|/actions/|anonymous"
  "actions-filtered|/actions/?plan=$PLAN_SLUG&status=ongoing&sort=-due_date|anonymous"
  "action-detail|/actions/$ITEM_PK/|anonymous"
  "dashboard|/dashboard/|anonymous"
  "plan|/plans/$PLAN_SLUG/|anonymous"
  "member-home|/|member"
  "member-actions|/actions/|member"
  "member-actions-filtered|/actions/?plan=$PLAN_SLUG&status=ongoing&sort=-due_date|member"
  "member-action-detail|/actions/$ITEM_PK/|member"
  "member-dashboard|/dashboard/|member"
  "member-plan|/plans/$PLAN_SLUG/|member"
)
CACHED=(home actions actions-filtered action-detail dashboard plan)

LOG=$(mktemp -d)
.venv/bin/gunicorn -c gunicorn.conf.py --workers 2 --bind "127.0.0.1:$PORT" \
  --access-logfile - flemingsberg.wsgi >"$LOG/gunicorn.log" 2>&1 &
GUNICORN=$!
cleanup() {
  kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null
  rm -rf "$STATIC_ROOT" "$CACHE_DIR"
  # This run's keys on a shared Redis (pages expire anyway; the generation not).
  case $CACHE_URL in rediscache://*)
    $PY -c 'import os, redis
r = redis.Redis("127.0.0.1", 6379)
keys = list(r.scan_iter(os.environ["CACHE_KEY_PREFIX"] + ":*"))
keys and r.delete(*keys)' 2>/dev/null || true;;
  esac
}
trap cleanup EXIT
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
MEMBER=(-H "Cookie: sessionid=$SESSION_KEY")
who_headers() { if [ "$1" = member ]; then printf '%s\n' "${MEMBER[@]}"; fi; }
NAMES=()
for entry in "${PAGES[@]}"; do
  IFS='|' read -r name url who <<<"$entry"
  NAMES+=("$name")
  mapfile -t extra < <(who_headers "$who")
  # Twice: the second answer of a cached page comes from the cache.
  curl -s -o /dev/null "${HEADERS[@]}" "${extra[@]}" "http://127.0.0.1:$PORT$url"
  read -r code cache_control < <(curl -s -o /dev/null -D - "${HEADERS[@]}" "${extra[@]}" \
    "http://127.0.0.1:$PORT$url" -w '%{http_code}\n' | tr -d '\r' | awk '
      tolower($1) == "cache-control:" { cc = $2 $3 } /^[0-9]+$/ { code = $1 }
      END { print code, cc }')
  [ "$code" = 200 ] || { echo "GET $url ($who) answered $code" >&2; exit 1; }
  case " ${CACHED[*]} " in *" $name "*)
    [[ $cache_control == *no-cache* ]] || { echo "$url was not kept in the page cache" >&2; exit 1; };;
  esac
  if [ "$who" = member ] && [[ $cache_control != *private* ]]; then
    echo "$url answered a member without Cache-Control: private" >&2; exit 1
  fi
done

echo "== gunicorn: 2 workers on $(nproc) cores; wrk: 2 threads, ${DURATION}s per run"
echo "== cache: ${CACHE_URL%%\?*} (prefix $CACHE_KEY_PREFIX)"
RESULTS="$LOG/results"
mkdir -p "$RESULTS"
for conns in $CONNECTIONS; do
  for entry in "${PAGES[@]}"; do
    IFS='|' read -r name url who <<<"$entry"
    mapfile -t extra < <(who_headers "$who")
    # Warm the workers (templates, connections, the page cache) before measuring.
    wrk -t2 -c"$conns" -d2s "${HEADERS[@]}" "${extra[@]}" "http://127.0.0.1:$PORT$url" >/dev/null
    wrk -t2 -c"$conns" -d"${DURATION}s" --timeout "$TIMEOUT" --latency "${HEADERS[@]}" "${extra[@]}" \
      "http://127.0.0.1:$PORT$url" >"$RESULTS/$conns-$name.txt"
  done
done

# The table, from wrk's own output; exits 1 on any non-2xx answer, socket error
# or a ratio under its floor at the highest connection count.
MINIMA=()
for name in "${CACHED[@]}"; do MINIMA+=(--min "$name=$MIN_CACHED"); done
MINIMA+=(--min "member-actions=$MIN_MEMBER_ACTIONS")
$PY bench/wrk_report.py "${MINIMA[@]}" "$RESULTS" $CONNECTIONS -- "${NAMES[@]}"
echo "== no errors, every ratio at or above its floor"
