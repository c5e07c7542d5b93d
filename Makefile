# Two entry points: `make run` and `make test`. Both set up everything on a fresh machine.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
APT    := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

.PHONY: run test lint bench browser install clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) main.py migrate
	$(PY) main.py

# Debian's chromium and chromium-driver for the browser tests, installed only when missing
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		$(APT) update -q && DEBIAN_FRONTEND=noninteractive $(APT) install -y -q chromium chromium-driver; \
	fi

lint: install
	$(VENV)/bin/ruff check .

test: install browser lint
	$(PY) -m pytest -q -p no:cacheprovider

bench: install browser
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
