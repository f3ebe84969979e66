//! Shared inputs for the criterion benchmarks in `benches/benches/`.
//!
//! The inputs are generated, not read from third-party data sets, so the benchmarks run on a
//! fresh clone and measure the same bytes every time.

/// A deterministic corpus of social posts in English, German and Dutch, about `bytes` long:
/// words, mentions, hashtags, URLs, e-mail addresses, emoji, emoticons, elongations and
/// punctuation in realistic proportions.
pub fn social_corpus(bytes: usize) -> String {
    const PIECES: [&str; 48] = [
        "@DB_Bahn",
        "#Verspätung",
        "schon",
        "wieder",
        "😡",
        "https://bahn.de/reise?id=42",
        "Der",
        "Zug",
        "ist",
        "45",
        "Minuten",
        "zu",
        "spät.",
        "@NS_online",
        "Trein",
        "is",
        "wéér",
        "te",
        "laat,",
        "echt",
        "balen!!!",
        "#vertraging",
        "Just",
        "got",
        "the",
        "new",
        "headphones",
        "and",
        "they",
        "are",
        "soooo",
        "good",
        "😍👍🏽",
        "#HappyCustomer",
        "mail",
        "me:",
        "jan.devries@example.nl",
        ":-)",
        "xD",
        "<3",
        "Kündigung",
        "bitte",
        "€3,50",
        "(50%)",
        "👨‍👩‍👧",
        "🇳🇱",
        "für’s",
        "—",
    ];
    let mut out = String::with_capacity(bytes + 64);
    // xorshift: deterministic, no dependency
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    while out.len() < bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        out.push(if state % 11 == 0 { '\n' } else { ' ' });
    }
    out
}

/// Short posts (one per line of [`social_corpus`]), for per-post benchmarks.
pub fn social_posts(count: usize) -> Vec<String> {
    social_corpus(count * 120)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(count)
        .map(str::to_owned)
        .collect()
}
