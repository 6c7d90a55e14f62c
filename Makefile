# The set-up contract: `make run` and `make test` on a fresh machine with Python 3.11. Nothing else by hand.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# requirements/*.txt are locks compiled from requirements/*.in with hashes: pip then installs in hash-checking mode.
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check --require-hashes
# pip-tools lives in its own throwaway virtualenv, never in the project's: `make lock` (docs/deploy.md, "Dependencies").
LOCK_VENV := var/lock-venv
PIP_COMPILE := $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --no-emit-index-url --no-emit-find-links --strip-extras

.PHONY: run dev test install install-test lint format bench clean check-deploy lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements/base.txt pyproject.toml
	$(PIP_INSTALL) -r requirements/base.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(PIP_INSTALL) -r requirements/test.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The product as its users see it: debug off (the designed 404 and 500 pages, never Django's debug page), the static
# files collected and served by WhiteNoise as in production, no auto-reload; the e-mail outbox worker beside it
# (scripts/run.sh stops it with the server). With debug off only localhost is allowed: SPRO_ALLOWED_HOSTS for more.
run: install
	@mkdir -p var
	$(BIN)/spro migrate --no-input -v 0
	$(BIN)/spro import all --if-empty
	$(BIN)/spro collectstatic --no-input -v 0
	SPRO_DEBUG=false bash scripts/run.sh $(BIN)/spro runserver --noreload $(HOST):$(PORT)

# For development: the same data, Django's debug pages and the auto-reloading server, with the outbox worker.
dev: install
	@mkdir -p var
	$(BIN)/spro migrate --no-input -v 0
	$(BIN)/spro import all --if-empty
	SPRO_DEBUG=true bash scripts/run.sh $(BIN)/spro runserver $(HOST):$(PORT)

test: install-test
	bash scripts/test.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-test
	bash bench/run.sh

# Recompile the locks after editing requirements/base.in or test.in. Pinned versions are kept unless an .in file asks
# otherwise; `make lock UPGRADE="--upgrade-package django"` moves one package (and what it needs) to its newest release.
lock:
	@test -x $(LOCK_VENV)/bin/pip-compile || ($(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check pip-tools==7.7.0)
	cd requirements && ../$(PIP_COMPILE) $(UPGRADE) --output-file=base.txt base.in
	cd requirements && ../$(PIP_COMPILE) $(UPGRADE) --output-file=test.txt test.in

clean:
	rm -rf $(VENV) var
