#!/usr/bin/env bash
# Builds libsocialcrm (debug) and tests its C ABI:
#
#   1. the exported dynamic symbols equal include/socialcrm.symbols (nm -D), and the SONAME is
#      libsocialcrm.so.<SCRM_ABI_VERSION> (readelf -d);
#   2. every tests/c/test_*.c, compiled with -std=c11 -Wall -Wextra -Werror -pedantic, passes
#      once with AddressSanitizer + UndefinedBehaviorSanitizer (leak detection on) and once,
#      built without sanitizers, under valgrind (memcheck; definite and possible leaks are
#      errors, minus the reachable-but-"possible" blocks explained in tests/c/valgrind.supp).
#
# Each test binary prints "<name>: N passed, N failed". Output goes to target/c-tests/.
# Run from anywhere; needs cargo, a C compiler (CC, default cc), nm, readelf and valgrind.
# SCRM_SKIP_VALGRIND=1 skips the valgrind pass (e.g. for a quick local run).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

CC=${CC:-cc}
target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$target_dir" in /*) ;; *) target_dir=$root/$target_dir ;; esac
lib=$target_dir/debug/libsocialcrm.so
out=$target_dir/c-tests

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

echo "==> cargo build -p socialcrm-c"
cargo build -p socialcrm-c
rm -rf "$out"
mkdir -p "$out/lib" "$out/asan" "$out/plain" "$out/logs"

echo "==> exported symbols vs include/socialcrm.symbols"
# Every defined dynamic symbol must be listed: a removed function is an ABI break, an added
# one must be recorded (re-bless with SCRM_BLESS=1 cargo test -p socialcrm-c --test header).
nm -D --defined-only "$lib" | awk 'NF == 3 { print $3 }' | LC_ALL=C sort >"$out/symbols.actual"
if diff -u include/socialcrm.symbols "$out/symbols.actual" >"$out/symbols.diff"; then
    echo "    $(wc -l <"$out/symbols.actual") symbols, as listed"
else
    cat "$out/symbols.diff" >&2
    fail "libsocialcrm.so exports differ from include/socialcrm.symbols (- listed, + exported)"
fi

echo "==> SONAME"
abi=$(sed -n 's/^#define SCRM_ABI_VERSION \([0-9][0-9]*\)$/\1/p' include/socialcrm.h)
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]$/\1/p')
if [[ -n "$abi" && "$soname" == "libsocialcrm.so.$abi" ]]; then
    echo "    $soname (SCRM_ABI_VERSION $abi)"
else
    fail "SONAME is '${soname}', expected libsocialcrm.so.${abi:-<SCRM_ABI_VERSION missing>}"
fi

# The layout of an installed library: the programs record the SONAME and find it by it.
ln -sf "$lib" "$out/lib/libsocialcrm.so.${abi:-1}"
ln -sf "libsocialcrm.so.${abi:-1}" "$out/lib/libsocialcrm.so"

cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -g -Iinclude)
ldflags=(-L"$out/lib" -Wl,-rpath,"$out/lib" -lsocialcrm -lpthread)
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

shopt -s nullglob
sources=(tests/c/test_*.c)
if [[ ${#sources[@]} -eq 0 ]]; then
    fail "no tests/c/test_*.c found"
fi

echo "==> compile (${#sources[@]} tests, with and without sanitizers)"
for src in "${sources[@]}"; do
    name=$(basename "$src" .c)
    "$CC" "${cflags[@]}" "${sanitize[@]}" -O1 -o "$out/asan/$name" "$src" "${ldflags[@]}" ||
        fail "$name does not compile (sanitizers)"
    "$CC" "${cflags[@]}" -O1 -o "$out/plain/$name" "$src" "${ldflags[@]}" ||
        fail "$name does not compile"
done
if ! readelf -d "$out/plain/test_api" 2>/dev/null | grep -q "NEEDED.*\[libsocialcrm.so.${abi:-1}\]"; then
    fail "test_api does not record NEEDED libsocialcrm.so.${abi:-1}"
fi

# Runs one test binary, printing its summary line; the full output is in target/c-tests/logs.
run() {
    local label=$1 name=$2
    shift 2
    local log=$out/logs/$name.$label.log
    local status=0
    "$@" >"$log" 2>&1 || status=$?
    local summary
    summary=$(grep -E '^[a-z_]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
    printf '    %-9s %s\n' "$label" "${summary:-$name: no summary line}"
    if [[ $status -ne 0 ]]; then
        sed 's/^/        | /' "$log" >&2
        fail "$name ($label) exited with status $status"
    fi
}

echo "==> run with AddressSanitizer + UndefinedBehaviorSanitizer"
for src in "${sources[@]}"; do
    name=$(basename "$src" .c)
    [[ -x "$out/asan/$name" ]] || continue
    run asan "$name" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$out/asan/$name"
done

if [[ "${SCRM_SKIP_VALGRIND:-0}" == 1 ]]; then
    echo "==> valgrind skipped (SCRM_SKIP_VALGRIND=1)"
else
    echo "==> run under valgrind"
    for src in "${sources[@]}"; do
        name=$(basename "$src" .c)
        [[ -x "$out/plain/$name" ]] || continue
        # 1 MiB instead of 10 for the large-input test: the debug library under valgrind
        # would take minutes for 10 (the sanitizer run above covers the full size).
        run valgrind "$name" env SCRM_TEST_LARGE_MIB=1 valgrind --error-exitcode=1 \
            --leak-check=full --errors-for-leak-kinds=definite,possible \
            --show-leak-kinds=definite,possible --num-callers=40 \
            --suppressions=tests/c/valgrind.supp "$out/plain/$name"
    done
fi

if [[ $failures -ne 0 ]]; then
    echo "C ABI tests: $failures failure(s)" >&2
    exit 1
fi
echo "C ABI tests: all passed"
