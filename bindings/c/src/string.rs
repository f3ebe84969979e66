//! Strings across the boundary: `scrm_str`, a borrowed `(pointer, length)` string in arrays and
//! structs that the caller passes in, and `scrm_string`, a string the library returns and the
//! caller frees.

use std::ffi::c_char;
use std::ptr;

use crate::error::FfiError;
use crate::guard::ffi_guard_value;

/// A borrowed UTF-8 string passed *in* by the caller as a member of an array or struct (field
/// names, the values of a record, the members of a `scrm_contact`): `len` bytes at `ptr`, not
/// necessarily NUL-terminated, validated as UTF-8 by the function that receives it. The library
/// never keeps the pointer: it copies what it needs before the call returns.
///
/// `ptr == NULL` (with `len == 0`) means *missing*: a value that is not known, which is no
/// evidence either way when matching. `ptr == NULL` with `len > 0` is an error
/// (`SCRM_STATUS_NULL_POINTER`). Where a value is required (an id, a field name) a NULL `ptr`
/// is an error too. An empty or whitespace-only value (`ptr != NULL`) counts as missing when
/// matching.
///
/// A zero-initialised `scrm_str` is a missing value, so `memset(&x, 0, sizeof x)` or
/// `{0}` leaves every string of a struct missing.
///
/// ```c
/// scrm_str name = {"Müller", strlen("Müller")};
/// scrm_str unknown = {NULL, 0};
/// ```
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct scrm_str {
    /// The first byte, or NULL for a missing value.
    pub ptr: *const c_char,
    /// The length in bytes (not counting any NUL terminator); 0 when `ptr` is NULL.
    pub len: usize,
}

impl scrm_str {
    /// A missing value.
    #[cfg(test)]
    pub(crate) const MISSING: scrm_str = scrm_str {
        ptr: ptr::null(),
        len: 0,
    };

    /// A view of `s`, for tests.
    #[cfg(test)]
    pub(crate) fn of(s: &str) -> scrm_str {
        scrm_str {
            ptr: s.as_ptr().cast(),
            len: s.len(),
        }
    }
}

/// A UTF-8 string produced by the library (the result of `scrm_normalize`, `scrm_stem`,
/// `scrm_matcher_to_json`, `scrm_matcher_explain`, ...).
///
/// The caller owns it and frees it with `scrm_string_free`. Read it with `scrm_string_ptr`
/// and `scrm_string_len`. It is immutable: safe to read from many threads at once.
pub struct scrm_string {
    /// The UTF-8 bytes followed by one NUL byte.
    bytes: Vec<u8>,
}

impl scrm_string {
    /// Wraps `s`, adding the terminating NUL.
    pub(crate) fn new(s: String) -> Result<scrm_string, FfiError> {
        let mut bytes = s.into_bytes();
        bytes.try_reserve_exact(1)?;
        bytes.push(0);
        Ok(scrm_string { bytes })
    }

    /// The string without its terminating NUL.
    #[cfg(test)]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() - 1]
    }
}

/// The bytes of `s`: UTF-8, followed by a NUL byte so that the pointer can be used as a C
/// string. The text itself may contain NUL bytes if the input did (U+0000 is valid UTF-8);
/// use `scrm_string_len` when that matters.
///
/// The pointer is owned by `s` and valid until `scrm_string_free(s)`. Returns NULL if `s` is
/// NULL. Thread-safe.
///
/// # Safety
///
/// `s` is NULL or a live `scrm_string` from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_string_ptr(s: *const scrm_string) -> *const c_char {
    ffi_guard_value(ptr::null(), || {
        // SAFETY: s is NULL or a live scrm_string (this function's contract).
        match unsafe { s.as_ref() } {
            Some(s) => s.bytes.as_ptr().cast(),
            None => ptr::null(),
        }
    })
}

/// The length of `s` in bytes, not counting the terminating NUL. Returns 0 if `s` is NULL.
/// Thread-safe.
///
/// # Safety
///
/// `s` is NULL or a live `scrm_string` from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_string_len(s: *const scrm_string) -> usize {
    ffi_guard_value(0, || {
        // SAFETY: s is NULL or a live scrm_string (this function's contract).
        match unsafe { s.as_ref() } {
            Some(s) => s.bytes.len() - 1,
            None => 0,
        }
    })
}

/// Frees a string returned by the library. Accepts NULL (does nothing). After this call the
/// pointer returned by `scrm_string_ptr(s)` is dangling.
///
/// # Safety
///
/// `s` is NULL or a `scrm_string` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_string_free(s: *mut scrm_string) {
    ffi_guard_value((), || {
        if !s.is_null() {
            // SAFETY: s came from Box::into_raw and is freed only once (this function's
            // contract).
            drop(unsafe { Box::from_raw(s) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn nul_terminated_and_sized() {
        let s = Box::into_raw(Box::new(scrm_string::new("müller".into()).unwrap()));
        // SAFETY: s is live until freed at the end; NULL is allowed everywhere.
        unsafe {
            assert_eq!(scrm_string_len(s), "müller".len());
            assert_eq!(CStr::from_ptr(scrm_string_ptr(s)), c"müller");
            assert!(scrm_string_ptr(ptr::null()).is_null());
            assert_eq!(scrm_string_len(ptr::null()), 0);
            scrm_string_free(s);
            scrm_string_free(ptr::null_mut());
        }
    }

    #[test]
    fn empty_string_has_a_valid_pointer() {
        let s = scrm_string::new(String::new()).unwrap();
        assert_eq!(s.as_bytes(), b"");
        // SAFETY: &s is a live scrm_string.
        unsafe {
            assert_eq!(scrm_string_len(&s), 0);
            assert_eq!(*scrm_string_ptr(&s), 0);
        }
    }
}
