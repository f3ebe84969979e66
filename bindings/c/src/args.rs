//! Checking the arguments that arrive from C.

use std::ffi::c_char;
use std::ptr::NonNull;

use crate::error::FfiError;
use crate::string::scrm_str;

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
    // SAFETY: forwarded contract.
    unsafe { str_arg_lazy(ptr, len, || name.to_owned()) }
}

/// [`str_arg`] for arguments whose name is built only when it is needed for a message (the
/// members of arrays: `values[3]`), so that the common, valid case allocates nothing.
///
/// # Safety
///
/// As for [`str_arg`].
pub(crate) unsafe fn str_arg_lazy<'a>(
    ptr: *const c_char,
    len: usize,
    name: impl FnOnce() -> String,
) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        return if len == 0 {
            Ok("")
        } else {
            Err(FfiError::new(
                crate::status::SCRM_STATUS_NULL_POINTER,
                format!("argument `{}` is NULL but its length is {len}", name()),
            ))
        };
    }
    if len > isize::MAX as usize {
        return Err(FfiError::invalid_argument(format!(
            "argument `{}`: length {len} is larger than any object can be",
            name()
        )));
    }
    // SAFETY: ptr is not NULL, points to len readable bytes that stay unchanged while the
    // slice lives (this function's contract), and len <= isize::MAX was checked above.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| FfiError::invalid_utf8(&name(), e.valid_up_to()))
}

/// Borrows an optional string passed as a `scrm_str`: `None` when `ptr` is NULL (and `len` is
/// 0), otherwise as [`str_arg`].
///
/// # Safety
///
/// If `s.ptr` is not NULL it points to `s.len` readable bytes that are not written to while
/// the returned reference lives, which must not outlive the C call.
pub(crate) unsafe fn opt_str<'a>(
    s: scrm_str,
    name: impl FnOnce() -> String,
) -> Result<Option<&'a str>, FfiError> {
    if s.ptr.is_null() && s.len == 0 {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { str_arg_lazy(s.ptr, s.len, name) }.map(Some)
}

/// Borrows a required string passed as a `scrm_str` (an id, a field name): a NULL `ptr` is
/// `SCRM_STATUS_NULL_POINTER`.
///
/// # Safety
///
/// As for [`opt_str`].
pub(crate) unsafe fn req_str<'a>(
    s: scrm_str,
    name: impl Fn() -> String,
) -> Result<&'a str, FfiError> {
    // SAFETY: forwarded contract.
    match unsafe { opt_str(s, &name) }? {
        Some(s) => Ok(s),
        None => Err(FfiError::null(&name())),
    }
}

/// Borrows the array `(ptr, len)` for the duration of a call. NULL is the empty array when
/// `len` is 0 and `SCRM_STATUS_NULL_POINTER` otherwise.
///
/// # Safety
///
/// If `ptr` is not NULL it points to `len` initialised, properly aligned `T`s that are not
/// written to while the returned slice lives, which must not outlive the C call.
pub(crate) unsafe fn slice_arg<'a, T>(
    ptr: *const T,
    len: usize,
    name: &str,
) -> Result<&'a [T], FfiError> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(FfiError::new(
                crate::status::SCRM_STATUS_NULL_POINTER,
                format!("argument `{name}` is NULL but its length is {len}"),
            ))
        };
    }
    if len
        .checked_mul(size_of::<T>().max(1))
        .is_none_or(|n| n > isize::MAX as usize)
    {
        return Err(FfiError::invalid_argument(format!(
            "argument `{name}`: length {len} is larger than any array can be"
        )));
    }
    // SAFETY: ptr is not NULL and points to len initialised, aligned Ts that stay unchanged
    // while the slice lives (this function's contract); the size fits in isize (checked).
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
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

/// Borrows the object behind a handle mutably for the duration of a call.
///
/// # Safety
///
/// `ptr` is NULL or points to a live `T` that nothing else reads or writes while the reference
/// lives; the caller must not let the reference outlive the C call.
pub(crate) unsafe fn mut_arg<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, FfiError> {
    // SAFETY: ptr is NULL (as_mut checks) or points to a live T with no other access while
    // the reference lives (this function's contract).
    unsafe { ptr.as_mut() }.ok_or_else(|| FfiError::null(name))
}

/// Hands a new library object to the caller: boxes `value` and writes the pointer to `out`.
///
/// # Safety
///
/// `out` is valid for writing one pointer.
pub(crate) unsafe fn write_boxed<T>(out: NonNull<*mut T>, value: T) {
    // SAFETY: out is valid for writes (this function's contract).
    unsafe { out.write(Box::into_raw(Box::new(value))) };
}

/// Frees an object that `write_boxed` handed out. NULL does nothing.
///
/// # Safety
///
/// `ptr` is NULL or came from `write_boxed` (a `Box<T>`) and has not been freed yet.
pub(crate) unsafe fn free_boxed<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: ptr came from Box::into_raw and is freed only once (this function's
        // contract).
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Writes a borrowed view of `s` to a `(pointer, length)` pair of out-parameters.
///
/// # Safety
///
/// Both pointers are valid for writes.
pub(crate) unsafe fn write_view(s: &str, ptr_out: NonNull<*const c_char>, len_out: NonNull<usize>) {
    // SAFETY: both are valid for writes (this function's contract).
    unsafe {
        ptr_out.write(s.as_ptr().cast());
        len_out.write(s.len());
    }
}

/// A `(pointer, length)` view of an optional string for a result struct: NULL and 0 when
/// missing.
pub(crate) fn view_parts(s: Option<&str>) -> (*const c_char, usize) {
    match s {
        Some(s) => (s.as_ptr().cast(), s.len()),
        None => (std::ptr::null(), 0),
    }
}

/// Looks up entry `index` of a result list, with the message every accessor gives.
pub(crate) fn item<'a, T>(items: &'a [T], index: usize, what: &str) -> Result<&'a T, FfiError> {
    items.get(index).ok_or_else(|| {
        FfiError::invalid_argument(format!(
            "argument `index`: {index} is out of range, there are {} {what}",
            items.len()
        ))
    })
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
    fn scrm_str_members() {
        let name = || "values[1]".to_owned();
        // SAFETY: the views describe live buffers or are NULL.
        unsafe {
            assert_eq!(opt_str(scrm_str::MISSING, name), Ok(None));
            assert_eq!(opt_str(scrm_str::of("x"), name), Ok(Some("x")));
            assert_eq!(opt_str(scrm_str::of(""), name), Ok(Some("")));
            let err = req_str(scrm_str::MISSING, name).unwrap_err();
            assert_eq!(err.status, SCRM_STATUS_NULL_POINTER);
            assert_eq!(err.message, "argument `values[1]` is NULL");
            let dangling = scrm_str {
                ptr: ptr::null(),
                len: 2,
            };
            let err = opt_str(dangling, name).unwrap_err();
            assert_eq!(
                err.message,
                "argument `values[1]` is NULL but its length is 2"
            );
            let bad = [b'a', 0xff];
            let bad = scrm_str {
                ptr: bad.as_ptr().cast(),
                len: 2,
            };
            let err = opt_str(bad, name).unwrap_err();
            assert_eq!(err.status, SCRM_STATUS_INVALID_UTF8);
            assert_eq!(err.message, "argument `values[1]`: invalid UTF-8 at byte 1");
        }
    }

    #[test]
    fn arrays() {
        let xs = [1_u32, 2, 3];
        // SAFETY: a live array, NULL, and NULL with a length (not dereferenced).
        unsafe {
            assert_eq!(slice_arg(xs.as_ptr(), 3, "xs"), Ok(&xs[..]));
            assert_eq!(slice_arg(ptr::null::<u32>(), 0, "xs"), Ok(&[][..]));
            let err = slice_arg(ptr::null::<u32>(), 2, "xs").unwrap_err();
            assert_eq!(err.status, SCRM_STATUS_NULL_POINTER);
            let err = slice_arg(xs.as_ptr(), usize::MAX / 2, "xs").unwrap_err();
            assert!(err.message.contains("larger than"), "{}", err.message);
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
