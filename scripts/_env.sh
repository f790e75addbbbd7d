# Shared set-up of scripts/demo.sh, scripts/test.sh and .ci/run. Source it, don't run it.
#
#   immersup_ensure_debian_packages demo|test   Debian packages the task needs (apt when missing)
#   immersup_ensure_venv                        .venv with python3.11 and the pinned requirements
#   immersup_compile_messages                   compilemessages when a .po is newer than its .mo
#
# Knobs (environment):
#   PYTHON=/path/to/python3.11   interpreter used to create .venv (default: python3.11 on PATH, then pyenv)
#   IMMERSUP_SKIP_APT=1          never call apt-get (report what is missing and carry on)

IMMERSUP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMMERSUP_VENV="$IMMERSUP_ROOT/.venv"
IMMERSUP_PY="$IMMERSUP_VENV/bin/python"
IMMERSUP_STAMP="$IMMERSUP_VENV/.immersup-requirements.sha256"
export PIP_DISABLE_PIP_VERSION_CHECK=1

immersup_log() { printf '==> %s\n' "$*" >&2; }
immersup_warn() { printf 'WARNING: %s\n' "$*" >&2; }
immersup_die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# --- Debian packages ---------------------------------------------------------------
# "command:package" (present when the command is on PATH) or "package" (dpkg says installed).
_immersup_packages_for() {
    local common=("msgfmt:gettext" "libmagic1" "libpango-1.0-0" "libpangoft2-1.0-0" "fonts-dejavu-core")
    case "$1" in
        demo) printf '%s\n' "${common[@]}" ;;
        test) printf '%s\n' "${common[@]}" "xmlsec1:xmlsec1" "chromium:chromium" ;;
        *) immersup_die "unknown package set: $1" ;;
    esac
}

_immersup_have() {
    local spec="$1"
    if [[ "$spec" == *:* ]]; then
        command -v "${spec%%:*}" >/dev/null 2>&1
    elif command -v dpkg-query >/dev/null 2>&1; then
        dpkg-query -W -f='${Status}' "$spec" 2>/dev/null | grep -q 'install ok installed'
    else
        return 0 # not Debian: trust the machine for libraries, only commands are checked
    fi
}

immersup_ensure_debian_packages() {
    local missing=() spec
    while read -r spec; do
        _immersup_have "$spec" || missing+=("${spec#*:}")
    done < <(_immersup_packages_for "$1")
    ((${#missing[@]} == 0)) && return 0

    local sudo=()
    if [[ "${IMMERSUP_SKIP_APT:-}" == 1 ]] || ! command -v apt-get >/dev/null 2>&1; then
        immersup_warn "missing system packages: ${missing[*]} (install them by hand)"
        return 1
    fi
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            immersup_warn "missing system packages: ${missing[*]}; run: sudo apt-get install ${missing[*]}"
            return 1
        fi
    fi
    immersup_log "Installing Debian packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# --- Python virtual environment -------------------------------------------------------
_immersup_find_python() {
    if [[ -n "${PYTHON:-}" ]]; then
        printf '%s\n' "$PYTHON"
        return 0
    fi
    if command -v python3.11 >/dev/null 2>&1 && python3.11 -c '' 2>/dev/null; then
        command -v python3.11
        return 0
    fi
    local candidate
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.11*/bin/python3.11; do
        [[ -x "$candidate" ]] && { printf '%s\n' "$candidate"; return 0; }
    done
    return 1
}

_immersup_requirements_hash() {
    # Everything that decides the content of .venv: the pins and the interpreter.
    {
        cat "$IMMERSUP_ROOT/requirements.txt" "$IMMERSUP_ROOT/requirements-dev.txt" "$IMMERSUP_ROOT/constraints.txt"
        "$IMMERSUP_PY" -c 'import sys; print(sys.version)'
    } | "$IMMERSUP_PY" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())'
}

immersup_ensure_venv() {
    if [[ -x "$IMMERSUP_PY" ]] && ! "$IMMERSUP_PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
        immersup_warn "$IMMERSUP_VENV is broken or not Python 3.11: recreating it"
        rm -rf "$IMMERSUP_VENV"
    fi
    if [[ ! -x "$IMMERSUP_PY" ]]; then
        local python
        python="$(_immersup_find_python)" || immersup_die "Python 3.11 not found (install it, or set PYTHON=/path/to/python3.11)"
        immersup_log "Creating $IMMERSUP_VENV with $python"
        "$python" -m venv "$IMMERSUP_VENV" || immersup_die "could not create the virtual environment"
    fi
    local wanted
    wanted="$(_immersup_requirements_hash)"
    if [[ -f "$IMMERSUP_STAMP" && "$(cat "$IMMERSUP_STAMP")" == "$wanted" ]]; then
        return 0
    fi
    immersup_log "Installing Python packages (requirements-dev.txt, constraints.txt)"
    rm -f "$IMMERSUP_STAMP"
    (cd "$IMMERSUP_ROOT" && "$IMMERSUP_PY" -m pip install --quiet --progress-bar off \
        -r requirements-dev.txt -c constraints.txt) || immersup_die "pip install failed"
    printf '%s\n' "$wanted" >"$IMMERSUP_STAMP"
}

# --- Translations -------------------------------------------------------------------------
_immersup_stale_po() {
    # Prints the first .po file (outside .venv and build output) without an up-to-date .mo.
    local po
    while IFS= read -r -d '' po; do
        if [[ ! -f "${po%.po}.mo" || "$po" -nt "${po%.po}.mo" ]]; then
            printf '%s\n' "$po"
            return 0
        fi
    done < <(find "$IMMERSUP_ROOT" \( -name .venv -o -name .git -o -name node_modules -o -name staticfiles \) -prune \
        -o -path '*/locale/*/LC_MESSAGES/*.po' -type f -print0)
    return 1
}

immersup_compile_messages() {
    local stale
    stale="$(_immersup_stale_po)" || return 0
    if ! command -v msgfmt >/dev/null 2>&1; then
        immersup_warn "msgfmt (Debian package gettext) is missing: translations not compiled ($stale is newer)"
        return 0
    fi
    immersup_log "Compiling translations ($stale changed)"
    (cd "$IMMERSUP_ROOT" && DJANGO_SETTINGS_MODULE=immersup.settings_test "$IMMERSUP_PY" manage.py compilemessages \
        --ignore=.venv --ignore=.git --ignore=node_modules --ignore=staticfiles)
}
