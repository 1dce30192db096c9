# Two commands on a fresh machine with only python3: `make test` and `make run`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test run index bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's metadata changes; the package itself is editable.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

# Speed and memory (100k synthetic paragraphs; rank-bm25 and bm25s measured in the same run), the bot under
# load, the retrieval reports, comparisons across 30 and 1,000 documents, documents named as staff name them (alone
# and in one mixed corpus), list questions and year ranges, and scans read by OCR.
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
	$(BIN)/python -m bench.ocr

clean:
	rm -rf $(VENV) .cache
