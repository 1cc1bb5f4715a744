#!/usr/bin/env bash
# Install axe-core, the accessibility engine of tests/test_reader.py, from the
# npm registry at the exact version and checksum of tools/axe/package-lock.json
# (`make axe`; `make test` runs it). It lands in tools/axe/node_modules/ (not
# in git, never in the site); the tests inject its axe.min.js into each page
# and run it offline. Needs npm: as root on Debian it is installed with
# apt-get; otherwise this names the command.
set -euo pipefail
cd "$(dirname "$0")/axe"

want=$(sed -n 's/.*"axe-core": "\([0-9.]*\)".*/\1/p' package.json)
have=""
if [ -f node_modules/axe-core/package.json ]; then
    have=$(sed -n 's/^  "version": "\([0-9.]*\)".*/\1/p' node_modules/axe-core/package.json)
fi
if [ -n "$want" ] && [ "$have" = "$want" ] && [ -f node_modules/axe-core/axe.min.js ]; then
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing npm with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends npm >/dev/null
    else
        echo "error: npm is needed to install axe-core for the browser tests" >&2
        echo "       run: sudo apt-get install npm" >&2
        exit 1
    fi
fi

echo "installing axe-core $want (tools/axe/package-lock.json)"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
test -f node_modules/axe-core/axe.min.js || { echo "error: axe-core did not install" >&2; exit 1; }
