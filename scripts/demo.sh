#!/usr/bin/env bash
# Set everything up and serve the demo: bash scripts/demo.sh [address:port]
#
# Creates .venv, installs the pinned requirements, migrates the embedded SQLite database
# (db.sqlite3), loads the demo sites and accounts (printed at the end of load_demo), then
# serves http://localhost:8000 and http://site2.localhost:8000. Safe to run again.
# Environment variables pass through (e.g. DATABASE_URL=... bash scripts/demo.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$IMMERSUP_ROOT"

immersup_ensure_debian_packages demo || immersup_warn "carrying on without them"
immersup_ensure_venv
immersup_compile_messages

# Embedded defaults: SQLite, in-memory cache, e-mails printed on the console.
export DEBUG="${DEBUG:-true}"
export DJANGO_SETTINGS_MODULE=immersup.settings

immersup_log "Migrating the database"
"$IMMERSUP_PY" manage.py migrate --noinput
immersup_log "Loading the demo data"
"$IMMERSUP_PY" manage.py load_demo
address="${1:-127.0.0.1:8000}"
immersup_log "Serving the demo on $address: http://localhost:${address##*:} and http://site2.localhost:${address##*:} (Ctrl-C stops it)"
exec "$IMMERSUP_PY" manage.py runserver "$address"
