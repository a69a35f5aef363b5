# studyapp — the documented interface. `make run` to use it, `make test` to prove it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run setup serve test lint format bench quality browser clean

# Setup steps print to stderr only, so `make bench` prints nothing but its JSON on stdout.
$(VENV)/bin/python:
	@echo "Creating $(VENV) with $(PYTHON)..." >&2
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip >&2

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	@echo "Installing requirements.txt..." >&2
	@$(PY) -m pip install --quiet -r requirements.txt >&2
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	@echo "Installing requirements-dev.txt..." >&2
	@$(PY) -m pip install --quiet -r requirements-dev.txt >&2
	@touch $@ $(VENV)/.runtime

## setup: virtualenv, packages, database, content, demo accounts (development)
setup: $(VENV)/.runtime
	$(DEV_ENV) $(PY) manage.py migrate --no-input -v 0
	$(DEV_ENV) $(PY) manage.py import_notes content/ --progress
	@echo "Demo accounts (development only):"
	@$(DEV_ENV) $(PY) manage.py create_demo_accounts

## run: set everything up and serve on 127.0.0.1:$(PORT)
run: setup
	@echo ""
	@echo "  studyapp is running at http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@echo ""
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## serve: production-like: gunicorn on 127.0.0.1:$(PORT), DEBUG off; needs DJANGO_SECRET_KEY
serve: $(VENV)/.runtime
	@if [ -z "$$DJANGO_SECRET_KEY" ]; then \
	  echo "!! make serve runs like production and needs DJANGO_SECRET_KEY, e.g."; \
	  echo "   DJANGO_SECRET_KEY=\$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') make serve"; \
	  echo "   (for development use make run)"; \
	  exit 1; \
	fi
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(PY) manage.py migrate --no-input -v 0
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(PY) manage.py collectstatic --no-input -v 0
	@echo "  gunicorn on 127.0.0.1:$(PORT); health check: /healthz/. Behind a TLS proxy set"
	@echo "  DJANGO_ALLOWED_HOSTS and DJANGO_BEHIND_PROXY=1 (see README, Deploy)."
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} PORT=$(PORT) $(PY) -m gunicorn studyapp.wsgi -c studyapp/gunicorn.conf.py

## browser: make sure Debian's Chromium is there for the browser tests
browser:
	@if [ -x "$(CHROMIUM)" ]; then \
	  true; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "!! could not install chromium with apt-get"; \
	else \
	  echo "!! $(CHROMIUM) is missing and cannot be installed here (not root or no apt-get)"; \
	fi

## test: set up and run every test, browser tests included
test: $(VENV)/.dev browser
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## bench: print one JSON object of figures
bench: $(VENV)/.dev
	@$(PY) bench/run.py

# The cards of the labelled corpus (quality/corpus) and of content/ judged by QUALITY.md.
quality: $(VENV)/.dev
	@$(PY) quality/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
