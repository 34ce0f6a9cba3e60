# Set-up and the two everyday commands: `make run` and `make test`.
# Both install what is missing first (Debian packages, then .venv); the second time
# through, nothing is installed and the check takes a second or two.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng tesseract-ocr-osd \
	hunspell-sv ghostscript qpdf poppler-utils fonts-dejavu-core fonts-liberation \
	chromium chromium-driver

.PHONY: install apt venv run test lint eval benchmark samples clean

install: apt venv

apt:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	python3 -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$(echo $$missing)" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: install
	$(BIN)/plandigit batch samples -o $(OUT) --package --config samples/plandigit.example.toml
	$(BIN)/plandigit package --verify $(OUT)/packages/uuid-*
	@echo "Search the catalogue: $(BIN)/plandigit search 'Södertörn' --catalogue $(OUT)"

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check pipeline tests samples scripts

eval: install
	$(BIN)/python scripts/evaluate.py

benchmark: install
	$(BIN)/python scripts/benchmark.py

samples: install
	$(BIN)/python samples/generate.py

clean:
	rm -rf $(OUT) .pytest_cache
