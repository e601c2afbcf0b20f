#!/usr/bin/env bash
# Set up py5ml on a fresh Debian machine (Python 3.11, Java 17, no display):
# Xvfb for a virtual screen, a .venv with pinned torch, py5ml itself, and TF.js for the interop tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v Xvfb >/dev/null || ! command -v xvfb-run >/dev/null; then
    echo "py5ml setup: installing Xvfb (virtual display for py5)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
# Pinned here, ranges in pyproject.toml: an unpinned torch can pull several GB.
.venv/bin/pip install -q --disable-pip-version-check torch==2.14.1 torchvision==0.29.1 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/pip install -q --disable-pip-version-check -e ".[dev]" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import torch, torchvision, numpy; print('py5ml setup: torch', torch.__version__, 'torchvision', torchvision.__version__)"

if [ -f tests/js/package.json ] && command -v npm >/dev/null; then
    (cd tests/js && npm install --silent --no-audit --no-fund >/dev/null)
    echo "py5ml setup: @tensorflow/tfjs installed for interop tests"
fi
