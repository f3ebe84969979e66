//! Every exported function runs its body inside the panic boundary.
//!
//! The guard's test hook (`guard::test_hook`) makes the boundary itself panic, inside
//! `catch_unwind`, before the body runs. Each case below calls one exported function with
//! the hook on and checks that it returns the boundary's answer to a panic
//! (`SCRM_STATUS_PANIC` with the panic message in the error, or the documented fallback value)
//! and writes no out-parameter. A function that skipped the boundary would not reach the hook
//! and would return something else; one that called it but let the panic through would abort
//! this test binary.
//!
//! The list of cases is checked against `include/socialcrm.symbols`, so a new export cannot
//! be added without a case here.

use std::collections::BTreeSet;
use std::ffi::{CStr, c_char};
use std::ptr;

use crate::error::{scrm_error, scrm_error_free, scrm_error_message, scrm_error_status};
use crate::guard::test_hook::{MESSAGE, with_forced_panic};
use crate::status::*;
use crate::string::*;
use crate::text::*;
use crate::tokens::*;
use crate::version::*;

/// Checks the result of a fallible call made with the hook on.
fn expect_panic_status(status: scrm_status, err: *mut scrm_error) {
    assert_eq!(status, SCRM_STATUS_PANIC);
    assert!(!err.is_null(), "the error must be reported");
    // SAFETY: err is a live error, freed once here.
    unsafe {
        assert_eq!(scrm_error_status(err), SCRM_STATUS_PANIC);
        let message = CStr::from_ptr(scrm_error_message(err)).to_str().unwrap();
        assert!(message.contains(MESSAGE), "{message}");
        scrm_error_free(err);
    }
}

/// Runs a fallible export with the hook on and checks the status, the error and that the
/// out-parameter kept its sentinel value.
fn fallible<T: PartialEq + std::fmt::Debug + Copy>(
    sentinel: T,
    call: impl FnOnce(*mut T, *mut *mut scrm_error) -> scrm_status,
) {
    let mut out = sentinel;
    let mut err: *mut scrm_error = ptr::null_mut();
    let status = with_forced_panic(|| call(&mut out, &mut err));
    expect_panic_status(status, err);
    assert_eq!(out, sentinel, "out-parameter written on failure");
}

const TEXT: &str = "@DB_Bahn #Verspätung 😡";

fn text_ptr() -> *const c_char {
    TEXT.as_ptr().cast()
}

/// A real token list (made with the hook off), for the accessors.
fn list() -> *mut scrm_token_list {
    let mut list = ptr::null_mut();
    // SAFETY: valid buffer and out-pointer.
    let status = unsafe { scrm_tokenize(text_ptr(), TEXT.len(), &mut list, ptr::null_mut()) };
    assert_eq!(status, SCRM_STATUS_OK);
    list
}

fn sentinel_ptr<T>() -> *mut T {
    ptr::dangling_mut()
}

type Case = (&'static str, fn());

const ZERO_TOKEN: scrm_token = scrm_token {
    kind: 77,
    elongated: true,
    start: 77,
    len: 77,
    part_count: 77,
};

/// One case per exported function, named by its symbol.
const CASES: &[Case] = &[
    ("scrm_version", || {
        // the fallback is the version string itself
        let v = with_forced_panic(|| scrm_version());
        // SAFETY: static NUL-terminated string.
        assert_eq!(unsafe { CStr::from_ptr(v) }.to_str().unwrap(), "0.1.0");
    }),
    ("scrm_status_str", || {
        let s = with_forced_panic(|| scrm_status_str(SCRM_STATUS_OK));
        // SAFETY: static NUL-terminated string.
        assert_eq!(unsafe { CStr::from_ptr(s) }, c"unknown status");
    }),
    ("scrm_error_message", || {
        // SAFETY: NULL is allowed.
        let s = with_forced_panic(|| unsafe { scrm_error_message(ptr::null()) });
        // SAFETY: static NUL-terminated string.
        assert_eq!(unsafe { CStr::from_ptr(s) }, c"");
    }),
    ("scrm_error_status", || {
        // SAFETY: NULL is allowed.
        let s = with_forced_panic(|| unsafe { scrm_error_status(ptr::null()) });
        assert_eq!(s, SCRM_STATUS_NULL_POINTER);
    }),
    ("scrm_error_free", || {
        // SAFETY: NULL is allowed.
        with_forced_panic(|| unsafe { scrm_error_free(ptr::null_mut()) });
    }),
    ("scrm_string_ptr", || {
        let s = Box::into_raw(Box::new(scrm_string::new("x".into()).unwrap()));
        // SAFETY: s is live until freed below.
        unsafe {
            assert!(with_forced_panic(|| scrm_string_ptr(s)).is_null());
            scrm_string_free(s);
        }
    }),
    ("scrm_string_len", || {
        let s = Box::into_raw(Box::new(scrm_string::new("x".into()).unwrap()));
        // SAFETY: s is live until freed below.
        unsafe {
            assert_eq!(with_forced_panic(|| scrm_string_len(s)), 0);
            scrm_string_free(s);
        }
    }),
    ("scrm_string_free", || {
        let s = Box::into_raw(Box::new(scrm_string::new("x".into()).unwrap()));
        // SAFETY: the forced panic happens before the body, so s is still live and is freed
        // for real afterwards.
        unsafe {
            with_forced_panic(|| scrm_string_free(s));
            scrm_string_free(s);
        }
    }),
    ("scrm_detect_language", || {
        let sentinel = scrm_language_guess {
            code: [1; 4],
            confidence: -7.0,
        };
        // SAFETY: valid buffer and out-pointers.
        fallible(sentinel, |out, err| unsafe {
            scrm_detect_language(text_ptr(), TEXT.len(), out, err)
        });
    }),
    ("scrm_normalize", || {
        // SAFETY: valid buffer and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_normalize(
                text_ptr(),
                TEXT.len(),
                SCRM_ACCENT_FOLDING_KEEP,
                true,
                out,
                err,
            )
        });
    }),
    ("scrm_stem", || {
        // SAFETY: valid buffers and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_stem(text_ptr(), TEXT.len(), c"de".as_ptr(), 2, out, err)
        });
    }),
    ("scrm_tokenize", || {
        // SAFETY: valid buffer and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_tokenize(text_ptr(), TEXT.len(), out, err)
        });
    }),
    ("scrm_token_kind_name", || {
        let s = with_forced_panic(|| scrm_token_kind_name(SCRM_TOKEN_KIND_WORD));
        // SAFETY: static NUL-terminated string.
        assert_eq!(unsafe { CStr::from_ptr(s) }, c"unknown");
    }),
    ("scrm_token_list_len", || {
        let list = list();
        // SAFETY: list is live until freed below.
        unsafe {
            assert_eq!(with_forced_panic(|| scrm_token_list_len(list)), 0);
            scrm_token_list_free(list);
        }
    }),
    ("scrm_token_list_get", || {
        let list = list();
        // SAFETY: list is live until freed below; valid out-pointers.
        unsafe {
            fallible(ZERO_TOKEN, |out, err| {
                scrm_token_list_get(list, 0, out, err)
            });
            scrm_token_list_free(list);
        }
    }),
    ("scrm_token_list_text", || {
        let list = list();
        let mut len = 99_usize;
        // SAFETY: list is live until freed below; valid out-pointers.
        unsafe {
            fallible(ptr::dangling::<c_char>(), |p, err| {
                scrm_token_list_text(list, 0, p, &mut len, err)
            });
            scrm_token_list_free(list);
        }
        assert_eq!(len, 99);
    }),
    ("scrm_token_list_normalized", || {
        let list = list();
        let mut len = 99_usize;
        // SAFETY: list is live until freed below; valid out-pointers.
        unsafe {
            fallible(ptr::dangling::<c_char>(), |p, err| {
                scrm_token_list_normalized(list, 0, p, &mut len, err)
            });
            scrm_token_list_free(list);
        }
        assert_eq!(len, 99);
    }),
    ("scrm_token_list_part", || {
        let list = list();
        let mut len = 99_usize;
        // SAFETY: list is live until freed below; valid out-pointers.
        unsafe {
            fallible(ptr::dangling::<c_char>(), |p, err| {
                scrm_token_list_part(list, 0, 0, p, &mut len, err)
            });
            scrm_token_list_free(list);
        }
        assert_eq!(len, 99);
    }),
    ("scrm_token_list_free", || {
        let list = list();
        // SAFETY: the forced panic happens before the body, so the list is still live and is
        // freed for real afterwards.
        unsafe {
            with_forced_panic(|| scrm_token_list_free(list));
            assert!(scrm_token_list_len(list) > 0);
            scrm_token_list_free(list);
        }
    }),
];

#[test]
fn every_export_runs_inside_the_panic_boundary() {
    for (name, case) in CASES {
        eprintln!("forcing a panic in {name}");
        case();
    }
}

#[test]
fn every_exported_symbol_has_a_case() {
    let symbols: BTreeSet<&str> = include_str!("../../../include/socialcrm.symbols")
        .lines()
        .collect();
    let cases: BTreeSet<&str> = CASES.iter().map(|(name, _)| *name).collect();
    assert_eq!(cases.len(), CASES.len(), "duplicate case");
    assert_eq!(
        symbols, cases,
        "include/socialcrm.symbols and the panic-boundary cases must name the same functions"
    );
}
