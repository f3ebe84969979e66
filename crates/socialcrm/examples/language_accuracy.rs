//! Measures language identification on labelled posts whose language is known per file.
//!
//! ```text
//! cargo run --release -p socialcrm --example language_accuracy -- ../shared/data/sentiment [MIN_CHARS]
//! ```
//!
//! Environment variables try other detector settings: `MIN_LETTERS`, `MIN_CONFIDENCE`, and
//! `OTHER_PRIOR` (prior weight of the languages other than en/de/nl) and `FR_ES_PRIOR`.
//!
//! Every `*.tsv` file in the directory whose name starts with a language code and `_`
//! (`en_airline.tsv`, `de_sb10k_trainval.tsv`, ...) is read; its last column is the text.
//! Texts shorter than MIN_CHARS characters (default 20) are skipped. "Unknown" answers count
//! as wrong and are also reported separately. Prints a Markdown table per file and per
//! language.

use std::collections::BTreeMap;
use std::time::Instant;

use socialcrm::Language;
use socialcrm::text::{LanguageDetector, detect_language};

#[derive(Default, Clone, Copy)]
struct Tally {
    texts: usize,
    correct: usize,
    unknown: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/data/sentiment".into());
    let min_chars: usize = args.next().map_or(Ok(20), |s| s.parse())?;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {dir}: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    let mut per_file = Vec::new();
    let mut per_language: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut confusion: BTreeMap<(&'static str, &'static str), usize> = BTreeMap::new();
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<f64>().ok());
    let custom = if env("MIN_LETTERS").is_some()
        || env("MIN_CONFIDENCE").is_some()
        || env("OTHER_PRIOR").is_some()
        || env("FR_ES_PRIOR").is_some()
    {
        let mut d = LanguageDetector::all_languages();
        if let Some(n) = env("MIN_LETTERS") {
            d = d.with_min_letters(n as usize);
        }
        if let Some(c) = env("MIN_CONFIDENCE") {
            d = d.with_min_confidence(c)?;
        }
        if let Some(w) = env("OTHER_PRIOR") {
            for &l in &Language::ALL[4..] {
                d = d.with_prior(l, w)?;
            }
        }
        if let Some(w) = env("FR_ES_PRIOR") {
            for l in [Language::French, Language::Spanish] {
                d = d.with_prior(l, w)?;
            }
        }
        println!("custom detector: {d:?}");
        Some(d)
    } else {
        None
    };
    let detect = |text: &str| match &custom {
        Some(d) => d.detect(text),
        None => detect_language(text),
    };
    let started = Instant::now();
    let mut total_texts = 0usize;
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some((code, _)) = name.split_once('_') else {
            continue;
        };
        let Ok(expected) = Language::from_code(code) else {
            continue;
        };
        let content = std::fs::read_to_string(path)?;
        let mut tally = Tally::default();
        for line in content.lines().skip(1) {
            let Some(text) = line.rsplit('\t').next() else {
                continue;
            };
            if text.chars().count() < min_chars {
                continue;
            }
            let guess = detect(text);
            tally.texts += 1;
            total_texts += 1;
            if guess.language == expected {
                tally.correct += 1;
            } else {
                if guess.language == Language::Unknown {
                    tally.unknown += 1;
                }
                *confusion
                    .entry((expected.code(), guess.language.code()))
                    .or_default() += 1;
            }
        }
        let lang = per_language.entry(expected.code()).or_default();
        lang.texts += tally.texts;
        lang.correct += tally.correct;
        lang.unknown += tally.unknown;
        per_file.push((name.to_owned(), expected.code(), tally));
    }
    let elapsed = started.elapsed().as_secs_f64();
    let pct = |t: &Tally| 100.0 * t.correct as f64 / t.texts.max(1) as f64;
    println!("Language identification, texts of >= {min_chars} characters, data: {dir}\n");
    println!("| file | lang | texts | correct | accuracy | unknown |");
    println!("|---|---|---:|---:|---:|---:|");
    for (name, code, t) in &per_file {
        println!(
            "| {name} | {code} | {} | {} | {:.2} % | {} |",
            t.texts,
            t.correct,
            pct(t),
            t.unknown
        );
    }
    for (code, t) in &per_language {
        println!(
            "| **all {code}** | {code} | {} | {} | **{:.2} %** | {} |",
            t.texts,
            t.correct,
            pct(t),
            t.unknown
        );
    }
    println!("\nMost frequent confusions (expected → detected: count):");
    let mut conf: Vec<_> = confusion.into_iter().collect();
    conf.sort_by_key(|c| std::cmp::Reverse(c.1));
    for ((e, d), n) in conf.iter().take(12) {
        println!("- {e} → {d}: {n}");
    }
    println!(
        "\n{total_texts} texts in {elapsed:.2} s ({:.0} texts/s, one thread, including model loading)",
        total_texts as f64 / elapsed
    );
    Ok(())
}
