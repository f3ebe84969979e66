//! The C ABI of socialcrm (`libsocialcrm`): a thin, documented translation layer over the core
//! crate. The header `include/socialcrm.h` is generated from this crate by cbindgen (see
//! `tests/header.rs`); everything a C programmer needs to know is in the doc comments here,
//! which become the header's comments.
//!
//! Conventions, for every function:
//!
//! - Names are `scrm_<object>_<verb>`. Objects are opaque handles created by the library and
//!   released with the matching `scrm_*_free`, which accepts NULL.
//! - A fallible function returns a `scrm_status` (`SCRM_STATUS_OK` = 0 on success) and writes
//!   its results to out-parameters only on success. Its optional last argument
//!   `scrm_error **err_out` receives, on failure and if not NULL, a new `scrm_error` with the
//!   status and a message; free it with `scrm_error_free`. On success `*err_out` is left
//!   untouched: initialise it to NULL, and free a previous error before reusing the variable.
//! - Strings go in as `(const char *ptr, size_t len)` UTF-8, validated (NUL bytes are allowed
//!   and need no terminator); NULL is accepted when `len` is 0. In arrays and structs they are
//!   a `scrm_str`, where a NULL `ptr` is a missing value. Strings come out either as borrowed
//!   views into an object, valid until it is freed, or as a library-owned `scrm_string` that
//!   the caller frees.
//! - No panic crosses the boundary: every body runs inside the same guard, and a panic (a bug)
//!   becomes `SCRM_STATUS_PANIC` with the panic message in the error.
//! - Every function may be called from any thread. Functions that take an object as
//!   `const T *` only read it and may run concurrently; functions that take `T *` change it
//!   (filling a table, fitting a matcher, adding to a match index) and need exclusive access.
//!   The Rust types behind shared objects are `Send + Sync` (checked at compile time in the
//!   modules' tests).
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs, clippy::undocumented_unsafe_blocks)]
// The exported types carry their C names (`scrm_error`, `scrm_token`), as cbindgen emits them.
#![allow(non_camel_case_types)]

/// The ABI version (`SCRM_ABI_VERSION`), shared with build.rs.
pub mod abi;
mod args;
pub mod error;
mod guard;
pub mod status;
pub mod string;
pub mod text;
pub mod tokens;

// Identity matching, in the order a C programmer meets it: the header follows the order of
// the modules, so each is its own group (rustfmt sorts the modules within a group).
pub mod records;

pub mod matcher;

pub mod links;

pub mod index;

pub mod social;

pub mod compare;

mod config;
mod unique;
pub mod version;

#[cfg(test)]
mod boundary_tests;
