# Two commands on a fresh machine with only python3: `make test` and `make run`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The lock (requirements/*.txt): every package at the version, and with the hashes, that the tests ran with.
# `make lock` refreshes it with uv, for the Python and platform the project is tested on.
UV_VERSION := 0.13.10
LOCK_TOOL := .cache/lock-tool
UV := $(LOCK_TOOL)/bin/uv
LOCK_FOR := --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --generate-hashes --quiet \
	--custom-compile-command "make lock"
UPGRADE ?=

.PHONY: install test run index lock bench bench-ab clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# From the lock only, every file checked against its hash: pip and setuptools first, then the dependencies
# (built, where a package has no wheel, with the locked setuptools), then the project itself, editable and without
# dependencies of its own; `pip check` fails when pyproject.toml asks for something the lock lacks (`make lock`).
$(STAMP): requirements/build.txt requirements/test.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/build.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-build-isolation -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@# pip compiles what it installs, not an editable project's own modules; where PYTHONDONTWRITEBYTECODE is set
	@# (as in CI) every start-up would compile them again: 0.13 s of `qabot search`'s start-up
	$(BIN)/python -m compileall -q retrieval bot
	touch $(STAMP)

install: $(STAMP)

# Lint, format and type checks first (pinned in the test extra), then the tests.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

index: $(STAMP)
	$(BIN)/qabot index

# With TELEGRAM_BOT_TOKEN set: the bot. Without it: a question loop on stdin.
run: $(STAMP)
	@$(BIN)/qabot index --quiet
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/qabot run; else $(BIN)/qabot ask --loop; fi

# Re-resolve the lock from pyproject.toml and requirements/build.in: versions already locked are kept unless
# pyproject.toml no longer allows them; `make lock UPGRADE=--upgrade` takes the newest of everything,
# `make lock UPGRADE="--upgrade-package NAME"` of one package. uv reads no pip.conf: it resolves against PyPI.
# run.txt (the server's: no test tools) is constrained to test.txt, so a server gets the versions tested.
lock: $(UV)
	$(UV) pip compile requirements/build.in $(LOCK_FOR) $(UPGRADE) -o requirements/build.txt
	$(UV) pip compile pyproject.toml --extra test $(LOCK_FOR) $(UPGRADE) -o requirements/test.txt
	$(UV) pip compile pyproject.toml --extra ocr -c requirements/test.txt $(LOCK_FOR) -o requirements/run.txt

$(UV):
	$(PYTHON) -m venv $(LOCK_TOOL)
	$(LOCK_TOOL)/bin/python -m pip install --quiet uv==$(UV_VERSION)

# Speed and memory (100k synthetic paragraphs; rank-bm25 and bm25s measured in the same run), the bot under
# load, the retrieval reports, comparisons across 30 and 1,000 documents, documents named as staff name them (alone
# and in one mixed corpus), list questions and year ranges, our look-alike archives (bench/sets: health regulations,
# provincial reports of two years; alone and mixed with the shared archives), and scans read by OCR.
# `python -m bench.scale --paragraphs 1000000` for the million.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench.scale --paragraphs 100000
	$(BIN)/python -m bench.bot
	$(BIN)/python -m bench.reports
	$(BIN)/python -m bench.shapes
	$(BIN)/python -m bench.naming
	$(BIN)/python -m bench.naming --mixed
	$(BIN)/python -m bench.lists
	$(BIN)/python -m bench.sets
	$(BIN)/python -m bench.sets --mixed
	$(BIN)/python -m bench.ocr

# A change's cost before it lands: this checkout against another commit (a worktree of it), the same questions over
# 100k synthetic paragraphs and builds of 20k, in alternating pairs, the ratios with their spread.
# make bench-ab AGAINST=main
AGAINST ?= HEAD~1
bench-ab: $(STAMP)
	$(BIN)/python -m bench.ab --against $(AGAINST)

clean:
	rm -rf $(VENV) .cache
