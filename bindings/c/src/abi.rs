// The ABI major version, in a file of its own because two builds read it: the library (which
// exports it as SCRM_ABI_VERSION in socialcrm.h) and build.rs (which `include!`s this file to
// set the SONAME `libsocialcrm.so.<SCRM_ABI_VERSION>`). One number, one place.
//
// Only plain `//` comments and outer doc comments may appear here: `include!` at the top level
// of build.rs does not accept inner (`//!`) doc comments.

/// The ABI major version of libsocialcrm; the shared library's SONAME is
/// `libsocialcrm.so.<SCRM_ABI_VERSION>`.
///
/// Within one ABI version changes are additive only: functions, constants and enum values are
/// added, never removed, renamed or renumbered, and the layout of the structs that the caller
/// allocates (`scrm_token`, `scrm_language_guess`, `scrm_str`, `scrm_link`,
/// `scrm_blocking_stats`, `scrm_cluster_member`, `scrm_assignment`, `scrm_contact`,
/// `scrm_profile`) never changes. A program built against this header runs against any later
/// library with the same `SCRM_ABI_VERSION`.
pub const SCRM_ABI_VERSION: u32 = 1;
