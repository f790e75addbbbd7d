#!/usr/bin/env bash
# Refresh the French catalogue (locale/fr/LC_MESSAGES/django.po) after strings changed in the code.
#
#   bash locale/update.sh [--check] [EXTRA.po ...]
#
# 1. makemessages -l fr: adds the new msgids, drops the ones gone from the code (--no-obsolete),
#    keeps every existing translation. gettext may pre-fill a new msgid from a similar old one and
#    mark it "#, fuzzy": such an entry is NOT compiled until someone checks it and removes the flag.
# 2. Merges translations from EXTRA.po files, if any are given.
#    They only fill entries that are still untranslated: translations already in django.po win,
#    and msgids that the code no longer has are not brought back.
# 3. compilemessages -l fr (the .mo is committed, keep it next to the .po).
# 4. Prints the statistics, then every untranslated or fuzzy entry, with its location in the code.
#
# --check: exit 1 when something is untranslated or fuzzy (for CI). Without it the exit status is
# 0 unless a step itself fails.
#
# Needs gettext (msgfmt, msgmerge, msgcat, msgattrib) and the project virtualenv (.venv).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CHECK=0
EXTRA=()
for arg in "$@"; do
    case "$arg" in
        --check) CHECK=1 ;;
        -h | --help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) EXTRA+=("$arg") ;;
    esac
done

PY="${IMMERSUP_PY:-.venv/bin/python}"
PO=locale/fr/LC_MESSAGES/django.po
export DEBUG=true # the settings refuse to start without a SECRET_KEY otherwise
for tool in msgfmt msgmerge msgcat msgattrib; do
    command -v "$tool" >/dev/null || { echo "ERROR: $tool is missing (Debian package gettext)" >&2; exit 2; }
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "==> makemessages -l fr"
"$PY" manage.py makemessages -l fr --ignore=.venv --ignore=staticfiles --ignore=static/vendor --ignore=tests \
    --no-obsolete

for extra in "${EXTRA[@]}"; do
    [[ -f "$extra" ]] || { echo "ERROR: $extra does not exist" >&2; exit 2; }
    echo "==> merging translations from $extra (untranslated entries only)"
    # Only its real translations (no fuzzy, no obsolete), then django.po first so that its own
    # translations win; msgmerge against django.po keeps exactly django.po's msgids and comments.
    msgattrib --translated --no-fuzzy --no-obsolete -o "$TMP/extra.po" "$extra"
    msgcat --use-first -o "$TMP/both.po" "$PO" "$TMP/extra.po"
    msgmerge --quiet --no-fuzzy-matching -o "$TMP/merged.po" "$TMP/both.po" "$PO"
    msgattrib --no-obsolete -o "$PO" "$TMP/merged.po"
done

echo "==> compilemessages -l fr"
"$PY" manage.py compilemessages -l fr --ignore=.venv --ignore=.git --ignore=node_modules --ignore=staticfiles

echo "==> statistics"
msgfmt --check --statistics -o /dev/null "$PO" 2>&1

msgattrib --untranslated --no-obsolete -o "$TMP/untranslated.po" "$PO"
msgattrib --only-fuzzy --no-obsolete -o "$TMP/fuzzy.po" "$PO"
missing=0
for kind in untranslated fuzzy; do
    # msgattrib writes nothing when no entry matches, else the header followed by the entries.
    if [[ -s "$TMP/$kind.po" ]]; then
        missing=1
        echo "==> $kind entries"
        sed '1,/^$/d' "$TMP/$kind.po" # drop the header
    fi
done
if [[ $missing -eq 0 ]]; then
    echo "==> everything is translated"
elif [[ $CHECK -eq 1 ]]; then
    exit 1
fi
