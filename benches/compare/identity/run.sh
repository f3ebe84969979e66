#!/usr/bin/env bash
# Side-by-side record-linkage benchmark (socialcrm vs Splink vs recordlinkage) on FEBRL.
#
# Usage:
#   benches/compare/identity/run.sh                  # compare.py with default args
#   benches/compare/identity/run.sh --reps 5 --tasks febrl4     # args go to compare.py
#   benches/compare/identity/run.sh --jw             # Jaro-Winkler micro-benchmark instead
#   benches/compare/identity/run.sh --all            # both
#   benches/compare/identity/run.sh --latest ...     # upgrade competitors to latest PyPI first
#
# Needs only python3 (>= 3.11 for the pinned set; older falls back to unpinned) + pip + PyPI.
# Environment:
#   BENCH_VENV=path            venv location (default: benches/compare/.venv)
#   SOCIALCRM_WHEEL_DIR=dir    install socialcrm from a wheel in dir (no index)
#   SOCIALCRM_SKIP_INSTALL=1   don't (re)build/install socialcrm; use whatever is in the venv
#   SOCIALCRM_SRC=dir          `pip install dir` (maturin build); default: the first of
#                              <repo-root>, <repo-root>/bindings/python, <repo-root>/python
#                              that has a pyproject.toml
# A failed socialcrm install is not an error: compare.py then prints
# "socialcrm: not installed" and benchmarks the competitors only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
COMPARE_DIR="$(dirname "$HERE")"
REPO_ROOT="$(cd "$HERE/../../.." && pwd)"
VENV="${BENCH_VENV:-$COMPARE_DIR/.venv}"
PY="${PYTHON:-python3}"
COMPETITORS=(splink duckdb recordlinkage pandas numpy rapidfuzz)

LATEST=0
MODE=compare
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --latest) LATEST=1 ;;
    --jw) MODE=jw ;;
    --all) MODE=all ;;
    --) shift; ARGS+=("$@"); break ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done

# 2-core machine: keep BLAS/OpenMP from oversubscribing (distorts timings).
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

if [ ! -x "$VENV/bin/python" ]; then
  echo ">> creating venv $VENV"
  "$PY" -m venv "$VENV"
fi
# Keep the venv out of git without touching anything outside this directory.
[ -f "$VENV/.gitignore" ] || echo '*' > "$VENV/.gitignore"
VPY="$VENV/bin/python"

stamp="$VENV/.identity-requirements.sha256"
want="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
if [ "$LATEST" = 1 ]; then
  echo ">> upgrading competitors to latest: ${COMPETITORS[*]}"
  "$VPY" -m pip install --upgrade "${COMPETITORS[@]}"
  rm -f "$stamp"
elif [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  echo ">> installing pinned requirements"
  if "$VPY" -m pip install -q -r "$HERE/requirements.txt"; then
    echo "$want" > "$stamp"
  else
    echo ">> pinned install failed (python version?); installing latest unpinned instead" >&2
    "$VPY" -m pip install "${COMPETITORS[@]}"
  fi
fi

if [ "${SOCIALCRM_SKIP_INSTALL:-0}" != 1 ]; then
  if [ -n "${SOCIALCRM_WHEEL_DIR:-}" ]; then
    echo ">> installing socialcrm from wheel dir $SOCIALCRM_WHEEL_DIR"
    "$VPY" -m pip install --no-index --find-links "$SOCIALCRM_WHEEL_DIR" \
        --upgrade --force-reinstall --no-deps socialcrm \
      || echo ">> socialcrm: install from $SOCIALCRM_WHEEL_DIR failed; it will be skipped" >&2
  else
    SRC="${SOCIALCRM_SRC:-}"
    if [ -z "$SRC" ]; then
      for d in "$REPO_ROOT" "$REPO_ROOT/bindings/python" "$REPO_ROOT/python"; do
        if [ -f "$d/pyproject.toml" ]; then SRC="$d"; break; fi
      done
    fi
    if [ -n "$SRC" ]; then
      echo ">> building + installing socialcrm from $SRC (maturin; may take a few minutes)"
      "$VPY" -m pip install "$SRC" \
        || echo ">> socialcrm: build/install from $SRC failed; it will be skipped" >&2
    else
      echo ">> socialcrm: no pyproject.toml found (repo root, bindings/python, python); skipping install"
    fi
  fi
fi
if "$VPY" -m pip show socialcrm >/dev/null 2>&1; then
  echo ">> socialcrm in venv: $("$VPY" -m pip show socialcrm 2>/dev/null | sed -n 's/^Version: //p')"
fi

cd "$HERE"
echo ">> $(uptime)"
case "$MODE" in
  compare) exec "$VPY" compare.py ${ARGS[@]+"${ARGS[@]}"} ;;
  jw) exec "$VPY" jaro_winkler.py ${ARGS[@]+"${ARGS[@]}"} ;;
  all)
    "$VPY" compare.py ${ARGS[@]+"${ARGS[@]}"}
    echo ">> $(uptime)"
    exec "$VPY" jaro_winkler.py ;;
esac
