#!/usr/bin/env python3
"""Jaro-Winkler micro-benchmark: rapidfuzz (vectorised + Python loop) vs socialcrm.

Generates a fixed, seeded list of name pairs (German / Dutch / English first +
last names; half of the pairs are the same person with 0-3 random typos, half
are two different people, some of those with typos too), then measures
comparisons per second for

  * rapidfuzz.process.cpdist(left, right, scorer=JaroWinkler.similarity, workers=1,
                             dtype=np.float64)   (cpdist's default dtype is float32!)
  * a plain Python loop calling rapidfuzz.distance.JaroWinkler.similarity
  * a plain Python loop calling jellyfish.jaro_winkler_similarity
    (what recordlinkage uses under the hood; reference only)
  * socialcrm.jaro_winkler_batch(left_list, right_list) -> list[float]
    if socialcrm is importable and has it (checked with hasattr)

and checks every implementation against rapidfuzz (max |diff|).
JW definition used by rapidfuzz: prefix_weight 0.1, common prefix capped at 4,
Winkler boost only applied when the Jaro similarity is > 0.7.

The same pairs are written to a TSV (default: jw_pairs.tsv next to this file,
gitignored) so the Rust criterion bench can read the identical strings:
  UTF-8, one pair per line, no header, 3 tab-separated columns:
  left<TAB>right<TAB>rapidfuzz JaroWinkler.similarity formatted with %.17g
(names never contain tabs or newlines).  Override with --tsv or $JW_PAIRS_TSV.

Usage: python jaro_winkler.py [--pairs 200000] [--seed 20240601] [--reps 5] [--tsv PATH] [--json PATH]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import time

HERE = os.path.dirname(os.path.abspath(__file__))

FIRST = [
    # German
    "Johann", "Jürgen", "Klaus", "Wolfgang", "Günter", "Stefan", "Matthias", "Andreas",
    "Sabine", "Ursula", "Monika", "Petra", "Brigitte", "Katharina", "Lena", "Sophie",
    "Maximilian", "Lukas", "Felix", "Jörg", "Dieter", "Heike", "Anja", "Björn",
    # Dutch
    "Jan", "Pieter", "Hendrik", "Willem", "Joost", "Maarten", "Sander", "Bram",
    "Anneke", "Femke", "Marieke", "Sanne", "Lotte", "Ingrid", "Geert", "Sjoerd",
    "Ruud", "Wouter", "Eva", "Daan", "Thijs", "Noor", "Fleur", "Joris",
    # English
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Thomas",
    "Mary", "Patricia", "Jennifer", "Elizabeth", "Margaret", "Sarah", "Emily", "Olivia",
    "Christopher", "Matthew", "Daniel", "Charlotte", "Jessica", "Catherine", "Harry", "George",
]
LAST = [
    # German
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
    "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Weiß",
    "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Schmid",
    # Dutch
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
    "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
    "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
    "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
    # English
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell",
]
ALPHABET = "abcdefghijklmnopqrstuvwxyzäöüéß"


def typo(s: str, rng: random.Random) -> str:
    if len(s) < 2:
        return s
    op = rng.random()
    i = rng.randrange(len(s))
    if op < 0.3:                                     # substitution
        return s[:i] + rng.choice(ALPHABET) + s[i + 1:]
    if op < 0.55:                                    # deletion
        return s[:i] + s[i + 1:]
    if op < 0.8:                                     # insertion
        return s[:i] + rng.choice(ALPHABET) + s[i:]
    j = min(i, len(s) - 2)                           # transposition
    return s[:j] + s[j + 1] + s[j] + s[j + 2:]


def make_pairs(n: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    left, right = [], []
    for _ in range(n):
        a = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if rng.random() < 0.5:                       # same person, 0-3 typos
            b = a
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                b = typo(b, rng)
        else:                                        # different person, sometimes a shared part
            r = rng.random()
            if r < 0.25:
                b = f"{a.split(' ', 1)[0]} {rng.choice(LAST)}"
            elif r < 0.5:
                b = f"{rng.choice(FIRST)} {a.split(' ', 1)[1]}"
            else:
                b = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if rng.random() < 0.3:
                b = typo(b, rng)
        if rng.random() < 0.05:                      # a few case differences
            b = b.lower()
        left.append(a)
        right.append(b)
    return left, right


def bench(fn, reps: int):
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--tsv", default=os.environ.get("JW_PAIRS_TSV", os.path.join(HERE, "jw_pairs.tsv")))
    ap.add_argument("--json", default=os.path.join(HERE, "jw_results.json"))
    args = ap.parse_args()

    import numpy as np
    import rapidfuzz
    from rapidfuzz.distance import JaroWinkler
    from rapidfuzz.process import cpdist

    left, right = make_pairs(args.pairs, args.seed)
    n = len(left)
    ref = np.asarray(cpdist(left, right, scorer=JaroWinkler.similarity, workers=1, dtype=np.float64))

    os.makedirs(os.path.dirname(os.path.abspath(args.tsv)), exist_ok=True)
    tsv_text = "".join(f"{a}\t{b}\t{s:.17g}\n" for a, b, s in zip(left, right, ref))
    with open(args.tsv, "w", encoding="utf-8", newline="\n") as f:
        f.write(tsv_text)
    tsv_sha256 = hashlib.sha256(tsv_text.encode("utf-8")).hexdigest()

    impls = {
        "rapidfuzz cpdist (workers=1)": lambda: cpdist(
            left, right, scorer=JaroWinkler.similarity, workers=1, dtype=np.float64),
        "rapidfuzz Python loop": lambda: [JaroWinkler.similarity(a, b) for a, b in zip(left, right)],
    }
    try:
        import jellyfish

        impls["jellyfish Python loop (recordlinkage's backend)"] = (
            lambda: [jellyfish.jaro_winkler_similarity(a, b) for a, b in zip(left, right)])
    except ImportError:
        jellyfish = None
    socialcrm_note = None
    try:
        import socialcrm

        if hasattr(socialcrm, "jaro_winkler_batch"):
            impls["socialcrm.jaro_winkler_batch"] = lambda: socialcrm.jaro_winkler_batch(left, right)
        else:
            socialcrm_note = "socialcrm importable but has no jaro_winkler_batch yet"
    except ImportError:
        socialcrm_note = "socialcrm: not installed"
    if socialcrm_note:
        print(socialcrm_note)

    rows = []
    for name, fn in impls.items():
        times, out = bench(fn, args.reps)
        got = np.asarray(out, dtype=np.float64)
        med = statistics.median(times)
        rows.append({
            "impl": name, "pairs": n, "median_s": med, "min_s": min(times), "times_s": times,
            "comparisons_per_s": n / med, "ns_per_comparison": med / n * 1e9,
            "checksum": float(got.sum()), "max_abs_diff_vs_rapidfuzz": float(np.max(np.abs(got - ref))),
            "n_diff_gt_1e-9": int(np.sum(np.abs(got - ref) > 1e-9)),
        })

    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else []
    print(f"\nJaro-Winkler, {n} name pairs (seed {args.seed}), median of {args.reps} runs; "
          f"rapidfuzz {rapidfuzz.__version__}; load avg {' '.join(load)}; pairs in {args.tsv} "
          f"(sha256 {tsv_sha256[:16]}…)\n")
    print("| implementation | comparisons/s | ns/comparison | median s | max abs diff vs rapidfuzz |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['impl']} | {r['comparisons_per_s']:,.0f} | {r['ns_per_comparison']:.1f} | "
              f"{r['median_s']:.4f} | {r['max_abs_diff_vs_rapidfuzz']:.3g} ({r['n_diff_gt_1e-9']} pairs) |")

    meta = {"pairs": n, "seed": args.seed, "reps": args.reps, "tsv": os.path.abspath(args.tsv), "tsv_sha256": tsv_sha256,
            "python": platform.python_version(), "rapidfuzz": rapidfuzz.__version__,
            "jellyfish": getattr(jellyfish, "__version__", None) if jellyfish else None,
            "loadavg": " ".join(load), "cpus": os.cpu_count(), "socialcrm_note": socialcrm_note,
            "match_share": float(np.mean(ref >= 0.9))}
    with open(args.json, "w") as f:
        json.dump({"meta": meta, "results": rows}, f, indent=2)
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
