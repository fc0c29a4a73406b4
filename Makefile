# Two commands do all the set-up on a fresh machine (see README):
#   make all   -> build the tables from data/raw, run every notebook, write figures
#   make test  -> run the test suite
# Both create/update the virtual environment in .venv/ when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: all test tables notebooks fonts bench clean-build

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

fonts:
	@sh scripts/ensure_cjk_font.sh

all: $(STAMP) fonts
	$(PY) -m govreports parse data/raw --out data/processed
	$(PY) -m govreports run

tables: $(STAMP)
	$(PY) -m govreports parse data/raw --out data/processed

# pytest exits 5 when it collected no tests: that is a failure here, not a pass.
test: $(STAMP) fonts
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$status

bench: $(STAMP)
	$(PY) scripts/benchmark.py

clean-build:
	rm -rf build data/processed
