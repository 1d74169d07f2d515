# Boundaries: `make run` serves the demo, `make test` runs the default suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The first Python 3.12+ on PATH (a .python-version file selects one under pyenv).
PYTHON ?= $(shell for p in python3 python3.13 python3.12; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
DEV_STAMP := $(VENV)/.dev-installed
RUN_STAMP := $(VENV)/.run-installed
ASSETS_STAMP := boundaries/static/build/.built
export BOUNDARIES_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint assets migrate clean help browser-deps deps sbom eval bench-postcheck \
	bench-weblogs fuzz fuzz-short fuzz-api audit faults scaleout

help:
	@echo "make run     serve the demo at http://127.0.0.1:8000"
	@echo "make test    run the default test suite"
	@echo "make lint    ruff (format and lint) and mypy"

$(PY):
	@test -n "$(PYTHON)" || { echo "Boundaries needs Python 3.12 or newer on PATH." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUN_STAMP): requirements/run.lock pyproject.toml | $(PY)
	$(PY) -m pip install -q --require-hashes -r requirements/run.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $@

$(DEV_STAMP): requirements/dev.lock pyproject.toml | $(PY)
	$(PY) -m pip install -q --require-hashes -r requirements/dev.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $@ $(RUN_STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

$(ASSETS_STAMP): node_modules/.package-lock.json frontend/build.mjs $(wildcard frontend/*.scss) $(wildcard frontend/*.js)
	node frontend/build.mjs
	@touch $@

assets: $(ASSETS_STAMP)

migrate: $(RUN_STAMP) $(ASSETS_STAMP)
	$(BIN)/boundaries migrate

run: $(RUN_STAMP) $(ASSETS_STAMP)
	$(BIN)/boundaries migrate
	$(BIN)/boundaries demo
	$(BIN)/boundaries serve

# The default suite, browser tests included (they skip, saying why, without Debian's chromium).
test: $(DEV_STAMP) $(ASSETS_STAMP)
	DATABASE_CONN_MAX_AGE=0 $(BIN)/pytest -n 2 -m "not browser and not slow" -q
	DATABASE_CONN_MAX_AGE=0 $(BIN)/pytest -m browser -q -p no:xdist

# Per-clause precision and recall of the post checker on the labelled suite, and the
# offensive-language model beside alt-profanity-check (that part needs ../shared/data).
eval: $(DEV_STAMP)
	$(BIN)/python scripts/eval_postcheck.py
	$(BIN)/python scripts/eval_offensive_model.py

bench-postcheck: $(DEV_STAMP)
	$(BIN)/python bench/postcheck_speed.py

bench-weblogs: $(DEV_STAMP)
	$(BIN)/python bench/weblogs_speed.py --out bench/out

browser-deps:
	bash scripts/install-browser.sh

# Security proof (issue 7): atheris on every parser and importer, schemathesis on the API
# with two schools' headteachers, bandit and pip-audit. `fuzz-short` is what CI runs.
FUZZ_SECONDS ?= 600
fuzz: $(DEV_STAMP)
	$(BIN)/python fuzz/parsers.py --seconds $(FUZZ_SECONDS)
	$(BIN)/python fuzz/api.py --max-examples 200

fuzz-short: $(DEV_STAMP)
	$(BIN)/python fuzz/parsers.py --seconds 10
	$(BIN)/python fuzz/api.py --max-examples 5

# Crash consistency (issue 7): 100,000-row roster imports killed with SIGKILL twenty times
# (PostgreSQL and SQLite), and PostgreSQL stopped mid-write and at commit; prints the
# figures. The server that is stopped is a private cluster the tests create, never the
# shared one.
faults: $(DEV_STAMP)
	$(BIN)/pytest tests/faults -m "slow or not slow" -p no:xdist -q -s

# Scale-out (issue 7): two app servers and two workers on one PostgreSQL (127.0.0.1:5432)
# behind Debian's nginx on loopback (scripts/install-system-packages.sh).
scaleout: $(DEV_STAMP) $(ASSETS_STAMP)
	$(BIN)/pytest tests/scaleout -m "slow or not slow" -p no:xdist -q -s

fuzz-api: $(DEV_STAMP)
	$(BIN)/python fuzz/api.py --max-examples 20

audit: $(DEV_STAMP)
	$(BIN)/bandit -c pyproject.toml -ll -q -r boundaries engines
	$(BIN)/pip-audit -r requirements/run.lock -r requirements/dev.lock --no-deps --disable-pip \
	  --progress-spinner off

lint: $(DEV_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy boundaries engines

clean:
	rm -rf $(VENV) node_modules boundaries/static/build

# Add a dependency: put it, pinned, in pyproject.toml, then `make deps` (locks and installs;
# serialised so that several people working in one checkout do not collide).
deps: | $(PY)
	flock /tmp/boundaries-deps.lock sh -c '\
	  $(PY) -m pip install -q uv==0.13.9 && \
	  $(PY) -m uv pip compile -q --generate-hashes pyproject.toml --extra dev --python-version 3.12 \
	    -o requirements/dev.lock && \
	  $(PY) -m uv pip compile -q --generate-hashes pyproject.toml --python-version 3.12 \
	    -o requirements/run.lock && \
	  $(PY) -m pip install -q --require-hashes -r requirements/dev.lock && \
	  $(PY) -m pip install -q --no-deps -e . && \
	  touch $(DEV_STAMP) $(RUN_STAMP)'
	$(MAKE) sbom

# The CycloneDX bill of materials of what `make run` installs, made from run.lock and
# committed beside it (docs/security.md, "Dependencies"); `make deps` remakes it, and
# tests/security/test_supply_chain.py fails when it and run.lock disagree.
SBOM := requirements/sbom.cdx.json
sbom: $(DEV_STAMP)
	$(BIN)/cyclonedx-py requirements requirements/run.lock --pyproject pyproject.toml \
	  --output-reproducible --of JSON -o $(SBOM)
