//! String comparators: Jaro–Winkler throughput (comparisons/s) on the name pairs rapidfuzz is
//! benchmarked on, plus the other comparators on the same pairs.
//!
//! The pairs come from `benches/compare/identity/jw_pairs.tsv` (or `$JW_PAIRS_TSV`), written
//! by `benches/compare/identity/jaro_winkler.py` (`run.sh --jw`) together with rapidfuzz's
//! score for each pair. Before measuring, every score is checked against rapidfuzz's (the run
//! fails beyond 1e-12) and the largest difference is printed, with one timed pass in wall and
//! CPU time. Without the file, deterministic pairs of the same kind are generated here and
//! only the timings are reported.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use socialcrm::identity::compare::{
    damerau_levenshtein, jaro, jaro_winkler, levenshtein, osa_distance, token_set_jaccard,
};

/// One pair: left, right and, when read from the file, rapidfuzz's Jaro–Winkler score.
struct Pair {
    left: String,
    right: String,
    rapidfuzz: Option<f64>,
}

fn pairs_path() -> PathBuf {
    match std::env::var_os("JW_PAIRS_TSV") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("compare/identity/jw_pairs.tsv"),
    }
}

/// Reads `left<TAB>right<TAB>score` lines; `None` if the file is missing.
fn read_pairs(path: &PathBuf) -> Option<Vec<Pair>> {
    let text = std::fs::read_to_string(path).ok()?;
    let pairs = text
        .lines()
        .enumerate()
        .map(|(n, line)| {
            let mut fields = line.split('\t');
            let (Some(left), Some(right), Some(score), None) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                panic!(
                    "{}:{}: expected 3 tab-separated fields",
                    path.display(),
                    n + 1
                );
            };
            let score: f64 = score
                .parse()
                .unwrap_or_else(|e| panic!("{}:{}: bad score: {e}", path.display(), n + 1));
            Pair {
                left: left.to_owned(),
                right: right.to_owned(),
                rapidfuzz: Some(score),
            }
        })
        .collect();
    Some(pairs)
}

/// Deterministic stand-in for the rapidfuzz file: German, Dutch and English names, half of
/// the pairs the same person with up to three typos, half two people.
fn generated_pairs(count: usize) -> Vec<Pair> {
    const FIRST: [&str; 24] = [
        "Johann",
        "Jürgen",
        "Klaus",
        "Günter",
        "Sabine",
        "Ursula",
        "Jörg",
        "Björn",
        "Jan",
        "Pieter",
        "Hendrik",
        "Joost",
        "Anneke",
        "Femke",
        "Sjoerd",
        "Thijs",
        "James",
        "Robert",
        "Michael",
        "Patricia",
        "Elizabeth",
        "Christopher",
        "Charlotte",
        "Catherine",
    ];
    const LAST: [&str; 24] = [
        "Müller",
        "Schmidt",
        "Schneider",
        "Schäfer",
        "Schröder",
        "Krüger",
        "Weiß",
        "Zimmermann",
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "van Dijk",
        "Bakker",
        "Dijkstra",
        "van der Meer",
        "Smith",
        "Johnson",
        "Williams",
        "Anderson",
        "Thompson",
        "Robinson",
        "Campbell",
        "Wright",
    ];
    const TYPO: [char; 31] = [
        'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r',
        's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ü', 'é', 'ß',
    ];
    let mut state = 0x2024_0601_9E37_79B9u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut pairs = Vec::with_capacity(count);
    for _ in 0..count {
        let left = format!("{} {}", FIRST[next(24)], LAST[next(24)]);
        let mut right: Vec<char> = if next(2) == 0 {
            left.chars().collect()
        } else {
            format!("{} {}", FIRST[next(24)], LAST[next(24)])
                .chars()
                .collect()
        };
        for _ in 0..next(4) {
            let i = next(right.len());
            match next(4) {
                0 => right[i] = TYPO[next(TYPO.len())],
                1 => drop(right.remove(i)),
                2 => right.insert(i, TYPO[next(TYPO.len())]),
                _ if i + 1 < right.len() => right.swap(i, i + 1),
                _ => {}
            }
        }
        pairs.push(Pair {
            left,
            right: right.into_iter().collect(),
            rapidfuzz: None,
        });
    }
    pairs
}

/// CPU time of this thread, from the scheduler's accounting (Linux); `None` elsewhere.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn all_jaro_winkler(pairs: &[Pair]) -> f64 {
    pairs
        .iter()
        .map(|p| jaro_winkler(black_box(&p.left), black_box(&p.right)))
        .sum()
}

/// Checks every score against rapidfuzz's and prints the largest difference, then one timed
/// pass (best of five) in wall-clock and CPU time: on a busy machine the two differ.
fn verify_and_report(pairs: &[Pair], source: &str) {
    let mut checked = 0usize;
    let mut max_diff = 0.0f64;
    let mut worst = None;
    for p in pairs {
        if let Some(expected) = p.rapidfuzz {
            let diff = (jaro_winkler(&p.left, &p.right) - expected).abs();
            checked += 1;
            if diff > max_diff {
                max_diff = diff;
                worst = Some(p);
            }
        }
    }
    eprintln!("compare: {} pairs from {source}", pairs.len());
    if checked > 0 {
        eprintln!(
            "compare: jaro_winkler vs rapidfuzz on {checked} pairs: max |diff| = {max_diff:e}"
        );
        if let Some(p) = worst.filter(|_| max_diff > 1e-12) {
            panic!(
                "jaro_winkler({:?}, {:?}) differs from rapidfuzz by {max_diff:e}",
                p.left, p.right
            );
        }
    }
    let mut best: Option<(Duration, Option<Duration>)> = None;
    for _ in 0..5 {
        let (cpu0, wall0) = (thread_cpu_time(), Instant::now());
        black_box(all_jaro_winkler(pairs));
        let wall = wall0.elapsed();
        let cpu = cpu0.zip(thread_cpu_time()).map(|(a, b)| b - a);
        if best.is_none_or(|(w, _)| wall < w) {
            best = Some((wall, cpu));
        }
    }
    if let Some((wall, cpu)) = best {
        let n = pairs.len() as f64;
        let cpu = cpu.map_or("n/a".to_owned(), |c| {
            format!("{:.1} ns/comparison", c.as_secs_f64() / n * 1e9)
        });
        eprintln!(
            "compare: one pass, best of 5: wall {:.1} ns/comparison ({:.2} M comparisons/s), cpu {cpu}",
            wall.as_secs_f64() / n * 1e9,
            n / wall.as_secs_f64() / 1e6,
        );
    }
}

fn name_pairs(c: &mut Criterion) {
    let path = pairs_path();
    let (pairs, source) = match read_pairs(&path) {
        Some(pairs) => (pairs, path.display().to_string()),
        None => (
            generated_pairs(200_000),
            format!("the generator ({} not found)", path.display()),
        ),
    };
    verify_and_report(&pairs, &source);

    let mut group = c.benchmark_group("name_pairs");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("jaro_winkler", |b| b.iter(|| all_jaro_winkler(&pairs)));
    group.bench_function("jaro", |b| {
        b.iter(|| {
            pairs
                .iter()
                .map(|p| jaro(black_box(&p.left), black_box(&p.right)))
                .sum::<f64>()
        })
    });
    group.bench_function("levenshtein", |b| {
        b.iter(|| {
            pairs
                .iter()
                .map(|p| levenshtein(black_box(&p.left), black_box(&p.right)))
                .sum::<usize>()
        })
    });
    group.bench_function("osa_distance", |b| {
        b.iter(|| {
            pairs
                .iter()
                .map(|p| osa_distance(black_box(&p.left), black_box(&p.right)))
                .sum::<usize>()
        })
    });
    group.bench_function("token_set_jaccard", |b| {
        b.iter(|| {
            pairs
                .iter()
                .map(|p| token_set_jaccard(black_box(&p.left), black_box(&p.right)))
                .sum::<f64>()
        })
    });
    group.finish();

    // The non-ASCII pairs alone take the char path (decoding into stack buffers).
    let non_ascii: Vec<&Pair> = pairs
        .iter()
        .filter(|p| !(p.left.is_ascii() && p.right.is_ascii()))
        .collect();
    let mut group = c.benchmark_group("name_pairs_non_ascii");
    group.throughput(Throughput::Elements(non_ascii.len() as u64));
    group.bench_function("jaro_winkler", |b| {
        b.iter(|| {
            non_ascii
                .iter()
                .map(|p| jaro_winkler(black_box(&p.left), black_box(&p.right)))
                .sum::<f64>()
        })
    });
    group.finish();

    // Damerau–Levenshtein allocates per call and is O(n·m): measured on a sample.
    let sample: Vec<&Pair> = pairs.iter().step_by(10).collect();
    let mut group = c.benchmark_group("name_pairs_sample");
    group.throughput(Throughput::Elements(sample.len() as u64));
    group.bench_function("damerau_levenshtein", |b| {
        b.iter(|| {
            sample
                .iter()
                .map(|p| damerau_levenshtein(black_box(&p.left), black_box(&p.right)))
                .sum::<usize>()
        })
    });
    group.finish();
}

/// Past 64 characters the blocked paths take over; 300-character texts with small edits.
fn long_strings(c: &mut Criterion) {
    let base: String = "Maximilian Alexander von und zu Hohenzollern-Sigmaringen ".repeat(6);
    let base: String = base.chars().take(300).collect();
    let edited: Vec<String> = (0..100)
        .map(|k| {
            let mut s: Vec<char> = base.chars().collect();
            s.swap(3 * k % 299, 3 * k % 299 + 1);
            s[(7 * k + 50) % 300] = 'ü';
            s.remove((11 * k + 100) % 299);
            s.into_iter().collect()
        })
        .collect();
    let mut group = c.benchmark_group("long_300_chars");
    group.throughput(Throughput::Elements(edited.len() as u64));
    group.bench_function("jaro_winkler", |b| {
        b.iter(|| {
            edited
                .iter()
                .map(|e| jaro_winkler(black_box(&base), black_box(e)))
                .sum::<f64>()
        })
    });
    group.bench_function("levenshtein", |b| {
        b.iter(|| {
            edited
                .iter()
                .map(|e| levenshtein(black_box(&base), black_box(e)))
                .sum::<usize>()
        })
    });
    group.bench_function("osa_distance", |b| {
        b.iter(|| {
            edited
                .iter()
                .map(|e| osa_distance(black_box(&base), black_box(e)))
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, name_pairs, long_strings);
criterion_main!(benches);
