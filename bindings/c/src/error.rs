//! Error detail: the `scrm_error` object written through the optional `err_out` argument.

use std::collections::TryReserveError;
use std::ffi::{CString, c_char};

use crate::guard::ffi_guard_value;
use crate::status::{
    SCRM_STATUS_INVALID_ARGUMENT, SCRM_STATUS_INVALID_UTF8, SCRM_STATUS_NULL_POINTER,
    SCRM_STATUS_OUT_OF_MEMORY, SCRM_STATUS_PANIC, scrm_status, status_of,
};

/// What went wrong in a failed call: a status code and a human-readable message.
///
/// Created by the library and handed to the caller through the `err_out` argument of a
/// failed call; the caller owns it and must release it with `scrm_error_free`. It is
/// immutable, so it may be read from any thread, and freed from any thread (once).
///
/// Each call creates its own error object (there is no thread-local "last error"), so a
/// caller whose runtime moves between threads still gets the message of its own call.
pub struct scrm_error {
    status: scrm_status,
    message: CString,
}

/// An error on its way to the C caller: the status and the message of a `scrm_error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FfiError {
    pub(crate) status: scrm_status,
    pub(crate) message: String,
}

impl FfiError {
    pub(crate) fn new(status: scrm_status, message: impl Into<String>) -> FfiError {
        FfiError {
            status,
            message: message.into(),
        }
    }

    /// A required pointer argument was NULL.
    pub(crate) fn null(argument: &str) -> FfiError {
        FfiError::new(
            SCRM_STATUS_NULL_POINTER,
            format!("argument `{argument}` is NULL"),
        )
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> FfiError {
        FfiError::new(SCRM_STATUS_INVALID_ARGUMENT, message)
    }

    /// A string argument is not UTF-8; `valid_up_to` is the offset of the first bad byte.
    pub(crate) fn invalid_utf8(argument: &str, valid_up_to: usize) -> FfiError {
        let core = socialcrm_core::Error::InvalidUtf8 { valid_up_to };
        FfiError::new(
            SCRM_STATUS_INVALID_UTF8,
            format!("argument `{argument}`: {core}"),
        )
    }

    /// A caught panic, with the panic's message.
    pub(crate) fn panic(message: &str) -> FfiError {
        FfiError::new(
            SCRM_STATUS_PANIC,
            format!("panic in libsocialcrm (this is a bug, please report it): {message}"),
        )
    }
}

impl From<socialcrm_core::Error> for FfiError {
    fn from(error: socialcrm_core::Error) -> FfiError {
        FfiError::new(status_of(&error), error.to_string())
    }
}

impl From<TryReserveError> for FfiError {
    fn from(error: TryReserveError) -> FfiError {
        FfiError::new(SCRM_STATUS_OUT_OF_MEMORY, error.to_string())
    }
}

impl scrm_error {
    fn from_ffi(error: FfiError) -> scrm_error {
        // A message is plain text and should never contain NUL, but it may quote the caller's
        // input (an id, a language code), which can; C would cut the message there.
        let text = if error.message.contains('\0') {
            error.message.replace('\0', "\\0")
        } else {
            error.message
        };
        let message = CString::new(text).unwrap_or_default();
        scrm_error {
            status: error.status,
            message,
        }
    }
}

/// Hands `error` to the caller through `err_out`, or drops it when `err_out` is NULL.
///
/// # Safety
///
/// `err_out` is NULL or valid for writing one pointer.
pub(crate) unsafe fn report(err_out: *mut *mut scrm_error, error: FfiError) {
    if err_out.is_null() {
        return;
    }
    let boxed = Box::into_raw(Box::new(scrm_error::from_ffi(error)));
    // SAFETY: err_out is not NULL and, by this function's contract, valid for writes.
    unsafe { err_out.write(boxed) };
}

/// The message of `err`: NUL-terminated UTF-8 text naming what was wrong (the argument, the
/// byte offset, the unknown code, ...), suitable for showing to a user as it is.
///
/// The string is owned by `err` and valid until `scrm_error_free(err)`; do not free it.
/// Returns a static empty string if `err` is NULL. Thread-safe.
///
/// # Safety
///
/// `err` is NULL or a live `scrm_error` from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_error_message(err: *const scrm_error) -> *const c_char {
    ffi_guard_value(c"".as_ptr(), || {
        // SAFETY: err is NULL or a live scrm_error (this function's contract); as_ref checks
        // for NULL.
        match unsafe { err.as_ref() } {
            Some(err) => err.message.as_ptr(),
            None => c"".as_ptr(),
        }
    })
}

/// The status code of `err` (never `SCRM_STATUS_OK`): the same value the failed call returned.
/// Returns `SCRM_STATUS_NULL_POINTER` if `err` is NULL. Thread-safe.
///
/// # Safety
///
/// `err` is NULL or a live `scrm_error` from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_error_status(err: *const scrm_error) -> scrm_status {
    ffi_guard_value(SCRM_STATUS_NULL_POINTER, || {
        // SAFETY: err is NULL or a live scrm_error (this function's contract); as_ref checks
        // for NULL.
        match unsafe { err.as_ref() } {
            Some(err) => err.status,
            None => SCRM_STATUS_NULL_POINTER,
        }
    })
}

/// Frees an error received through an `err_out` argument. Accepts NULL (does nothing).
/// After this call `err` and its message are dangling.
///
/// # Safety
///
/// `err` is NULL or a `scrm_error` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_error_free(err: *mut scrm_error) {
    ffi_guard_value((), || {
        if !err.is_null() {
            // SAFETY: err came from Box::into_raw in `report` and is freed only once (this
            // function's contract).
            drop(unsafe { Box::from_raw(err) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr;

    /// Reports `error` into a fresh out-pointer and returns what C would see.
    fn round_trip(error: FfiError) -> (scrm_status, String) {
        let mut err: *mut scrm_error = ptr::null_mut();
        // SAFETY: &mut err is valid for writes; err is then a live error until freed below.
        unsafe {
            report(&mut err, error);
            assert!(!err.is_null());
            let status = scrm_error_status(err);
            let message = CStr::from_ptr(scrm_error_message(err))
                .to_str()
                .unwrap()
                .to_owned();
            scrm_error_free(err);
            (status, message)
        }
    }

    #[test]
    fn messages_reach_c_intact() {
        let (status, message) = round_trip(FfiError::invalid_utf8("text", 7));
        assert_eq!(status, SCRM_STATUS_INVALID_UTF8);
        assert_eq!(message, "argument `text`: invalid UTF-8 at byte 7");
    }

    #[test]
    fn core_errors_keep_their_message() {
        let core = socialcrm_core::Language::from_code("xx").unwrap_err();
        let expected = core.to_string();
        let (status, message) = round_trip(core.into());
        assert_eq!(status, crate::status::SCRM_STATUS_UNKNOWN_LANGUAGE);
        assert_eq!(message, expected);
    }

    #[test]
    fn interior_nul_is_escaped_not_truncated() {
        let (_, message) = round_trip(FfiError::invalid_argument("a\0b"));
        assert_eq!(message, "a\\0b");
    }

    #[test]
    fn null_error_pointer_is_harmless() {
        // SAFETY: NULL is allowed for all three.
        unsafe {
            report(ptr::null_mut(), FfiError::null("x"));
            assert_eq!(scrm_error_status(ptr::null()), SCRM_STATUS_NULL_POINTER);
            assert_eq!(CStr::from_ptr(scrm_error_message(ptr::null())), c"");
            scrm_error_free(ptr::null_mut());
        }
    }
}
