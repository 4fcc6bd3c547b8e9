# The two README commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per core.
TEST_WORKERS ?= auto
# The task worker (PDF renders) is restarted after this many tasks, which
# returns the memory WeasyPrint keeps (docs/deployment.md, "Task worker").
WORKER_MAX_TASKS ?= 50

.PHONY: run test setup system-deps lint format messages ci superuser clean backup restore

$(STAMP): pyproject.toml
	@scripts/system-deps run
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (apt-get install python3.11 python3.11-venv)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

.env:
	@$(PYTHON) -c 'import secrets; print("SECRET_KEY=" + secrets.token_urlsafe(50))' > .env
	@echo "DEBUG=true" >> .env
	@echo "Wrote .env with a new random SECRET_KEY (development only)."

setup: $(STAMP) .env
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_plans
	$(PY) manage.py render_pdfs -v 0

# The web server and, beside it, one task worker that renders the PDFs. The
# worker runs in a process group of its own (set -m) and is stopped with the
# web server: Ctrl-C stops both.
run: setup
	@echo ""
	@echo "The portal runs on http://$(HOST):$(PORT)/ (with a task worker for the PDFs)"
	@echo "For an admin login, run in another terminal:  make superuser"
	@echo "(it asks for your own password; there is no default account)."
	@echo ""
	@set -m; \
	( while $(PY) manage.py db_worker --max-tasks $(WORKER_MAX_TASKS) --no-reload -v 0; do :; done ) & \
	worker=$$!; \
	trap 'kill -TERM -- -$$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

superuser: setup
	$(PY) manage.py createsuperuser

test: $(STAMP)
	@scripts/system-deps test
	$(PY) manage.py compilemessages --ignore=.venv -v 0 --settings=flemingsberg.settings.test
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: $(STAMP)
	$(PY) manage.py makemessages -l sv --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

ci:
	bash .ci/run

# The database in DATABASE_URL (default db.sqlite3) to backups/, and back into an
# empty database (docs/deployment.md, "Backups").
backup:
	$(PY) scripts/backup

restore:
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/flemingsberg-YYYYMMDD-HHMMSS.dump [CLEAN=1]" >&2; exit 2; }
	$(PY) scripts/backup restore "$(FILE)" $(if $(CLEAN),--clean)

clean:
	rm -rf $(VENV) staticfiles .cache .pytest_cache
