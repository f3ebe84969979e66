//! Library and ABI versions.

use std::ffi::{CStr, c_char};

use crate::guard::ffi_guard_value;

/// Major version of the library (semantic versioning), as in `scrm_version()`.
pub const SCRM_VERSION_MAJOR: u32 = 0;
/// Minor version of the library (semantic versioning), as in `scrm_version()`.
pub const SCRM_VERSION_MINOR: u32 = 1;
/// Patch version of the library (semantic versioning), as in `scrm_version()`.
pub const SCRM_VERSION_PATCH: u32 = 0;

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the package version contains a NUL byte"),
    };

/// The version of the library that is running, as a static NUL-terminated string such as
/// `"0.1.0"`. Compare it with `SCRM_VERSION_MAJOR/MINOR/PATCH` (the version of the header the
/// program was compiled with) to detect a mismatch at run time.
///
/// The string is static: never free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn scrm_version() -> *const c_char {
    ffi_guard_value(VERSION.as_ptr(), || VERSION.as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::SCRM_ABI_VERSION;

    fn cargo(var: &str) -> u32 {
        match var {
            "MAJOR" => env!("CARGO_PKG_VERSION_MAJOR"),
            "MINOR" => env!("CARGO_PKG_VERSION_MINOR"),
            _ => env!("CARGO_PKG_VERSION_PATCH"),
        }
        .parse()
        .unwrap()
    }

    #[test]
    fn constants_match_cargo_toml() {
        assert_eq!(SCRM_VERSION_MAJOR, cargo("MAJOR"));
        assert_eq!(SCRM_VERSION_MINOR, cargo("MINOR"));
        assert_eq!(SCRM_VERSION_PATCH, cargo("PATCH"));
        // SAFETY: scrm_version returns a static NUL-terminated string.
        let running = unsafe { CStr::from_ptr(scrm_version()) };
        assert_eq!(running.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
        assert_eq!(
            running.to_str().unwrap(),
            format!("{SCRM_VERSION_MAJOR}.{SCRM_VERSION_MINOR}.{SCRM_VERSION_PATCH}")
        );
    }

    #[test]
    fn build_rs_sets_the_soname_from_the_abi_version() {
        let build_rs = include_str!("../build.rs");
        let code: String = build_rs
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            code.contains(r#"include!("src/abi.rs");"#),
            "build.rs must take SCRM_ABI_VERSION from src/abi.rs"
        );
        assert!(
            code.contains("-Wl,-soname,libsocialcrm.so.{SCRM_ABI_VERSION}"),
            "build.rs must set the SONAME libsocialcrm.so.{{SCRM_ABI_VERSION}}"
        );
        const { assert!(SCRM_ABI_VERSION >= 1) };
        // The SONAME of the built library itself is checked with readelf by scripts/test-c.sh.
    }
}
