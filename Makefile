# Two commands for a fresh Linux machine with Python 3.11+:
#   make        build .venv from requirements.lock and run the whole pipeline
#   make test   build .venv (if needed) and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
CORES  ?= all

.PHONY: all run test lint bench report verify reference lock clean-outputs demo-follow-up

all: run

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "analisis needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/snakemake --cores $(CORES)

test: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench workflow
	$(BIN)/ruff format --check src tests bench workflow
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/snakemake --lint

bench: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python bench/bench_pipeline.py

# After `make`: does this run reproduce the committed reference, byte for byte?
verify: $(STAMP)
	$(BIN)/analisis verify reference/MANIFEST.sha256

# Regenerate the reference from a clean clone of the last commit (commit the code first),
# with the commit and code files it was made from (reference/CODE_COMMIT, CODE.sha256):
# a git archive of the later commit that adds reference/ names that commit, as a clone does.
reference: $(STAMP)
	rm -rf .reference-run
	git clone --quiet . .reference-run
	cd .reference-run && PATH="$(CURDIR)/$(BIN):$$PATH" $(CURDIR)/$(BIN)/snakemake --cores $(CORES) --quiet
	mkdir -p reference
	cp .reference-run/reports/MANIFEST.sha256 reference/MANIFEST.sha256
	$(BIN)/analisis record-code .reference-run reference
	rm -rf .reference-run

# A GENERATED study with a delayed post-test (decay, informative dropout), run end to end.
demo-follow-up: $(STAMP)
	rm -rf data/raw/follow_up_demo
	$(BIN)/python -m analisis.synth --follow-up --villages 2 --out data/raw/follow_up_demo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/snakemake --cores $(CORES) --configfile data/raw/follow_up_demo/config.yaml

report: run
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/snakemake --cores $(CORES) --report reports/snakemake-report.zip

# Refresh the pins after changing dependencies; then update environment.yml to match.
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --exclude analisis | sort -f > requirements.lock.new
	@echo "review requirements.lock.new, keep the header comment, and move it over requirements.lock"

clean-outputs:
	rm -rf data/processed reports logs .snakemake
