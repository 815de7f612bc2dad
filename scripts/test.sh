#!/usr/bin/env bash
# The one test command: installs what the tests need, lints, then runs the whole test suite
# (unit, AppTest and real-browser tests).
#
#   bash scripts/test.sh                 # everything
#   bash scripts/test.sh -m "not browser" -x   # extra arguments go to pytest
#
# Needs Python 3.11 with pip. Browser tests drive the system Chromium at /usr/bin/chromium, which is
# installed with apt-get when missing (never `playwright install`).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

CHROMIUM=/usr/bin/chromium
if [[ ! -x "$CHROMIUM" ]]; then
    echo "== $CHROMIUM is missing: installing chromium with apt-get"
    SUDO=()
    if [[ "$(id -u)" -ne 0 ]]; then
        SUDO=(sudo)
    fi
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
    if [[ ! -x "$CHROMIUM" ]]; then
        echo "ERROR: apt-get installed chromium but $CHROMIUM does not exist" >&2
        exit 1
    fi
fi

echo "== pip install -r requirements-dev.txt"
python -m pip install -q --disable-pip-version-check --root-user-action=ignore -r requirements-dev.txt

echo "== ruff check"
python -m ruff check .

echo "== pytest $*"
status=0
python -m pytest "$@" || status=$?
if [[ $status -eq 5 ]]; then
    echo "ERROR: pytest collected no tests (exit code 5)" >&2
elif [[ $status -ne 0 ]]; then
    echo "ERROR: pytest failed (exit code $status)" >&2
else
    echo "== all checks passed"
fi
exit "$status"
