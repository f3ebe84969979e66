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

use crate::compare::*;
use crate::error::{scrm_error, scrm_error_free, scrm_error_message, scrm_error_status};
use crate::guard::test_hook::{MESSAGE, with_forced_panic};
use crate::index::*;
use crate::links::*;
use crate::matcher::*;
use crate::records::*;
use crate::social::*;
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

/// Runs a fallible export without out-parameters with the hook on and checks the status and
/// the error.
fn fallible_no_out(call: impl FnOnce(*mut *mut scrm_error) -> scrm_status) {
    let mut err: *mut scrm_error = ptr::null_mut();
    let status = with_forced_panic(|| call(&mut err));
    expect_panic_status(status, err);
}

/// One of every object of the identity API, made with the hook off and freed on drop.
struct World {
    records: *mut scrm_records,
    matcher: *mut scrm_matcher,
    links: *mut scrm_links,
    clusters: *mut scrm_clusters,
    index: *mut scrm_match_index,
    assignments: *mut scrm_assignments,
    contacts: *mut scrm_contacts,
    profiles: *mut scrm_profiles,
    linker: *mut scrm_social_linker,
}

const SOCIAL_CONFIG: &str = r#"{"u_sample_pairs": 2000}"#;

fn contact(id: &'static str, first: &'static str, last: &'static str) -> scrm_contact {
    scrm_contact {
        id: scrm_str::of(id),
        first_name: scrm_str::of(first),
        last_name: scrm_str::of(last),
        emails: ptr::null(),
        email_count: 0,
        phones: ptr::null(),
        phone_count: 0,
        street: scrm_str::MISSING,
        postcode: scrm_str::MISSING,
        city: scrm_str::MISSING,
        country: scrm_str::MISSING,
        company: scrm_str::MISSING,
        birth_date: scrm_str::MISSING,
        consent_social_linking: SCRM_CONSENT_GRANTED,
    }
}

fn profile(id: &'static str, handle: &'static str, name: &'static str) -> scrm_profile {
    scrm_profile {
        id: scrm_str::of(id),
        platform: scrm_str::of("twitter"),
        handle: scrm_str::of(handle),
        display_name: scrm_str::of(name),
        bio: scrm_str::MISSING,
        location: scrm_str::MISSING,
        website: scrm_str::MISSING,
        email: scrm_str::MISSING,
    }
}

impl World {
    fn new() -> World {
        let ok = |status: scrm_status| assert_eq!(status, SCRM_STATUS_OK);
        let none = ptr::null_mut();
        let records = crate::matcher::tests::people();
        let matcher = crate::matcher::tests::new_matcher();
        let mut w = World {
            records,
            matcher,
            links: ptr::null_mut(),
            clusters: ptr::null_mut(),
            index: ptr::null_mut(),
            assignments: ptr::null_mut(),
            contacts: ptr::null_mut(),
            profiles: ptr::null_mut(),
            linker: ptr::null_mut(),
        };
        let extra = crate::records::tests::table(
            &["first_name", "last_name", "dob"],
            &[("z", &[Some("Jan"), Some("de Vries"), None])],
        );
        // SAFETY: live handles and valid out-pointers; everything is freed in Drop.
        unsafe {
            ok(scrm_matcher_fit_dedupe(w.matcher, w.records, none));
            ok(scrm_matcher_dedupe(
                w.matcher,
                w.records,
                0.5,
                &mut w.links,
                &mut w.clusters,
                none,
            ));
            ok(scrm_match_index_new(
                w.matcher,
                w.records,
                0.5,
                &mut w.index,
                none,
            ));
            ok(scrm_match_index_add(
                w.index,
                extra,
                &mut w.assignments,
                none,
            ));
            scrm_records_free(extra);
            ok(scrm_contacts_new(&mut w.contacts, none));
            ok(scrm_contacts_push(
                w.contacts,
                &contact("c1", "Jan", "de Vries"),
                none,
            ));
            ok(scrm_contacts_push(
                w.contacts,
                &contact("c2", "Petra", "Müller"),
                none,
            ));
            ok(scrm_profiles_new(&mut w.profiles, none));
            ok(scrm_profiles_push(
                w.profiles,
                &profile("p1", "jdevries", "Jan de Vries"),
                none,
            ));
            ok(scrm_profiles_push(
                w.profiles,
                &profile("p2", "petra.mueller", "Petra Müller"),
                none,
            ));
            ok(scrm_social_linker_new(
                SOCIAL_CONFIG.as_ptr().cast(),
                SOCIAL_CONFIG.len(),
                &mut w.linker,
                none,
            ));
            ok(scrm_social_linker_fit(
                w.linker, w.contacts, w.profiles, none,
            ));
        }
        assert!(
            // SAFETY: live objects.
            unsafe { scrm_links_len(w.links) > 0 && scrm_assignments_len(w.assignments) == 1 }
        );
        w
    }
}

impl Drop for World {
    fn drop(&mut self) {
        // SAFETY: each object is live and freed once here.
        unsafe {
            scrm_records_free(self.records);
            scrm_matcher_free(self.matcher);
            scrm_links_free(self.links);
            scrm_clusters_free(self.clusters);
            scrm_match_index_free(self.index);
            scrm_assignments_free(self.assignments);
            scrm_contacts_free(self.contacts);
            scrm_profiles_free(self.profiles);
            scrm_social_linker_free(self.linker);
        }
    }
}

const ID: &str = "b";

fn id() -> *const c_char {
    ID.as_ptr().cast()
}

const CONFIG: &str = crate::matcher::tests::CONFIG;

const LINK_SENTINEL: scrm_link = scrm_link {
    left_id: ptr::dangling(),
    left_id_len: 77,
    right_id: ptr::dangling(),
    right_id_len: 77,
    match_probability: -7.0,
    match_weight: -7.0,
    asserted: true,
    evidence_count: 77,
};

/// Checks that a `(ptr, len)` view was not written.
fn view_case(
    call: impl FnOnce(*mut *const c_char, *mut usize, *mut *mut scrm_error) -> scrm_status,
) {
    let mut len = 99_usize;
    fallible(ptr::dangling::<c_char>(), |p, err| call(p, &mut len, err));
    assert_eq!(len, 99);
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
    // identity: records
    ("scrm_records_new", || {
        let names = [scrm_str::of("a")];
        // SAFETY: valid arrays and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_records_new(names.as_ptr(), 1, out, err)
        });
    }),
    ("scrm_records_push", || {
        let w = World::new();
        let values = [scrm_str::MISSING; 3];
        // SAFETY: live table, valid arrays.
        fallible_no_out(|err| unsafe {
            scrm_records_push(w.records, c"new".as_ptr(), 3, values.as_ptr(), 3, err)
        });
        // SAFETY: live table.
        assert_eq!(unsafe { scrm_records_len(w.records) }, 5, "nothing added");
    }),
    ("scrm_records_len", || {
        let w = World::new();
        // SAFETY: live table.
        let len = with_forced_panic(|| unsafe { scrm_records_len(w.records) });
        assert_eq!(len, 0);
    }),
    ("scrm_records_free", || {
        let w = World::new();
        // SAFETY: the forced panic happens before the body; the table is freed by World.
        with_forced_panic(|| unsafe { scrm_records_free(w.records) });
        // SAFETY: still live.
        assert_eq!(unsafe { scrm_records_len(w.records) }, 5);
    }),
    // identity: matcher
    ("scrm_matcher_new", || {
        // SAFETY: valid buffer and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_matcher_new(CONFIG.as_ptr().cast(), CONFIG.len(), out, err)
        });
    }),
    ("scrm_matcher_fit", || {
        let w = World::new();
        // SAFETY: live handles.
        fallible_no_out(|err| unsafe { scrm_matcher_fit(w.matcher, w.records, w.records, err) });
    }),
    ("scrm_matcher_fit_dedupe", || {
        let w = World::new();
        // SAFETY: live handles.
        fallible_no_out(|err| unsafe { scrm_matcher_fit_dedupe(w.matcher, w.records, err) });
    }),
    ("scrm_matcher_link", || {
        let w = World::new();
        // SAFETY: live handles, valid out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_matcher_link(w.matcher, w.records, w.records, 0.5, true, out, err)
        });
    }),
    ("scrm_matcher_dedupe", || {
        let w = World::new();
        let mut clusters: *mut scrm_clusters = sentinel_ptr();
        // SAFETY: live handles, valid out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_matcher_dedupe(w.matcher, w.records, 0.5, out, &mut clusters, err)
        });
        assert_eq!(clusters, sentinel_ptr());
    }),
    ("scrm_matcher_explain", || {
        let w = World::new();
        // SAFETY: live handles, valid buffers and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_matcher_explain(
                w.matcher,
                w.records,
                id(),
                1,
                w.records,
                c"d".as_ptr(),
                1,
                SCRM_EXPLAIN_FORMAT_TEXT,
                out,
                err,
            )
        });
    }),
    ("scrm_matcher_assert_must_link", || {
        let w = World::new();
        // SAFETY: live handle, valid buffers.
        fallible_no_out(|err| unsafe {
            scrm_matcher_assert_must_link(w.matcher, id(), 1, c"d".as_ptr(), 1, err)
        });
    }),
    ("scrm_matcher_assert_no_link", || {
        let w = World::new();
        // SAFETY: live handle, valid buffers.
        fallible_no_out(|err| unsafe {
            scrm_matcher_assert_no_link(w.matcher, id(), 1, c"d".as_ptr(), 1, err)
        });
    }),
    ("scrm_matcher_clear_cache", || {
        let w = World::new();
        // SAFETY: live handle.
        fallible_no_out(|err| unsafe { scrm_matcher_clear_cache(w.matcher, err) });
    }),
    ("scrm_matcher_forget", || {
        let w = World::new();
        // SAFETY: live handles, valid buffer.
        fallible_no_out(|err| unsafe { scrm_matcher_forget(w.matcher, w.records, id(), 1, err) });
    }),
    ("scrm_matcher_to_json", || {
        let w = World::new();
        // SAFETY: live handle, valid out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_matcher_to_json(w.matcher, out, err)
        });
    }),
    ("scrm_matcher_from_json", || {
        let w = World::new();
        // SAFETY: live handle; the string is freed below.
        let json = unsafe {
            let mut s = ptr::null_mut();
            assert_eq!(
                scrm_matcher_to_json(w.matcher, &mut s, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            let json = String::from_utf8((*s).as_bytes().to_vec()).unwrap();
            scrm_string_free(s);
            json
        };
        // SAFETY: valid buffer and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_matcher_from_json(json.as_ptr().cast(), json.len(), out, err)
        });
    }),
    ("scrm_matcher_is_fitted", || {
        let w = World::new();
        // SAFETY: live matcher (fitted, so the fallback `false` shows the boundary).
        unsafe {
            assert!(scrm_matcher_is_fitted(w.matcher));
            assert!(!with_forced_panic(|| scrm_matcher_is_fitted(w.matcher)));
        }
    }),
    ("scrm_matcher_field_name", || {
        let w = World::new();
        // SAFETY: live handle, valid out-pointers.
        view_case(|p, n, err| unsafe { scrm_matcher_field_name(w.matcher, 0, p, n, err) });
    }),
    ("scrm_matcher_level_label", || {
        let w = World::new();
        // SAFETY: live handle, valid out-pointers.
        view_case(|p, n, err| unsafe { scrm_matcher_level_label(w.matcher, 0, 1, p, n, err) });
    }),
    ("scrm_matcher_free", || {
        let w = World::new();
        // SAFETY: the forced panic happens before the body; the matcher is freed by World.
        with_forced_panic(|| unsafe { scrm_matcher_free(w.matcher) });
        let mut s = ptr::null_mut();
        // SAFETY: still live.
        unsafe {
            assert_eq!(
                scrm_matcher_to_json(w.matcher, &mut s, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            scrm_string_free(s);
        }
    }),
    // identity: results
    ("scrm_links_len", || {
        let w = World::new();
        // SAFETY: live links.
        assert_eq!(with_forced_panic(|| unsafe { scrm_links_len(w.links) }), 0);
    }),
    ("scrm_links_get", || {
        let w = World::new();
        // SAFETY: live links, valid out-pointers.
        fallible(LINK_SENTINEL, |out, err| unsafe {
            scrm_links_get(w.links, 0, out, err)
        });
    }),
    ("scrm_links_evidence", || {
        let w = World::new();
        let mut weight = -7.0_f64;
        // SAFETY: live links, valid out-pointers.
        fallible(77_u8, |level, err| unsafe {
            scrm_links_evidence(w.links, 0, 0, level, &mut weight, err)
        });
        assert_eq!(weight, -7.0);
    }),
    ("scrm_links_stats", || {
        let w = World::new();
        let sentinel = scrm_blocking_stats {
            candidate_pairs: 77,
            possible_pairs: 77,
            skipped_pairs: 77,
            has_estimated_recall: true,
            estimated_recall: -7.0,
        };
        // SAFETY: live links, valid out-pointers.
        fallible(sentinel, |out, err| unsafe {
            scrm_links_stats(w.links, out, err)
        });
    }),
    ("scrm_links_free", || {
        let w = World::new();
        // SAFETY: the forced panic happens before the body; the links are freed by World.
        with_forced_panic(|| unsafe { scrm_links_free(w.links) });
        // SAFETY: still live.
        assert!(unsafe { scrm_links_len(w.links) } > 0);
    }),
    ("scrm_clusters_len", || {
        let w = World::new();
        // SAFETY: live clusters.
        let len = with_forced_panic(|| unsafe { scrm_clusters_len(w.clusters) });
        assert_eq!(len, 0);
    }),
    ("scrm_clusters_get", || {
        let w = World::new();
        let sentinel = scrm_cluster_member {
            id: ptr::dangling(),
            id_len: 77,
            cluster_id: ptr::dangling(),
            cluster_id_len: 77,
        };
        // SAFETY: live clusters, valid out-pointers.
        fallible(sentinel, |out, err| unsafe {
            scrm_clusters_get(w.clusters, 0, out, err)
        });
    }),
    ("scrm_clusters_free", || {
        let w = World::new();
        // SAFETY: the forced panic happens before the body; the clusters are freed by World.
        with_forced_panic(|| unsafe { scrm_clusters_free(w.clusters) });
        // SAFETY: still live.
        assert_eq!(unsafe { scrm_clusters_len(w.clusters) }, 5);
    }),
    // identity: match index
    ("scrm_match_index_new", || {
        let w = World::new();
        // SAFETY: live handles, valid out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_match_index_new(w.matcher, w.records, 0.5, out, err)
        });
    }),
    ("scrm_match_index_add", || {
        let w = World::new();
        let extra = crate::records::tests::table(
            &["first_name", "last_name", "dob"],
            &[("y", &[Some("Anna"), None, None])],
        );
        // SAFETY: live handles, valid out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_match_index_add(w.index, extra, out, err)
        });
        // SAFETY: live handles; extra is freed once.
        unsafe {
            assert_eq!(scrm_match_index_len(w.index), 6, "nothing added");
            scrm_records_free(extra);
        }
    }),
    ("scrm_match_index_remove", || {
        let w = World::new();
        // SAFETY: live handle, valid buffer and out-pointers.
        fallible(false, |removed, err| unsafe {
            scrm_match_index_remove(w.index, id(), 1, removed, err)
        });
        // SAFETY: live handle. The panic happened before the change: the index is usable.
        assert_eq!(unsafe { scrm_match_index_len(w.index) }, 6);
    }),
    ("scrm_match_index_cluster_of", || {
        let w = World::new();
        // SAFETY: live handle, valid buffer and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_match_index_cluster_of(w.index, id(), 1, out, err)
        });
    }),
    ("scrm_match_index_len", || {
        let w = World::new();
        // SAFETY: live index.
        let len = with_forced_panic(|| unsafe { scrm_match_index_len(w.index) });
        assert_eq!(len, 0);
    }),
    ("scrm_match_index_free", || {
        let w = World::new();
        // SAFETY: the forced panic happens before the body; the index is freed by World.
        with_forced_panic(|| unsafe { scrm_match_index_free(w.index) });
        // SAFETY: still live.
        assert_eq!(unsafe { scrm_match_index_len(w.index) }, 6);
    }),
    ("scrm_assignments_len", || {
        let w = World::new();
        // SAFETY: live assignments.
        let len = with_forced_panic(|| unsafe { scrm_assignments_len(w.assignments) });
        assert_eq!(len, 0);
    }),
    ("scrm_assignments_get", || {
        let w = World::new();
        let sentinel = scrm_assignment {
            id: ptr::dangling(),
            id_len: 77,
            cluster_id: ptr::dangling(),
            cluster_id_len: 77,
            matched_id: ptr::dangling(),
            matched_id_len: 77,
            match_probability: -7.0,
            new_cluster: true,
        };
        // SAFETY: live assignments, valid out-pointers.
        fallible(sentinel, |out, err| unsafe {
            scrm_assignments_get(w.assignments, 0, out, err)
        });
    }),
    ("scrm_assignments_free", || {
        let w = World::new();
        // SAFETY: the forced panic happens before the body; freed by World.
        with_forced_panic(|| unsafe { scrm_assignments_free(w.assignments) });
        // SAFETY: still live.
        assert_eq!(unsafe { scrm_assignments_len(w.assignments) }, 1);
    }),
    // identity: social
    ("scrm_contacts_new", || {
        // SAFETY: valid out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_contacts_new(out, err)
        });
    }),
    ("scrm_contacts_push", || {
        let w = World::new();
        // SAFETY: live table, valid contact.
        fallible_no_out(|err| unsafe {
            scrm_contacts_push(w.contacts, &contact("c9", "Anna", "Schmidt"), err)
        });
        // SAFETY: live table.
        assert_eq!(unsafe { scrm_contacts_len(w.contacts) }, 2);
    }),
    ("scrm_contacts_len", || {
        let w = World::new();
        // SAFETY: live table.
        let len = with_forced_panic(|| unsafe { scrm_contacts_len(w.contacts) });
        assert_eq!(len, 0);
    }),
    ("scrm_contacts_free", || {
        let w = World::new();
        // SAFETY: the forced panic happens before the body; freed by World.
        with_forced_panic(|| unsafe { scrm_contacts_free(w.contacts) });
        // SAFETY: still live.
        assert_eq!(unsafe { scrm_contacts_len(w.contacts) }, 2);
    }),
    ("scrm_profiles_new", || {
        // SAFETY: valid out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_profiles_new(out, err)
        });
    }),
    ("scrm_profiles_push", || {
        let w = World::new();
        // SAFETY: live table, valid profile.
        fallible_no_out(|err| unsafe {
            scrm_profiles_push(w.profiles, &profile("p9", "anna", "Anna"), err)
        });
        // SAFETY: live table.
        assert_eq!(unsafe { scrm_profiles_len(w.profiles) }, 2);
    }),
    ("scrm_profiles_len", || {
        let w = World::new();
        // SAFETY: live table.
        let len = with_forced_panic(|| unsafe { scrm_profiles_len(w.profiles) });
        assert_eq!(len, 0);
    }),
    ("scrm_profiles_free", || {
        let w = World::new();
        // SAFETY: the forced panic happens before the body; freed by World.
        with_forced_panic(|| unsafe { scrm_profiles_free(w.profiles) });
        // SAFETY: still live.
        assert_eq!(unsafe { scrm_profiles_len(w.profiles) }, 2);
    }),
    ("scrm_social_linker_new", || {
        // SAFETY: valid buffer and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_social_linker_new(SOCIAL_CONFIG.as_ptr().cast(), SOCIAL_CONFIG.len(), out, err)
        });
    }),
    ("scrm_social_linker_fit", || {
        let w = World::new();
        // SAFETY: live handles.
        fallible_no_out(|err| unsafe {
            scrm_social_linker_fit(w.linker, w.contacts, w.profiles, err)
        });
    }),
    ("scrm_social_linker_link", || {
        let w = World::new();
        let mut without = 77_usize;
        // SAFETY: live handles, valid out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_social_linker_link(
                w.linker,
                w.contacts,
                w.profiles,
                0.5,
                out,
                &mut without,
                err,
            )
        });
        assert_eq!(without, 77);
    }),
    ("scrm_social_linker_explain", || {
        let w = World::new();
        // SAFETY: live handles, valid buffers and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_social_linker_explain(
                w.linker,
                w.contacts,
                c"c1".as_ptr(),
                2,
                w.profiles,
                c"p1".as_ptr(),
                2,
                SCRM_EXPLAIN_FORMAT_JSON,
                out,
                err,
            )
        });
    }),
    ("scrm_social_linker_assert_must_link", || {
        let w = World::new();
        // SAFETY: live handle, valid buffers.
        fallible_no_out(|err| unsafe {
            scrm_social_linker_assert_must_link(w.linker, c"c1".as_ptr(), 2, c"p1".as_ptr(), 2, err)
        });
    }),
    ("scrm_social_linker_assert_no_link", || {
        let w = World::new();
        // SAFETY: live handle, valid buffers.
        fallible_no_out(|err| unsafe {
            scrm_social_linker_assert_no_link(w.linker, c"c1".as_ptr(), 2, c"p1".as_ptr(), 2, err)
        });
    }),
    ("scrm_social_linker_clear_cache", || {
        let w = World::new();
        // SAFETY: live handle.
        fallible_no_out(|err| unsafe { scrm_social_linker_clear_cache(w.linker, err) });
    }),
    ("scrm_social_linker_forget", || {
        let w = World::new();
        // SAFETY: live handles, valid buffer.
        fallible_no_out(|err| unsafe {
            scrm_social_linker_forget(w.linker, w.contacts, c"c1".as_ptr(), 2, err)
        });
    }),
    ("scrm_social_linker_to_json", || {
        let w = World::new();
        // SAFETY: live handle, valid out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_social_linker_to_json(w.linker, out, err)
        });
    }),
    ("scrm_social_linker_from_json", || {
        let w = World::new();
        // SAFETY: live handle; the string is freed below.
        let json = unsafe {
            let mut s = ptr::null_mut();
            assert_eq!(
                scrm_social_linker_to_json(w.linker, &mut s, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            let json = String::from_utf8((*s).as_bytes().to_vec()).unwrap();
            scrm_string_free(s);
            json
        };
        // SAFETY: valid buffer and out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_social_linker_from_json(json.as_ptr().cast(), json.len(), out, err)
        });
    }),
    ("scrm_social_linker_free", || {
        let w = World::new();
        // SAFETY: the forced panic happens before the body; freed by World.
        with_forced_panic(|| unsafe { scrm_social_linker_free(w.linker) });
        let mut s = ptr::null_mut();
        // SAFETY: still live.
        unsafe {
            assert_eq!(
                scrm_social_linker_to_json(w.linker, &mut s, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            scrm_string_free(s);
        }
    }),
    ("scrm_link_social", || {
        let w = World::new();
        let mut without = 77_usize;
        // SAFETY: live tables, valid out-pointers.
        fallible(sentinel_ptr(), |out, err| unsafe {
            scrm_link_social(w.contacts, w.profiles, out, &mut without, err)
        });
        assert_eq!(without, 77);
    }),
    ("scrm_social_comparison_name", || {
        // SAFETY: valid out-pointers.
        view_case(|p, n, err| unsafe { scrm_social_comparison_name(0, p, n, err) });
    }),
    ("scrm_social_level_label", || {
        // SAFETY: valid out-pointers.
        view_case(|p, n, err| unsafe { scrm_social_level_label(0, 1, p, n, err) });
    }),
    ("scrm_jaro_winkler", || {
        // SAFETY: valid buffers and out-pointers.
        fallible(-7.0_f64, |out, err| unsafe {
            scrm_jaro_winkler(c"abc".as_ptr(), 3, c"abd".as_ptr(), 3, out, err)
        });
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
