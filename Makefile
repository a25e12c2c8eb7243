# Two commands on a fresh machine (README): `make run` and `make test`. Each sets up what it needs.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint check-python chromium clean

check-python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 is needed, found {sys.version.split()[0]}"'

# The stamps are rebuilt whenever a requirements file changes.
$(VENV)/.runtime: requirements.txt | check-python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Debian's chromium for the browser tests; test tools cannot download browsers here. poppler-utils
# (pdftotext, pdffonts) reads the meeting pack back in tests/test_pack.py.
chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/pdftotext ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "chromium or poppler-utils is missing and this user cannot install them: apt-get install chromium poppler-utils"; exit 1; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium fonts-dejavu-core poppler-utils

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.dev chromium lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache
