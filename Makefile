# Two commands set everything up on a fresh machine: `make test`, `make report`.
# Each creates .venv when it is missing and installs the project into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test report lint bench catalog clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's metadata changes.
$(STAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check nq28_analysis tests benchmarks setup.py
	$(BIN)/ruff format --check nq28_analysis tests benchmarks setup.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/metrics.py
	$(BIN)/python benchmarks/report.py

catalog: $(STAMP)
	$(BIN)/nq28 catalog --out data/processed/catalog.csv

# The latest quarter of the analyst's own submissions when data/raw/ holds
# any, else the synthetic demo end to end (docs/design.md §5).
report: $(STAMP)
	@$(BIN)/python -m nq28_analysis.workflow

clean-venv:
	rm -rf $(VENV)
