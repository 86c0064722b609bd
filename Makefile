# jcm-dash: `make run` starts the dashboard, `make test` runs every test (what CI runs).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# make serve: how many dashboard processes (one per core uses the machine; each holds its own sessions).
WORKERS ?= $(shell nproc)
SHOTS ?= screenshots

.PHONY: help run serve test check store bench bench-serve screenshots system-deps serve-deps clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

store: $(VENV)/.runtime ## build the store from data/*.csv if missing or older than a CSV (honours JCM_DB)
	$(PY) -m jcm_dash build --if-needed

run: store ## set up, build the store and start the dashboard on http://localhost:$(PORT)
	$(PY) -m streamlit run app.py --server.port $(PORT)

serve: store system-deps serve-deps ## many users: WORKERS processes (default: cores) behind HAProxy on :$(PORT)
	$(PY) deploy/serve.py start --workers $(WORKERS) --port $(PORT)

# Debian's Chromium drives the browser tests and kaleido's image export; a Japanese font keeps
# Japanese text from rendering as boxes. Installed only when missing.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=ja 2>/dev/null | grep -q .; then \
		echo "installing Debian packages: chromium fonts-noto-cjk"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fontconfig; \
	fi

# make serve's load balancer (HAProxy) and supervisor (supervisord), from Debian; deploy/serve.py
# says why these two. Installed only when missing.
serve-deps:
	@if [ ! -x /usr/sbin/haproxy ] || [ ! -x /usr/bin/supervisord ]; then \
		echo "installing Debian packages: haproxy supervisor"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy supervisor; \
	fi

# lint-imports checks the layer contracts in pyproject.toml (tests/test_layering.py shows a breach fails).
test: $(VENV)/.dev system-deps serve-deps ## install what the tests need (Chromium, HAProxy included), lint, check the layers, run every test
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

check: $(VENV)/.dev ## lint and check the layers
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

screenshots: store $(VENV)/.dev system-deps ## save every page (en/ja, 1400 and 420 px wide) as PNGs into $(SHOTS)/ (~7 min)
	$(PY) scripts/screenshots.py $(SHOTS)

bench: $(VENV)/.dev system-deps serve-deps ## run every benchmark (1x, 100x, 1000x; browser; 20 sessions) into bench/RESULTS.md (~15 min)
	$(PY) bench/run.py

bench-serve: $(VENV)/.dev system-deps serve-deps ## 1 vs 2 workers behind HAProxy, 20 and 50 users, into bench/RESULTS.md (~15 min)
	$(PY) bench/run.py serve

clean: ## remove the virtual environment, the built store and make serve's run files
	rm -rf $(VENV) data/jcm.duckdb .serve
