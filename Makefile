# The two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run serve test bench load lint format messages check-tree clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "gridparty: http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	$(PY) manage.py runserver 127.0.0.1:8000

# Production-like: gunicorn, a Celery worker (both queues) and beat, with the production
# settings over HTTP on 127.0.0.1:8000 (gridparty/settings/serve.py), on the database
# of DATABASE_URL (default: the SQLite file of `make run`) and Redis (REDIS_URL).
SERVE_ENV = DJANGO_SETTINGS_MODULE=gridparty.settings.serve \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}
serve: install
	$(PY) manage.py migrate --noinput
	@mkdir -p var
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(VENV)/bin/honcho start

test: install
	$(PY) -m pytest

# Benchmarks on PostgreSQL: DATABASE_URL must name a database of its own (it is seeded
# with the 200k synthetic district, or reused when already seeded with it).
bench: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py bench

# The load test (issue 22) on a copy of the bench database (seeded by `make bench`):
# gunicorn and a worker under the production settings, Locust headless.
load: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load --users $${LOAD_USERS:-50} --time $${LOAD_SECONDS:-120} --find-max

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the zh_Hans catalog after changing user-facing text (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

check-tree: install
	$(PY) manage.py check_tree

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
