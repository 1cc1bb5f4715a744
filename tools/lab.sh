#!/usr/bin/env bash
# JupyterLab for this project (what `make lab` runs): on 127.0.0.1, with the
# project's Jupyter settings (jupyter/) and everything Jupyter writes kept in
# .jupyter/ inside the project, never in your home folder. Extra arguments go
# to `jupyter lab` (e.g. --port=8890 --no-browser).
#
# It prints the address to open first, token included: the token is the one
# given (--IdentityProvider.token=..., or JUPYTER_TOKEN), else a fresh random
# one. The server takes exactly the port asked for (8888 unless --port=N), or
# stops saying it is taken, so the printed address is the server's.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${WRA_VENV_BIN:-$ROOT/.venv/bin}"
STATE="$ROOT/.jupyter"

# The kernel is the venv's Python (its kernelspec says just "python").
export PATH="$BIN:$PATH"
export JUPYTER_CONFIG_DIR="$ROOT/jupyter"
export JUPYTER_DATA_DIR="$STATE/data"
export JUPYTER_RUNTIME_DIR="$STATE/runtime"
export JUPYTERLAB_SETTINGS_DIR="$STATE/lab/user-settings"
export JUPYTERLAB_WORKSPACES_DIR="$STATE/lab/workspaces"
export IPYTHONDIR="$STATE/ipython"
export MPLCONFIGDIR="$STATE/matplotlib"
mkdir -p "$JUPYTER_DATA_DIR" "$JUPYTER_RUNTIME_DIR" "$IPYTHONDIR" "$MPLCONFIGDIR"

# Jupyter refuses to run as root unless told (CI and containers run as root).
ROOT_FLAG=()
[ "$(id -u)" = 0 ] && ROOT_FLAG=(--allow-root)

PORT=8888
TOKEN="${JUPYTER_TOKEN:-}"
for arg in "$@"; do
    case "$arg" in
        --port=*) PORT="${arg#--port=}" ;;
        --IdentityProvider.token=* | --ServerApp.token=*) TOKEN="${arg#*=}" ;;
    esac
done
TOKEN_FLAG=()
if [ -z "$TOKEN" ]; then
    TOKEN="$("$BIN/python" -c 'import secrets; print(secrets.token_hex(24))')"
    TOKEN_FLAG=(--IdentityProvider.token="$TOKEN")
fi
echo
echo "JupyterLab for this project: open"
echo
echo "    http://127.0.0.1:$PORT/lab?token=$TOKEN"
echo
echo "(the notebooks are under notebooks/; Ctrl+C twice stops the server)"
echo

cd "$ROOT"
exec "$BIN/jupyter-lab" \
    --ip=127.0.0.1 \
    --ServerApp.root_dir="$ROOT" \
    --LabApp.app_settings_dir="$ROOT/jupyter/lab/settings" \
    --ServerApp.port_retries=0 \
    "${ROOT_FLAG[@]}" "${TOKEN_FLAG[@]}" "$@"
