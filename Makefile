# The two commands a newcomer needs: `make run` and `make test`. Only Python 3.11+ is required.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_STUDENT ?= lea.dubois@example.org

.PHONY: run test lint install install-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: set up, migrate, load the demo programme if the database is empty, open the console as the demo student
run: install
	$(BIN)/mentorbot db upgrade
	$(BIN)/mentorbot demo --if-empty
	$(BIN)/mentorbot console --as $(DEMO_STUDENT)

## lint: ruff, mypy and the import contracts
lint: install-test
	$(BIN)/ruff check bot adapters storage tests bench
	$(BIN)/ruff format --check bot adapters storage tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## test: set up with the test extras, lint, then the whole pytest suite
test: lint
	$(BIN)/pytest

bench: install-test
	$(BIN)/python bench/booking.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
