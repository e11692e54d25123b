#!/usr/bin/env bash
# Install the pinned AI coding CLIs that the proxy and hook tests drive, and print
#   export LEAKGUARD_TEST_CLIENTS=DIR
# on stdout (use: eval "$(.ci/install-clients.sh)"). Idempotent: what is already
# there at the right version is kept. npm packages go to DIR/node_modules, aider to
# the virtual environment DIR/aider-venv (its pins clash with ours). Pinned because
# these tools change weekly. Exits 1 if anything failed, still printing the export.
set -uo pipefail

CLAUDE_CODE=2.1.197
CODEX=0.171.0
GEMINI_CLI=0.61.0
AIDER=0.86.2
DIR=${LEAKGUARD_TEST_CLIENTS:-$HOME/.cache/leakguard-ci/clients}

log() { echo "install-clients: $*" >&2; }

npm_version() {  # installed version of an npm package under DIR, or nothing
    node -p "require(process.argv[1]).version" "$DIR/node_modules/$1/package.json" 2>/dev/null
}

install_npm() {
    if [ "$(npm_version @anthropic-ai/claude-code)" = "$CLAUDE_CODE" ] \
        && [ "$(npm_version @openai/codex)" = "$CODEX" ] \
        && [ "$(npm_version @google/gemini-cli)" = "$GEMINI_CLI" ]; then
        log "claude-code $CLAUDE_CODE, codex $CODEX, gemini-cli $GEMINI_CLI already installed"
        return 0
    fi
    command -v npm >/dev/null || { log "npm not found: cannot install the npm clients"; return 1; }
    log "installing claude-code, codex, gemini-cli with npm into $DIR (about 40 s)"
    (cd "$DIR" && npm install --no-audit --no-fund --loglevel=error --save-exact \
        "@anthropic-ai/claude-code@$CLAUDE_CODE" "@openai/codex@$CODEX" \
        "@google/gemini-cli@$GEMINI_CLI") >&2 || return 1
    local name
    for name in claude codex gemini; do  # the native binaries come from platform packages
        "$DIR/node_modules/.bin/$name" --version >/dev/null 2>&1 \
            || { log "$name does not start after install"; return 1; }
    done
}

aider_python() {  # aider-chat $AIDER needs Python >= 3.10, < 3.13
    local candidate
    for candidate in python3 python3.12 python3.11 python3.10; do
        command -v "$candidate" >/dev/null || continue
        "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] < (3, 13))' \
            2>/dev/null && { echo "$candidate"; return 0; }
    done
    return 1
}

install_aider() {
    local venv="$DIR/aider-venv"
    if [ "$("$venv/bin/aider" --version 2>/dev/null | tail -n 1)" = "aider $AIDER" ]; then
        log "aider $AIDER already installed"
        return 0
    fi
    local python
    python=$(aider_python) || { log "no Python 3.10-3.12 for aider"; return 1; }
    log "installing aider-chat $AIDER into $venv (about 150 s)"
    "$python" -m venv --clear "$venv" >&2 \
        && "$venv/bin/pip" install -q --disable-pip-version-check "aider-chat==$AIDER" >&2 \
        && [ "$("$venv/bin/aider" --version 2>/dev/null | tail -n 1)" = "aider $AIDER" ]
}

mkdir -p "$DIR"
status=0
# aider is the slow one: install it beside npm, not after.
install_aider &
aider_pid=$!
install_npm || { log "npm clients failed to install"; status=1; }
wait "$aider_pid" || { log "aider failed to install"; status=1; }

printf 'export LEAKGUARD_TEST_CLIENTS=%q\n' "$DIR"
exit "$status"
