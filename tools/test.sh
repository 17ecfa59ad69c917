#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run it (lint + pytest).
# System packages (Chromium, its driver, a CJK font) come from tools/install-test-deps.sh;
# Python packages from pyproject.toml into .venv. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-test-deps.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check speak tests bench tools
.venv/bin/ruff format --check speak tests bench tools
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
