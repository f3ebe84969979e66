//! String similarity: `scrm_jaro_winkler`.

use std::ffi::c_char;

use socialcrm_core::identity::compare::jaro_winkler;

use crate::args::{out_arg, str_arg};
use crate::error::scrm_error;
use crate::guard::ffi_guard;
use crate::status::scrm_status;

/// The Jaro–Winkler similarity of two strings, in `0.0 ..= 1.0` (1.0 for equal strings): the
/// measure the matcher uses for names and free text (`"MARTHA"` vs `"MARHTA"` ≈ 0.961). The
/// strings are compared as given, character (Unicode scalar value) by character: no case
/// folding or other normalisation (use `scrm_normalize` first for that).
///
/// `a` and `b` are UTF-8 `(pointer, length)` pairs; NULL is accepted with length 0. On success
/// `*out` receives the similarity; on failure it is not written. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`out`, or a string NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// `a` and `b` are NULL or point to `a_len` / `b_len` readable bytes; `out` is NULL or valid
/// for writing one `double`; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_jaro_winkler(
    a: *const c_char,
    a_len: usize,
    b: *const c_char,
    b_len: usize,
    out: *mut f64,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: a and b are NULL or point to a_len / b_len readable bytes (this function's
        // contract); the borrows end with this call.
        let (a, b) = unsafe { (str_arg(a, a_len, "a")?, str_arg(b, b_len, "b")?) };
        let out = out_arg(out, "out")?;
        let similarity = jaro_winkler(a, b);
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { out.write(similarity) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{SCRM_STATUS_INVALID_UTF8, SCRM_STATUS_OK};
    use std::ptr;

    #[test]
    fn classic_pair() {
        let mut x = -1.0;
        // SAFETY: valid buffers and out-pointer.
        unsafe {
            assert_eq!(
                scrm_jaro_winkler(
                    c"MARTHA".as_ptr(),
                    6,
                    c"MARHTA".as_ptr(),
                    6,
                    &mut x,
                    ptr::null_mut()
                ),
                SCRM_STATUS_OK
            );
            assert!((x - 0.9611).abs() < 1e-3, "{x}");
            assert_eq!(
                scrm_jaro_winkler(
                    c"a\xff".as_ptr(),
                    2,
                    c"a".as_ptr(),
                    1,
                    &mut x,
                    ptr::null_mut()
                ),
                SCRM_STATUS_INVALID_UTF8
            );
        }
    }
}
