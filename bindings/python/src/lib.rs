//! The `socialcrm._native` Python extension module.
//!
//! This crate only converts: Python objects to the core's types and back, core errors to the
//! exception hierarchy in [`errors`]. Every behaviour lives in the `socialcrm` crate, so Rust,
//! C and Python callers get the same answers. The pure-Python package `python/socialcrm`
//! re-exports everything defined here.
//!
//! Conventions:
//! - names are the Rust names (`tokenize`, `detect_language`, `Stemmer`, ...);
//! - batch functions take any iterable of `str` and release the GIL for the whole batch;
//! - bad values raise `SocialCrmError` subclasses that are also `ValueError`; wrong types
//!   raise `TypeError`;
//! - offsets are character (code point) offsets into the Python `str`.

mod convert;
mod errors;
mod identity;
mod text;
mod threads;

use pyo3::prelude::*;

/// The extension's Rust allocations use mimalloc: preparing records allocates millions of
/// small strings on worker threads and frees them elsewhere, which glibc's allocator handles
/// about half as fast (measured on FEBRL preparation). It only affects memory that Rust
/// allocates and frees inside this module. It is built without transparent huge pages
/// (`no_thp`): with them every fresh 2 MiB region is zeroed by the kernel on first touch, which
/// cost a fifth of a first FEBRL fit in a new process (0.19 s → 0.165 s median, 8 cold runs)
/// and did not speed up the 1M × 1M social link (119 s without, 125 s with).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The native part of the socialcrm package (import ``socialcrm`` instead).
#[pymodule(gil_used = false)]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    threads::init();
    m.add("__version__", socialcrm::VERSION)?;
    errors::register(m)?;
    text::register(m)?;
    identity::register(m)?;
    Ok(())
}
