//! The panic boundary: every `extern "C"` function runs its body through one of the two
//! functions here, so that no panic ever unwinds into C (which is undefined behaviour).
//!
//! Both are thin adapters over [`catch_panic`], the one place where `catch_unwind` is called.
//! This only works with the default `panic = "unwind"` strategy; a build with
//! `panic = "abort"` aborts the process on a panic instead.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::{FfiError, report, scrm_error};
use crate::status::{SCRM_STATUS_OK, scrm_status};

/// Runs `f`, turning a panic into `Err` with the panic's message.
///
/// `AssertUnwindSafe` is sound here because nothing `f` touches is observed after a panic
/// except through values the library owns and drops: the C arguments are read-only or
/// out-parameters written only on success, and the shared language detector lives in a
/// `OnceLock`, which stays uninitialised if its initialiser panics.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(|| {
        #[cfg(test)]
        test_hook::maybe_panic();
        f()
    }))
    .map_err(|payload| panic_message(payload.as_ref()))
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_owned()
    }
}

/// The boundary for fallible functions: runs `body`, and returns `SCRM_STATUS_OK` if it
/// succeeded, or the error's status after handing the error (with the panic message, for a
/// panic) to the caller through `err_out`.
///
/// # Safety
///
/// `err_out` is NULL or valid for writing one pointer.
pub(crate) unsafe fn ffi_guard(
    err_out: *mut *mut scrm_error,
    body: impl FnOnce() -> Result<(), FfiError>,
) -> scrm_status {
    let error = match catch_panic(body) {
        Ok(Ok(())) => return SCRM_STATUS_OK,
        Ok(Err(error)) => error,
        Err(message) => FfiError::panic(&message),
    };
    let status = error.status;
    // Building the scrm_error allocates but cannot panic (report replaces interior NULs
    // before CString::new); allocation failure aborts rather than unwinds.
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { report(err_out, error) };
    status
}

/// The boundary for infallible accessors (lengths, names, frees): runs `body` and returns
/// its value, or `on_panic` if it panicked. These functions have no `err_out`; they do
/// nothing that is expected to fail, and a panic is reported as the neutral value that their
/// documentation gives for a NULL argument.
pub(crate) fn ffi_guard_value<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    catch_panic(body).unwrap_or(on_panic)
}

/// A test-only switch that makes [`catch_panic`] panic inside the boundary, before the body
/// runs. Calling an exported function with it on proves that the function's body runs
/// through the boundary: if it did not, the test would unwind instead of returning
/// `SCRM_STATUS_PANIC`. Thread-local so that tests running in parallel do not see it.
#[cfg(test)]
pub(crate) mod test_hook {
    use std::cell::Cell;

    thread_local! {
        static FORCE_PANIC: Cell<bool> = const { Cell::new(false) };
    }

    /// The message of the injected panic.
    pub(crate) const MESSAGE: &str = "forced panic (test hook)";

    pub(super) fn maybe_panic() {
        if FORCE_PANIC.get() {
            panic!("{}", MESSAGE);
        }
    }

    /// Runs `f` with every boundary on this thread panicking.
    pub(crate) fn with_forced_panic<R>(f: impl FnOnce() -> R) -> R {
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                FORCE_PANIC.set(false);
            }
        }
        FORCE_PANIC.set(true);
        let _reset = Reset;
        f()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{scrm_error_free, scrm_error_message, scrm_error_status};
    use crate::status::{SCRM_STATUS_INVALID_ARGUMENT, SCRM_STATUS_PANIC};
    use std::ffi::CStr;
    use std::ptr;

    /// Runs `body` through the boundary; returns the status and the error message, if any.
    fn run(body: impl FnOnce() -> Result<(), FfiError>) -> (scrm_status, Option<String>) {
        run_with(false, body)
    }

    /// `run`, optionally with the test hook on (only around the boundary under test, not
    /// around the accessors that read the error).
    fn run_with(
        force_panic: bool,
        body: impl FnOnce() -> Result<(), FfiError>,
    ) -> (scrm_status, Option<String>) {
        let mut err: *mut scrm_error = ptr::null_mut();
        // SAFETY: &mut err is valid for writes; a non-NULL err is a live error, freed once.
        unsafe {
            let status = if force_panic {
                test_hook::with_forced_panic(|| ffi_guard(&mut err, body))
            } else {
                ffi_guard(&mut err, body)
            };
            if err.is_null() {
                return (status, None);
            }
            assert_eq!(scrm_error_status(err), status);
            let message = CStr::from_ptr(scrm_error_message(err))
                .to_string_lossy()
                .into_owned();
            scrm_error_free(err);
            (status, Some(message))
        }
    }

    #[test]
    fn success_writes_no_error() {
        assert_eq!(run(|| Ok(())), (SCRM_STATUS_OK, None));
    }

    #[test]
    fn errors_pass_through() {
        let (status, message) = run(|| Err(FfiError::invalid_argument("bad index 7")));
        assert_eq!(status, SCRM_STATUS_INVALID_ARGUMENT);
        assert_eq!(message.as_deref(), Some("bad index 7"));
    }

    #[test]
    fn a_panic_becomes_a_status_with_its_message() {
        let (status, message) = run(|| panic!("boom at {}", 42));
        assert_eq!(status, SCRM_STATUS_PANIC);
        let message = message.unwrap();
        assert!(message.contains("boom at 42"), "{message}");
        assert!(message.starts_with("panic in libsocialcrm"), "{message}");

        let (status, message) = run(|| panic!("static message"));
        assert_eq!(status, SCRM_STATUS_PANIC);
        assert!(message.unwrap().ends_with("static message"));

        let (status, message) = run(|| std::panic::panic_any(17_u8));
        assert_eq!(status, SCRM_STATUS_PANIC);
        assert!(message.unwrap().contains("non-string payload"));
    }

    #[test]
    fn a_panic_without_err_out_still_returns_the_status() {
        // SAFETY: NULL err_out is allowed.
        let status = unsafe { ffi_guard(ptr::null_mut(), || panic!("nobody listens")) };
        assert_eq!(status, SCRM_STATUS_PANIC);
    }

    #[test]
    fn value_guard_returns_the_fallback_on_panic() {
        assert_eq!(ffi_guard_value(0_usize, || 5), 5);
        assert_eq!(ffi_guard_value(0_usize, || panic!("no")), 0);
    }

    #[test]
    fn the_test_hook_panics_inside_the_boundary() {
        let (status, message) = run_with(true, || Ok(()));
        assert_eq!(status, SCRM_STATUS_PANIC);
        assert!(message.unwrap().contains(test_hook::MESSAGE));
        // and is off again afterwards
        assert_eq!(run(|| Ok(())), (SCRM_STATUS_OK, None));
    }
}
