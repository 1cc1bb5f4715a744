#!/usr/bin/env bash
# JupyterLab for this project (what `make lab` runs): on 127.0.0.1, with the
# project's Jupyter settings (jupyter/) and everything Jupyter writes kept in
# .jupyter/ inside the project, never in your home folder. Extra arguments go
# to `jupyter lab` (e.g. --port=8890 --no-browser).
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

cd "$ROOT"
exec "$BIN/jupyter-lab" \
    --ip=127.0.0.1 \
    --ServerApp.root_dir="$ROOT" \
    --LabApp.app_settings_dir="$ROOT/jupyter/lab/settings" \
    "${ROOT_FLAG[@]}" "$@"
