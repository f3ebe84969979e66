//! Status codes: what every fallible function returns.

use std::ffi::{CStr, c_char};

use socialcrm_core::Error;

use crate::guard::ffi_guard_value;

/// The result of a fallible call: `SCRM_STATUS_OK` (0) on success, one of the other
/// `SCRM_STATUS_*` codes on failure.
///
/// The numeric values are part of the ABI: each is explicit and is never reused or renumbered;
/// new codes may be added in later releases, so a `switch` over a status needs a `default:`
/// branch. `scrm_status_str` names a code; the `scrm_error` written through `err_out` says
/// what exactly went wrong.
pub type scrm_status = u32;

/// Success.
pub const SCRM_STATUS_OK: scrm_status = 0;
/// A pointer argument that must not be NULL was NULL (a string pointer with a non-zero
/// length, an object, or an out-parameter).
pub const SCRM_STATUS_NULL_POINTER: scrm_status = 1;
/// A string argument is not valid UTF-8; the error message gives the byte offset of the first
/// invalid byte.
pub const SCRM_STATUS_INVALID_UTF8: scrm_status = 2;
/// An argument has a value the function cannot work with (an index out of range, an unknown
/// enum value, a NaN, ...).
pub const SCRM_STATUS_INVALID_ARGUMENT: scrm_status = 3;
/// A language code that socialcrm does not know.
pub const SCRM_STATUS_UNKNOWN_LANGUAGE: scrm_status = 4;
/// Two records in one input share an id.
pub const SCRM_STATUS_DUPLICATE_ID: scrm_status = 5;
/// A field kind name that socialcrm does not know.
pub const SCRM_STATUS_UNKNOWN_FIELD_KIND: scrm_status = 6;
/// The operation needs the consent of a person who has not given it (or withdrew it).
pub const SCRM_STATUS_CONSENT_REQUIRED: scrm_status = 7;
/// A saved model could not be loaded: corrupt, truncated, or written by a newer version.
pub const SCRM_STATUS_MODEL: scrm_status = 8;
/// A model was used before it was fitted, or with data it was not fitted for.
pub const SCRM_STATUS_NOT_FITTED: scrm_status = 9;
/// An id that the operation needs is not known.
pub const SCRM_STATUS_UNKNOWN_ID: scrm_status = 10;
/// Reading or writing a file failed.
pub const SCRM_STATUS_IO: scrm_status = 11;
/// The library could not allocate memory for a result. Reported where the library can
/// detect it (the buffers whose size depends on the input, such as a token list); a failed
/// small allocation elsewhere aborts the process, as Rust's allocator does.
pub const SCRM_STATUS_OUT_OF_MEMORY: scrm_status = 12;
/// A bug: the library panicked. The panic was caught at the C boundary (it never unwinds
/// into the caller) and its message is in the error. Objects passed to the failed call are
/// unchanged and may still be used and freed (one exception: a `scrm_match_index` whose change
/// panicked refuses further use and can only be freed). Please report it.
pub const SCRM_STATUS_PANIC: scrm_status = 13;
/// An error of a kind this version of the C binding does not know how to classify; the
/// message says what happened.
pub const SCRM_STATUS_INTERNAL: scrm_status = 14;

/// Every status with its name, for `scrm_status_str` and the tests.
pub(crate) const STATUS_NAMES: [(scrm_status, &CStr); 15] = [
    (SCRM_STATUS_OK, c"SCRM_STATUS_OK"),
    (SCRM_STATUS_NULL_POINTER, c"SCRM_STATUS_NULL_POINTER"),
    (SCRM_STATUS_INVALID_UTF8, c"SCRM_STATUS_INVALID_UTF8"),
    (
        SCRM_STATUS_INVALID_ARGUMENT,
        c"SCRM_STATUS_INVALID_ARGUMENT",
    ),
    (
        SCRM_STATUS_UNKNOWN_LANGUAGE,
        c"SCRM_STATUS_UNKNOWN_LANGUAGE",
    ),
    (SCRM_STATUS_DUPLICATE_ID, c"SCRM_STATUS_DUPLICATE_ID"),
    (
        SCRM_STATUS_UNKNOWN_FIELD_KIND,
        c"SCRM_STATUS_UNKNOWN_FIELD_KIND",
    ),
    (
        SCRM_STATUS_CONSENT_REQUIRED,
        c"SCRM_STATUS_CONSENT_REQUIRED",
    ),
    (SCRM_STATUS_MODEL, c"SCRM_STATUS_MODEL"),
    (SCRM_STATUS_NOT_FITTED, c"SCRM_STATUS_NOT_FITTED"),
    (SCRM_STATUS_UNKNOWN_ID, c"SCRM_STATUS_UNKNOWN_ID"),
    (SCRM_STATUS_IO, c"SCRM_STATUS_IO"),
    (SCRM_STATUS_OUT_OF_MEMORY, c"SCRM_STATUS_OUT_OF_MEMORY"),
    (SCRM_STATUS_PANIC, c"SCRM_STATUS_PANIC"),
    (SCRM_STATUS_INTERNAL, c"SCRM_STATUS_INTERNAL"),
];

/// The status code for an error of the core library.
///
/// `Error` is `#[non_exhaustive]`: a variant added to the core before this binding learns of it
/// is reported as `SCRM_STATUS_INTERNAL`, with the core's message.
pub(crate) fn status_of(error: &Error) -> scrm_status {
    match error {
        Error::InvalidArgument(_) => SCRM_STATUS_INVALID_ARGUMENT,
        Error::InvalidUtf8 { .. } => SCRM_STATUS_INVALID_UTF8,
        Error::UnknownLanguage { .. } => SCRM_STATUS_UNKNOWN_LANGUAGE,
        Error::DuplicateId { .. } => SCRM_STATUS_DUPLICATE_ID,
        Error::UnknownFieldKind { .. } => SCRM_STATUS_UNKNOWN_FIELD_KIND,
        Error::ConsentRequired { .. } => SCRM_STATUS_CONSENT_REQUIRED,
        Error::Model(_) => SCRM_STATUS_MODEL,
        Error::NotFitted(_) => SCRM_STATUS_NOT_FITTED,
        Error::UnknownId(_) => SCRM_STATUS_UNKNOWN_ID,
        Error::Io(_) => SCRM_STATUS_IO,
        _ => SCRM_STATUS_INTERNAL,
    }
}

/// The name of a status code as a static, NUL-terminated string: `"SCRM_STATUS_OK"`,
/// `"SCRM_STATUS_INVALID_UTF8"`, ... (the name of its constant in this header), or
/// `"unknown status"` for a value that is not a status code.
///
/// The string is static: never free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn scrm_status_str(status: scrm_status) -> *const c_char {
    ffi_guard_value(c"unknown status".as_ptr(), || {
        STATUS_NAMES
            .iter()
            .find(|(code, _)| *code == status)
            .map_or(c"unknown status", |(_, name)| name)
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_dense() {
        for (i, (code, name)) in STATUS_NAMES.iter().enumerate() {
            assert_eq!(*code as usize, i, "{name:?}");
        }
    }

    #[test]
    fn names_match_codes() {
        let name = |s| {
            // SAFETY: scrm_status_str returns static NUL-terminated strings.
            let name = unsafe { CStr::from_ptr(scrm_status_str(s)) };
            name.to_str().unwrap()
        };
        assert_eq!(name(SCRM_STATUS_OK), "SCRM_STATUS_OK");
        assert_eq!(name(SCRM_STATUS_INVALID_UTF8), "SCRM_STATUS_INVALID_UTF8");
        assert_eq!(name(SCRM_STATUS_INTERNAL), "SCRM_STATUS_INTERNAL");
        assert_eq!(name(15), "unknown status");
        assert_eq!(name(u32::MAX), "unknown status");
    }

    #[test]
    fn every_core_error_has_its_own_status() {
        let errors = [
            (
                Error::InvalidArgument("x".into()),
                SCRM_STATUS_INVALID_ARGUMENT,
            ),
            (
                Error::InvalidUtf8 { valid_up_to: 3 },
                SCRM_STATUS_INVALID_UTF8,
            ),
            (
                Error::UnknownLanguage {
                    code: "xx".into(),
                    expected: "en".into(),
                },
                SCRM_STATUS_UNKNOWN_LANGUAGE,
            ),
            (
                Error::DuplicateId {
                    id: "a".into(),
                    table: "t".into(),
                },
                SCRM_STATUS_DUPLICATE_ID,
            ),
            (
                Error::UnknownFieldKind {
                    kind: "k".into(),
                    expected: "name".into(),
                },
                SCRM_STATUS_UNKNOWN_FIELD_KIND,
            ),
            (
                Error::ConsentRequired {
                    contact_id: "c".into(),
                    purpose: "p".into(),
                },
                SCRM_STATUS_CONSENT_REQUIRED,
            ),
            (Error::Model("m".into()), SCRM_STATUS_MODEL),
            (Error::NotFitted("n".into()), SCRM_STATUS_NOT_FITTED),
            (Error::UnknownId("u".into()), SCRM_STATUS_UNKNOWN_ID),
            (Error::Io(std::io::Error::other("disk")), SCRM_STATUS_IO),
        ];
        for (error, status) in &errors {
            assert_eq!(status_of(error), *status, "{error:?}");
        }
    }
}
