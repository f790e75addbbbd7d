#!/usr/bin/env bash
# The whole test suite: bash scripts/test.sh [pytest arguments...]
#
#   bash scripts/test.sh                         SQLite (in memory), browser tests included
#   bash scripts/test.sh tests/test_smoke.py -x  any pytest arguments pass through
#   bash scripts/test.sh -m "not browser"        skip the real-browser tests
#   bash scripts/test.sh -n 2                    in parallel (pytest-xdist), opt-in
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/immersup bash scripts/test.sh
#       PostgreSQL: pytest-django creates and drops test_immersup itself
#
# Sets up .venv and the Debian packages first (see scripts/_env.sh). Exits with pytest's
# status, except that "no tests collected" (pytest's 5) is a failure too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$IMMERSUP_ROOT"

immersup_ensure_debian_packages test || immersup_die "system packages missing (see above)"
immersup_ensure_venv
immersup_compile_messages

# The test settings, whatever the shell has exported (pytest-django prefers the variable
# to pyproject.toml); --ds on the command line still wins.
export DJANGO_SETTINGS_MODULE=immersup.settings_test

status=0
"$IMMERSUP_VENV/bin/pytest" "$@" || status=$?
if ((status == 5)); then
    immersup_warn "pytest collected no tests: counted as a failure"
    exit 1
fi
exit "$status"
