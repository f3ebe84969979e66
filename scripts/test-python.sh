#!/usr/bin/env bash
# Builds the socialcrm wheel, installs it into .venv, and checks the Python package:
# pytest (python/tests), mypy.stubtest (the stubs against the compiled module) and
# mypy --strict over the pure-Python modules and the tests (the stubs as a user's type
# checker sees them).
#
# Usage:  scripts/test-python.sh
# Needs:  the Rust toolchain, python3 (3.10+) with venv and pip, and PyPI (first run only).
#
# Environment:
#   PYTHON                interpreter that creates .venv (default python3)
#   SOCIALCRM_PY_PROFILE  Cargo profile of the wheel (default dev). The dev profile shares its
#                         compiled dependencies with `cargo test`/`cargo build`, so after the
#                         Rust tests only pyo3 and the binding crate are compiled, and it keeps
#                         the core's debug assertions on under the Python tests. `release`
#                         builds what `pip install .` ships, at the cost of compiling every
#                         dependency again with opt-level 3.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
PROFILE=${SOCIALCRM_PY_PROFILE:-dev}
VENV=.venv
PY=$VENV/bin/python
WHEELS=target/python-wheels
SECONDS=0

step() { printf '\n==> %s (%ss)\n' "$*" "$SECONDS"; }

step "virtual environment $VENV"
if [ ! -x "$PY" ]; then
    "$PYTHON" -m venv "$VENV"
fi
# Pinned tools; when they are already installed pip finishes in about a second without
# touching the network.
"$PY" -m pip install --quiet --disable-pip-version-check -r python/requirements-dev.txt

step "wheel (profile $PROFILE)"
rm -rf "$WHEELS"
# The wheel is only installed here, never published: no compression and no manylinux audit
# (each would cost seconds on a 100 MB extension that embeds the language models).
"$VENV/bin/maturin" build \
    --profile "$PROFILE" \
    --interpreter "$PY" \
    --out "$WHEELS" \
    --compression-method stored \
    --auditwheel skip
wheels=("$WHEELS"/socialcrm-*.whl)
if [ "${#wheels[@]}" -ne 1 ] || [ ! -f "${wheels[0]}" ]; then
    echo "expected exactly one wheel in $WHEELS, found: ${wheels[*]}" >&2
    exit 1
fi
"$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "${wheels[0]}"

step "pytest"
"$PY" -m pytest python/tests -q -p no:cacheprovider

step "stubtest"
# No allowlist: the stubs match the module exactly.
"$PY" -m mypy.stubtest socialcrm._native

step "mypy --strict over the package and the tests"
# The package's pure-Python modules against the stubs, and the tests as a user's type
# checker sees the installed package.
"$PY" -m mypy --strict --no-incremental --warn-unused-ignores --warn-unreachable python/socialcrm
"$PY" -m mypy --strict --no-incremental --warn-unused-ignores --warn-unreachable python/tests

step "done"
