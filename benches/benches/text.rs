//! Text-layer throughput: tokenization (MB/s), normalisation, stemming, language detection.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use socialcrm::Language;
use socialcrm::text::{Normalizer, Stemmer, TokenKind, detect_language, tokenize};
use socialcrm_benches::{social_corpus, social_posts};

fn tokenizer(c: &mut Criterion) {
    let corpus = social_corpus(1 << 20);
    let ascii: String = corpus
        .split(' ')
        .filter(|w| w.is_ascii())
        .collect::<Vec<_>>()
        .join(" ");
    let mut group = c.benchmark_group("tokenize");
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.bench_function("social_1MiB", |b| {
        b.iter(|| tokenize(black_box(&corpus)).count())
    });
    group.throughput(Throughput::Bytes(ascii.len() as u64));
    group.bench_function("social_ascii_only", |b| {
        b.iter(|| tokenize(black_box(&ascii)).count())
    });
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.bench_function("social_1MiB_normalized", |b| {
        b.iter(|| {
            tokenize(black_box(&corpus))
                .map(|t| t.normalized().len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn normalizer(c: &mut Criterion) {
    let corpus = social_corpus(1 << 18);
    let mut group = c.benchmark_group("normalize");
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.bench_function("nfkc_casefold_256KiB", |b| {
        b.iter(|| Normalizer::default().apply(black_box(&corpus)))
    });
    group.bench_function("matching_key_256KiB", |b| {
        b.iter(|| Normalizer::MATCHING_KEY.apply(black_box(&corpus)))
    });
    group.finish();
}

fn stemmer(c: &mut Criterion) {
    let corpus = social_corpus(1 << 16);
    let words: Vec<String> = tokenize(&corpus)
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.normalized().into_owned())
        .collect();
    let german = Stemmer::new(Language::German);
    let mut group = c.benchmark_group("stem");
    group.throughput(Throughput::Elements(words.len() as u64));
    group.bench_function("german_words", |b| {
        b.iter(|| {
            words
                .iter()
                .map(|w| german.stem(black_box(w)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn language(c: &mut Criterion) {
    let posts = social_posts(200);
    let _ = detect_language("warm up: load the models once");
    let mut group = c.benchmark_group("detect_language");
    group.throughput(Throughput::Elements(posts.len() as u64));
    group.sample_size(20);
    group.bench_function("200_posts", |b| {
        b.iter(|| {
            posts
                .iter()
                .map(|p| detect_language(black_box(p)).confidence)
                .sum::<f64>()
        })
    });
    group.finish();
}

criterion_group!(benches, tokenizer, normalizer, stemmer, language);
criterion_main!(benches);
