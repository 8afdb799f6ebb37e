# The two commands of the README, and what they need. Both set themselves up first.
#   make accept   the acceptance suite on every driver, with reports in reports/
#   make test     every test: unit, integration, web, reporting and acceptance

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
SUDO    = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup accept test serve report bench clean

setup: $(VENV)/.installed browser

# Reinstalled when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The browser driver needs Chromium. Playwright cannot download browsers here, so it
# comes from Debian: its headless shell (what Playwright runs for headless tests, several
# times lighter per page), else the full browser; TWOFA_CHROMIUM may point at another Chromium.
browser:
	@if [ -n "$$TWOFA_CHROMIUM" ] && [ -x "$$TWOFA_CHROMIUM" ]; then exit 0; fi; \
	if command -v chromium-headless-shell >/dev/null 2>&1; then exit 0; fi; \
	echo "Installing Chromium's headless shell from Debian's packages (for the browser driver)..."; \
	( $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium-headless-shell >/dev/null ) \
	  || command -v chromium >/dev/null 2>&1 \
	  || ( $(SUDO) apt-get install -y -qq chromium >/dev/null )

accept: setup
	$(BIN)/twofa accept $(ARGS)

test: setup
	$(BIN)/twofa test $(ARGS)

serve: setup
	$(BIN)/twofa serve $(ARGS)

report: $(VENV)/.installed
	$(BIN)/twofa report

bench: setup
	$(BIN)/python bench/run.py

clean:
	find reports -mindepth 1 ! -name README.md -exec rm -rf {} + 2>/dev/null; rm -rf .pytest_cache build *.egg-info
