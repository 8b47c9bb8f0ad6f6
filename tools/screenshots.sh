#!/bin/sh
# Regenerate docs/report.png and docs/dashboard.png with the browser tests' own Chromium.
# Needs Debian's chromium (apt-get install -y chromium). Run from the repository root.
set -e
cd "$(dirname "$0")/.."
WHICHAI_UPDATE_SCREENSHOTS=1 "${PYTHON:-.venv/bin/python}" -m pytest tests/test_browser.py -q -p no:cacheprovider
ls -l docs/report.png docs/dashboard.png
