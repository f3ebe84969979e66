//! `include/socialcrm.h` and `include/socialcrm.symbols` are what cbindgen renders from this
//! crate, byte for byte.
//!
//! A hand edit of the header, or an API change without re-rendering it, fails this test. To
//! accept a change, re-render both files and review the diff:
//!
//! ```sh
//! SCRM_BLESS=1 cargo test -p socialcrm-c --test header
//! ```
//!
//! The symbol list is derived from the rendered header here; `scripts/test-c.sh` compares it
//! with what the built `libsocialcrm.so` really exports (`nm -D`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn include_dir() -> PathBuf {
    crate_dir().join("../../include")
}

fn blessing() -> bool {
    std::env::var_os("SCRM_BLESS").is_some_and(|v| v == "1")
}

/// Renders the header with the pinned cbindgen. Reads only the crate's sources (no `cargo
/// metadata`, which would wait for the build lock that `cargo test` holds).
fn render_header() -> String {
    let config = cbindgen::Config::from_file(crate_dir().join("cbindgen.toml"))
        .expect("bindings/c/cbindgen.toml is valid");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir().join("src/lib.rs"))
        .generate()
        .expect("cbindgen renders the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("the header is UTF-8")
}

/// The functions declared in a header: the identifier before each `(` on a line that starts
/// a declaration (not a comment, not a preprocessor line).
fn declared_functions(header: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut in_comment = false;
    for line in header.lines() {
        let trimmed = line.trim_start();
        if in_comment {
            in_comment = !trimmed.contains("*/");
            continue;
        }
        if trimmed.starts_with("/*") {
            in_comment = !trimmed.contains("*/");
            continue;
        }
        if trimmed.starts_with('#') || trimmed.starts_with("//") || line.starts_with(' ') {
            continue;
        }
        if let Some(paren) = line.find('(') {
            let before = &line[..paren];
            let name: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if name.starts_with("scrm_") {
                names.insert(name);
            }
        }
    }
    names
}

/// Shows where two texts first differ, for the failure message.
fn first_difference(committed: &str, rendered: &str) -> String {
    for (i, (a, b)) in committed.lines().zip(rendered.lines()).enumerate() {
        if a != b {
            return format!(
                "line {}:\n  include/socialcrm.h: {a:?}\n  rendered:            {b:?}",
                i + 1
            );
        }
    }
    format!(
        "the files differ in length ({} vs {} lines) or line endings",
        committed.lines().count(),
        rendered.lines().count()
    )
}

#[test]
fn header_matches_the_sources() {
    let rendered = render_header();
    let path = include_dir().join("socialcrm.h");
    if blessing() {
        fs::write(&path, &rendered).expect("write include/socialcrm.h");
        return;
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "include/socialcrm.h is not what cbindgen renders from bindings/c; first difference at \
         {}\nIf the API change is intended, run `SCRM_BLESS=1 cargo test -p socialcrm-c --test \
         header` and review the diff. Never edit the header by hand.",
        first_difference(&committed, &rendered)
    );
}

#[test]
fn symbol_list_matches_the_header() {
    let declared = declared_functions(&render_header());
    assert!(
        declared.len() >= 10,
        "parsed too few functions: {declared:?}"
    );
    let path = include_dir().join("socialcrm.symbols");
    let expected: String = declared.iter().map(|name| format!("{name}\n")).collect();
    if blessing() {
        fs::write(&path, &expected).expect("write include/socialcrm.symbols");
        return;
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    let listed: BTreeSet<String> = committed.lines().map(str::to_owned).collect();
    let removed: Vec<_> = listed.difference(&declared).collect();
    let added: Vec<_> = declared.difference(&listed).collect();
    assert!(
        removed.is_empty() && added.is_empty(),
        "include/socialcrm.symbols disagrees with the header: removed from the API {removed:?} \
         (an ABI break: needs a new SCRM_ABI_VERSION), added {added:?}. Re-bless with \
         `SCRM_BLESS=1 cargo test -p socialcrm-c --test header`."
    );
    assert_eq!(
        committed, expected,
        "include/socialcrm.symbols must be sorted, one symbol per line"
    );
}
