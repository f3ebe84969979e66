//! Sets the SONAME of the shared library so that loaders bind to the ABI major version.
//!
//! The version number is not written here: it comes from `src/abi.rs`, the same constant the
//! library exports as `SCRM_ABI_VERSION`, so the two cannot disagree (a unit test in
//! `src/version.rs` checks that this file keeps using it).

include!("src/abi.rs");

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/abi.rs");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsocialcrm.so.{SCRM_ABI_VERSION}");
}
