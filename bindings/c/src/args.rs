//! Checking the arguments that arrive from C.

use std::ffi::c_char;
use std::ptr::NonNull;

use crate::error::FfiError;

/// Borrows the UTF-8 string `(ptr, len)` for the duration of a call.
///
/// NULL with `len == 0` is the empty string; NULL with `len > 0` is
/// `SCRM_STATUS_NULL_POINTER`; bytes that are not UTF-8 are `SCRM_STATUS_INVALID_UTF8` with the
/// byte offset of the first bad byte in the message. `name` is the argument's name in the
/// header, for messages.
///
/// # Safety
///
/// If `ptr` is not NULL it points to `len` readable bytes that are not written to while the
/// returned reference lives. The caller must not let the reference outlive the C call.
pub(crate) unsafe fn str_arg<'a>(
    ptr: *const c_char,
    len: usize,
    name: &str,
) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        return if len == 0 {
            Ok("")
        } else {
            Err(FfiError::new(
                crate::status::SCRM_STATUS_NULL_POINTER,
                format!("argument `{name}` is NULL but its length is {len}"),
            ))
        };
    }
    if len > isize::MAX as usize {
        return Err(FfiError::invalid_argument(format!(
            "argument `{name}`: length {len} is larger than any object can be"
        )));
    }
    // SAFETY: ptr is not NULL, points to len readable bytes that stay unchanged while the
    // slice lives (this function's contract), and len <= isize::MAX was checked above.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| FfiError::invalid_utf8(name, e.valid_up_to()))
}

/// Checks that an out-parameter is not NULL.
pub(crate) fn out_arg<T>(ptr: *mut T, name: &str) -> Result<NonNull<T>, FfiError> {
    NonNull::new(ptr).ok_or_else(|| FfiError::null(name))
}

/// Borrows the object behind a handle for the duration of a call.
///
/// # Safety
///
/// `ptr` is NULL or points to a live `T` that is not mutated while the reference lives; the
/// caller must not let the reference outlive the C call.
pub(crate) unsafe fn ref_arg<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, FfiError> {
    // SAFETY: ptr is NULL (as_ref checks) or points to a live, unaliased-for-writes T (this
    // function's contract).
    unsafe { ptr.as_ref() }.ok_or_else(|| FfiError::null(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{SCRM_STATUS_INVALID_UTF8, SCRM_STATUS_NULL_POINTER};
    use std::ptr;

    #[test]
    fn strings() {
        let ok = "grüß";
        // SAFETY: the pointers and lengths describe live buffers (or NULL).
        unsafe {
            assert_eq!(str_arg(ok.as_ptr().cast(), ok.len(), "t"), Ok("grüß"));
            assert_eq!(str_arg(ptr::null(), 0, "t"), Ok(""));
            let err = str_arg(ptr::null(), 3, "text").unwrap_err();
            assert_eq!(err.status, SCRM_STATUS_NULL_POINTER);
            assert!(err.message.contains("`text`"), "{}", err.message);
            let bad = [b'o', b'k', 0xc3, b'(', b'x'];
            let err = str_arg(bad.as_ptr().cast(), bad.len(), "text").unwrap_err();
            assert_eq!(err.status, SCRM_STATUS_INVALID_UTF8);
            assert_eq!(err.message, "argument `text`: invalid UTF-8 at byte 2");
            // a truncated multi-byte character at the end
            let cut = &"ü".as_bytes()[..1];
            let err = str_arg(cut.as_ptr().cast(), 1, "text").unwrap_err();
            assert!(err.message.ends_with("at byte 0"), "{}", err.message);
        }
    }

    #[test]
    fn out_and_ref_args() {
        assert!(out_arg(ptr::null_mut::<u8>(), "out").is_err());
        let mut x = 5_u8;
        assert!(out_arg(&mut x, "out").is_ok());
        // SAFETY: NULL and a live reference.
        unsafe {
            assert_eq!(
                ref_arg(ptr::null::<u8>(), "list").unwrap_err().message,
                "argument `list` is NULL"
            );
            assert_eq!(ref_arg(&x, "list"), Ok(&5));
        }
    }
}
