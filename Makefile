# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STORE ?= ./aims-data
HOST ?= 127.0.0.1
PORT ?= 8000
EXAMPLE_GRAPH := https://w3id.org/aims-graph/graph/example
# Every optional part (pyproject.toml's extras), installed at the versions the suite last
# passed with (constraints.txt), so `make` and CI run what was tested.
EXTRAS := pictures,reasoning
PIP_INSTALL := $(BIN)/pip install --quiet -c constraints.txt

.PHONY: run test lint reliability bench reference docs clean system-deps

# Debian packages the tests start themselves: Virtuoso 7, the second SPARQL engine.
SYSTEM_PACKAGES := virtuoso-opensource-7-bin
SYSTEM_BINARIES := virtuoso-t

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "aims-graph needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e '.[$(EXTRAS)]'
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e '.[$(EXTRAS),test]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-lint: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e '.[$(EXTRAS),lint]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/aims-graph --store $(STORE) load --replace --graph $(EXAMPLE_GRAPH) examples/organisation/*.ttl
	$(BIN)/aims-graph --store $(STORE) classify > /dev/null
	$(BIN)/aims-graph --store $(STORE) serve --host $(HOST) --port $(PORT)

system-deps:
	@missing=""; for b in $(SYSTEM_BINARIES); do command -v $$b >/dev/null || missing="$$missing $$b"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing:$$missing; install as root: apt-get install $(SYSTEM_PACKAGES)"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

# The suite runs on several processes (pytest-xdist); tests/conftest.py keeps each module's
# tests on one worker (its module fixtures are built once) and spreads the long modules.  One
# worker more than CI's two cores: much of the suite waits on the servers and processes it starts.
TEST_WORKERS ?= 3
test: $(VENV)/.installed-test system-deps
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

# ruff over the whole tree, mypy over the package (settings in pyproject.toml).  Not part
# of `make test` yet: the tree is not clean yet (issue 15).
lint: $(VENV)/.installed-lint
	$(BIN)/ruff check
	$(BIN)/mypy aims_graph

reliability: $(VENV)/.installed-test system-deps
	AIMS_GRAPH_RELIABILITY=full $(BIN)/python -m pytest -q tests/reliability tests/api/test_admission.py

bench: $(VENV)/.installed-test
	$(BIN)/aims-graph bench --json bench/latest.json

reference: $(VENV)/.installed-run
	$(BIN)/python -m aims_graph.knowledge.reference

docs: $(VENV)/.installed-run
	$(BIN)/python -m aims_graph.devtools.ontology_docs --out docs/ontology

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache
