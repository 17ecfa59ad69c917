#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run it: ruff, the
# import-linter contracts (the layers), and the whole pytest suite. System packages
# (Chromium, its driver, a CJK font) and Ace (npm) come from tools/install-test-deps.sh;
# Python packages from pyproject.toml into .venv. Extra arguments go to pytest.
# Tests that need ../shared/data ($SPEAK_DATA) skip without it; with CI=true a skip fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-test-deps.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check speak tests bench tools docs
.venv/bin/ruff format --check speak tests bench tools docs
.venv/bin/lint-imports
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
