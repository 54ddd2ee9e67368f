# Agenda: `make run` serves the demo on SQLite; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
# DEMO=0 make run: an empty, migrated install (no demo data) in its own folder, beside the demo's.
DEMO ?= 1
INSTANCE := $(if $(filter 0,$(DEMO)),instance/city,instance)
export AGENDA_INSTANCE ?= $(CURDIR)/$(INSTANCE)

.PHONY: run test lint format bench bench-public bench-scale bench-load bench-api bench-import check-system migrate demo clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Agenda needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-main: requirements/main.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/main.lock
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.lock
	touch $@ $(VENV)/.installed-main

check-system: $(VENV)/.installed-main
	@$(BIN)/python -m agenda.system_check

$(INSTANCE)/secret_key:
	mkdir -p $(INSTANCE)
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > $@

migrate: check-system $(INSTANCE)/secret_key
	$(BIN)/flask --app agenda db upgrade
	$(BIN)/flask --app agenda search reindex --if-empty

demo: migrate
	$(BIN)/flask --app agenda demo load

run: $(if $(filter 0,$(DEMO)),migrate,demo)
	@echo ""
	@echo "Agenda is running at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
ifeq ($(DEMO),0)
	@echo "This install is empty. Set up your city (the admin's password is asked for):"
	@echo "  AGENDA_INSTANCE=$(AGENDA_INSTANCE) $(BIN)/flask --app agenda setup \\"
	@echo "      --name 'Village of Example' --timezone America/Chicago --admin-email you@example.org"
	@echo "then sign in at http://127.0.0.1:$(PORT)/login and open /admin."
else
	@echo "Demo logins: clerk@demo.agenda.test / demo-clerk-password"
	@echo "             kaufman@demo.agenda.test / demo-commissioner-password (commissioner)"
	@echo "             admin@demo.agenda.test / demo-admin-password"
endif
	@echo ""
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --access-logfile - wsgi:app

test: $(VENV)/.installed-dev check-system
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev check-system
	$(BIN)/python bench/packet_bench.py
	$(BIN)/python bench/minutes_bench.py
	$(BIN)/python bench/dais_bench.py
	$(BIN)/python bench/verify_bench.py
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/public_bench.py
	$(BIN)/python bench/api_bench.py

# The public pages' speed floors under wrk against 2 gunicorn workers, as `make run` serves them.
bench-public: $(VENV)/.installed-dev check-system
	$(BIN)/python bench/public_bench.py

# The Legistar import of 100,000 generated vote rows against a plain bulk insert, on SQLite and PostgreSQL.
bench-import: $(VENV)/.installed-dev check-system
	$(BIN)/python bench/import_bench.py

# The read API: a 60-item meeting, kept (anonymous, read token) and built every time, against hello-world.
bench-api: $(VENV)/.installed-dev check-system
	$(BIN)/python bench/api_bench.py

# 20 years of a generated city on SQLite and PostgreSQL (generated once, then reused).
bench-scale: $(VENV)/.installed-dev check-system
	$(BIN)/python bench/scale_bench.py

# Load and faults over real gunicorn (needs wrk, PostgreSQL at PG_SERVER_URL, initdb/pg_ctl).
bench-load: $(VENV)/.installed-dev check-system
	$(BIN)/python bench/load_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
