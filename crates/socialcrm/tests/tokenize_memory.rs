//! A 100 MB text is tokenized in constant extra memory: the token iterator allocates nothing.
//!
//! This is its own test binary because it installs a counting global allocator.

use socialcrm::text::{TokenKind, tokenize};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
fn hundred_megabytes_without_allocating() {
    let post = "@DB_Bahn #KundenserviceFail schon wieder 😡👍🏽 https://bahn.de/x?y=1 soooo spät!!! :-) \
                jan@example.nl 3,50€ Kündigung 🇳🇱\n";
    let text = post.repeat(100 * 1024 * 1024 / post.len() + 1);
    assert!(text.len() >= 100 * 1024 * 1024);

    let region = Region::new(GLOBAL);
    let mut tokens = 0usize;
    let mut hashtag_parts = 0usize;
    let mut covered = 0usize;
    for token in tokenize(&text) {
        tokens += 1;
        covered += token.text.len();
        if token.kind == TokenKind::Hashtag {
            hashtag_parts += token.parts().count();
        }
    }
    let stats = region.change();

    let repeats = text.len() / post.len();
    assert_eq!(tokens, repeats * tokenize(post).count());
    assert_eq!(hashtag_parts, repeats * 2);
    assert_eq!(
        covered,
        text.len() - text.chars().filter(|c| c.is_whitespace()).count()
    );
    assert_eq!(
        stats.bytes_allocated, 0,
        "tokenizing allocated {} bytes in {} allocations",
        stats.bytes_allocated, stats.allocations
    );
}
