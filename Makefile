# Two commands on a fresh machine (README): `make run` and `make test`. Each sets up what it needs.
# `make serve` runs several processes behind nginx; `make bench` measures (neither is in CI).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# make serve: nginx's port, and the number of streamlit processes (empty = one per core).
SERVE_PORT ?= 8080
PROCESSES ?=

.PHONY: run serve bench test lint check-python chromium nginx voikko clean

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

run: $(VENV)/.runtime voikko
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Several streamlit processes behind Debian's nginx, on http://127.0.0.1:$(SERVE_PORT) (deploy/serve.py;
# runtime files in .run/). Ctrl-C stops it all.
serve: $(VENV)/.runtime nginx voikko
	$(BIN)/python -m deploy.serve --port $(SERVE_PORT) $(if $(PROCESSES),--processes $(PROCESSES))

# The benchmark suite (bench/__main__.py lists the BENCH_* size variables); it prints its own
# running time at the end of its table (the README quotes the latest runs).
bench: $(VENV)/.dev chromium nginx
	$(BIN)/python -m bench

# Debian's chromium: its headless shell for the browser tests (tests/browser.py says why), the full
# browser for make bench; test tools cannot download browsers here. poppler-utils (pdftotext,
# pdffonts) reads the meeting pack back in tests/test_pack.py.
chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromium-headless-shell ] && [ -x /usr/bin/pdftotext ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "chromium or poppler-utils is missing and this user cannot install them: apt-get install chromium poppler-utils"; exit 1; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium chromium-headless-shell fonts-dejavu-core poppler-utils

# Debian's Voikko (libvoikko1 and its Finnish dictionary voikko-fi) hyphenates Finnish table headers
# (tilannekuva/hyphenation.py). make run and make serve install it when they can and run without it
# (the app says so once in its log); make test needs it, as it needs chromium.
VOIKKO_PRESENT = [ -e /usr/lib/x86_64-linux-gnu/libvoikko.so.1 -o -e /usr/lib/aarch64-linux-gnu/libvoikko.so.1 ] && [ -d /usr/lib/voikko ]
voikko:
	@if $(VOIKKO_PRESENT); then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "Voikko is missing (apt-get install libvoikko1 voikko-fi): Finnish headers are not hyphenated"; exit 0; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q libvoikko1 voikko-fi || true

voikko-required: voikko
	@if $(VOIKKO_PRESENT); then exit 0; fi; echo "the tests need Voikko: apt-get install libvoikko1 voikko-fi"; exit 1

# Debian's nginx for make serve and tests/test_nginx.py. Only the binary is used: deploy/serve.py
# runs it with its own configuration and folders, never the system's.
nginx:
	@if [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "nginx is missing and this user cannot install it: apt-get install nginx"; exit 1; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q nginx

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Three workers (pytest-xdist), a test file each at a time, so each module keeps its one server
# and tab (each worker one Chromium), and axe.json is written by one worker; the files with browser
# tests first, and last, test by test, the files whose tests share nothing (tests/conftest.py,
# ANY_WORKER): by whole files the workers ended 19 s apart; test by test 11 s, all of it one
# Hypothesis test of 12 s that came last, now out of that list. On 2 cores
# (2026-12-07, the same 2003 tests): two workers 409 s of pytest, three 377 s, four 393 s; vmstat
# showed the CPU 4 % idle with three: a third worker's tests fill the others' waits (a server
# starting, nginx's time limits, a page's round trips), and the three end within 20 s of one
# another. A run is about 700 to 850 s of CPU, by the machine's speed (2026-12-07 evening, b34f7c0,
# every process sampled from /proc: 761 s): the test workers and the commands they start 331 s
# (loading the databases the tests make, AppTest's runs, DuckDB's queries, packs and workbooks),
# Chromium 269 s (a new document costs 1.0-1.8 s, most of it Streamlit's own JavaScript drawing
# the page: a trace of one showed 0.03 s compiling it; a page shown by a sidebar link 0.2-0.6 s,
# so tests.browser.show_view uses the link where it can; axe-core 0.7 s a run), the Streamlit
# servers 94 s, pytest and Playwright's driver 58 s. In the Python processes (py-spy over a whole
# run), loading databases and DuckDB's queries were about two fifths of the samples, most of a
# query's time DuckDB planning it (map_municipalities: 33 of 63 ms), and Altair a tenth. Counted
# exactly by the kernel's process accounting (Debian's acct: accton, dump-acct) over a whole run
# (2026-12-08, 93afa69, pytest 376 s): 721 s, of which the three workers 312 s, Chromium 239 s, the
# servers, commands, nginx and pdftotext they start 152 s, Playwright's drivers 14 s, pytest's
# own process 5 s.
# PYTHONDONTWRITEBYTECODE is emptied for the run (a non-empty value is what switches it on): this
# machine sets it, and then every Python process of a run (the workers, the servers and the
# commands the tests start) compiled the project's modules again, and every worker rewrote the
# asserts of the 74 test modules and of the pytest plugins' packages again: pytest keeps a
# rewritten module only where bytecode may be written. Collecting the tests took 8.3-10.0 s of CPU
# per worker, 3.4-3.8 s with the compiled files kept; importing the app's modules in a server
# 1.4 s, 1.1-1.3 s (2026-12-08). The files go to __pycache__/ folders, which git ignores.
test: $(VENV)/.dev chromium nginx voikko-required lint
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache .run
