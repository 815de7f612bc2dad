#!/usr/bin/env bash
# The one test command: installs what the tests need, lints, then runs the whole test suite
# (unit, AppTest and real-browser tests).
#
#   bash scripts/test.sh                 # everything
#   bash scripts/test.sh -m "not browser" -x   # extra arguments go to pytest
#
# Needs Python 3.11 with pip. Browser tests drive the system Chromium at /usr/bin/chromium, which is
# installed with apt-get when missing (never `playwright install`). That install runs in the
# background while pip installs and the other tests run; pytest runs the browser tests last and waits
# for it before the first one (they are never skipped: a failed install fails them).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

CHROMIUM=/usr/bin/chromium
APT=(env DEBIAN_FRONTEND=noninteractive apt-get -q)
if [[ "$(id -u)" -ne 0 ]]; then
    APT=(sudo "${APT[@]}")
fi
install_pid=""
if [[ ! -x "$CHROMIUM" ]] && [[ "$(id -u)" -ne 0 ]] && ! sudo -n true 2>/dev/null; then
    echo "== $CHROMIUM is missing: installing chromium with apt-get (sudo asks for your password)"
    "${APT[@]}" update
    "${APT[@]}" install -y chromium
elif [[ ! -x "$CHROMIUM" ]]; then
    mkdir -p artifacts
    status_file="$PWD/artifacts/chromium-install.status"
    rm -f "$status_file"
    echo "== $CHROMIUM is missing: installing chromium with apt-get in the background" \
        "(log: artifacts/chromium-install.log)"
    (
        set +e
        { "${APT[@]}" update && "${APT[@]}" install -y chromium; } >artifacts/chromium-install.log 2>&1 </dev/null
        status=$?
        if [[ $status -eq 0 && ! -x "$CHROMIUM" ]]; then
            echo "apt-get installed chromium but $CHROMIUM does not exist" >>artifacts/chromium-install.log
            status=1
        fi
        echo "$status" >"$status_file.tmp" && mv "$status_file.tmp" "$status_file"
    ) &
    install_pid=$!
    # never leave apt-get half done, whatever happens below
    trap 'wait "$install_pid" || true' EXIT
    # tests/conftest.py waits for this file before the first browser test
    export RNN_DEMO_CHROMIUM_INSTALL_STATUS="$status_file"
fi
if [[ -z "$install_pid" && ! -x "$CHROMIUM" ]]; then
    echo "ERROR: apt-get installed chromium but $CHROMIUM does not exist" >&2
    exit 1
fi

echo "== pip install -r requirements-dev.txt"
python -m pip install -q --retries 0 --disable-pip-version-check --root-user-action=ignore -r requirements-dev.txt

echo "== ruff check"
python -m ruff check .

# Two workers (pytest-xdist): one runs the browser tests in order against one server, the other the
# rest, file by file (tests/conftest.py groups them).
echo "== pytest -n 2 $*"
status=0
python -m pytest -n 2 --dist loadgroup --no-loadscope-reorder "$@" || status=$?
if [[ $status -eq 5 ]]; then
    echo "ERROR: pytest collected no tests (exit code 5)" >&2
elif [[ $status -ne 0 ]]; then
    echo "ERROR: pytest failed (exit code $status)" >&2
else
    echo "== all checks passed"
fi
exit "$status"
