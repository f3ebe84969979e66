//! Incremental matching: `scrm_match_index_*` and the `scrm_assignments` it returns.

use std::ffi::c_char;

use socialcrm_core::identity::{Assignment, MatchIndex};

use crate::args::{free_boxed, item, mut_arg, out_arg, ref_arg, str_arg, view_parts, write_boxed};
use crate::error::{FfiError, scrm_error};
use crate::guard::{ffi_guard, ffi_guard_value};
use crate::matcher::scrm_matcher;
use crate::records::scrm_records;
use crate::status::{SCRM_STATUS_UNKNOWN_ID, scrm_status};
use crate::string::scrm_string;

/// A fitted matcher together with the records it has seen, for incremental deduplication: new
/// records (a sign-up, an import) are assigned to the cluster of their best match among the
/// known records, or to a new cluster, without refitting or re-deduplicating everything.
///
/// Cluster ids are opaque strings (`"k1"`, `"k2"`, ...) that never change once given: a
/// record added later joins an existing cluster id or gets a new one, and removing a record
/// leaves the others' cluster ids as they were. They are not record ids, so that erasing a
/// person leaves no trace of their id behind.
///
/// Created by `scrm_match_index_new` from a fitted matcher (the index keeps its own copy of the
/// matcher, with its assertions: the matcher may be freed or changed afterwards without
/// affecting the index). The caller owns it and frees it with `scrm_match_index_free`.
///
/// Thread safety: `scrm_match_index_add` and `scrm_match_index_remove` change the index and
/// need exclusive access; `scrm_match_index_len` and `scrm_match_index_cluster_of` only read
/// it and may run in many threads at once (but not during an add or remove).
///
/// If a change panics (`SCRM_STATUS_PANIC`, a bug), the index may be half-updated; every later
/// call on it then fails with `SCRM_STATUS_INVALID_ARGUMENT` (and `scrm_match_index_len` returns
/// 0): free it and build a new one.
pub struct scrm_match_index {
    inner: MatchIndex,
    /// Set while a change is under way; still set after a change that panicked (or failed
    /// half-way), when the index can no longer be trusted.
    poisoned: bool,
}

impl scrm_match_index {
    fn usable(&self) -> Result<&MatchIndex, FfiError> {
        if self.poisoned {
            return Err(FfiError::invalid_argument(
                "argument `index`: an earlier change of this index failed half-way (see the \
                 SCRM_STATUS_PANIC it returned); free the index and build a new one",
            ));
        }
        Ok(&self.inner)
    }

    /// Runs a change of the index, leaving it poisoned if the change panics, or fails with
    /// `poison_on_error` set.
    fn change<T>(
        &mut self,
        poison_on_error: bool,
        f: impl FnOnce(&mut MatchIndex) -> socialcrm_core::Result<T>,
    ) -> Result<T, FfiError> {
        self.usable()?;
        self.poisoned = true;
        let result = f(&mut self.inner);
        self.poisoned = result.is_err() && poison_on_error;
        Ok(result?)
    }
}

/// Deduplicates `records` with the fitted `matcher` at `threshold` (as `scrm_matcher_dedupe`)
/// and indexes them, so that later records can be assigned to their clusters with
/// `scrm_match_index_add`. `threshold` (in `0.0 ..= 1.0`) is also the probability a new record
/// needs to join a cluster. `records` may be empty (start from nothing). The index copies the
/// matcher and the records: both may be freed afterwards.
///
/// On success `*out` receives a new index that the caller owns and frees with
/// `scrm_match_index_free`. Thread safety: reads `matcher` and `records`.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher`, `records` or `out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`threshold` NaN or outside `0 ..= 1`; a configured field is
/// not a column), `SCRM_STATUS_NOT_FITTED`.
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher`; `records` is NULL or a live `scrm_records`;
/// `out` is NULL or valid for writing one pointer; `err_out` is NULL or valid for writing one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_match_index_new(
    matcher: *const scrm_matcher,
    records: *const scrm_records,
    threshold: f64,
    out: *mut *mut scrm_match_index,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: the handles are NULL or live and not changed during the call (this
        // function's contract).
        let (matcher, records) =
            unsafe { (ref_arg(matcher, "matcher")?, ref_arg(records, "records")?) };
        let out = out_arg(out, "out")?;
        let index = MatchIndex::build(matcher.get(), records.get(), threshold)?;
        let index = scrm_match_index {
            inner: index,
            poisoned: false,
        };
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, index) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Adds the records of `records` to the index, in table order: each joins the cluster of its
/// best-matching indexed record if that match reaches the index's threshold, or founds a new
/// cluster. Each added record is indexed at once, so later records of the same call (and
/// later calls) can match it. Existing cluster ids never change. `records` must have the
/// columns of the table the index was built from, in the same order, and ids that are not
/// in the index yet.
///
/// On success `*out` receives one `scrm_assignment` per added record (read with
/// `scrm_assignments_len` / `scrm_assignments_get`), which the caller owns and frees with
/// `scrm_assignments_free`. On failure nothing is added.
///
/// Thread safety: changes the index; no other call may use `index` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`index`, `records` or `out`),
/// `SCRM_STATUS_DUPLICATE_ID` (an id is already indexed; the message names it),
/// `SCRM_STATUS_INVALID_ARGUMENT` (other columns than the index's; or the index is unusable
/// after a panic).
///
/// # Safety
///
/// `index` is NULL or a live `scrm_match_index` not used by another thread during the call;
/// `records` is NULL or a live `scrm_records`; `out` is NULL or valid for writing one pointer;
/// `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_match_index_add(
    index: *mut scrm_match_index,
    records: *const scrm_records,
    out: *mut *mut scrm_assignments,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: index is NULL or live with no other access during the call; records is NULL
        // or live (this function's contract).
        let (index, records) = unsafe { (mut_arg(index, "index")?, ref_arg(records, "records")?) };
        let out = out_arg(out, "out")?;
        // The core checks everything that can fail before it changes the index, so an error
        // leaves it intact; only a panic poisons it.
        let assignments = index.change(false, |i| i.add(records.get()))?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, scrm_assignments { assignments }) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Erases record `id` from the index (the right to be forgotten): its values, its place in
/// the blocking index, assertions naming it, and its values in the index's copy of the
/// matcher's term-frequency counts. The other records keep their cluster ids. On success
/// `*removed_out` receives true, or false if the id was not indexed (nothing changes).
///
/// Thread safety: changes the index; no other call may use `index` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`index`, `removed_out`, or `id` NULL with a non-zero
/// length), `SCRM_STATUS_INVALID_UTF8`, `SCRM_STATUS_INVALID_ARGUMENT` (the index is unusable
/// after a panic).
///
/// # Safety
///
/// `index` is NULL or a live `scrm_match_index` not used by another thread during the call;
/// `id` is NULL or points to `id_len` readable bytes; `removed_out` is NULL or valid for
/// writing one `bool`; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_match_index_remove(
    index: *mut scrm_match_index,
    id: *const c_char,
    id_len: usize,
    removed_out: *mut bool,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: index is NULL or live with no other access during the call; id is NULL or
        // readable (this function's contract).
        let (index, id) = unsafe { (mut_arg(index, "index")?, str_arg(id, id_len, "id")?) };
        let removed_out = out_arg(removed_out, "removed_out")?;
        // The core rebuilds the index after taking its records out: an error there would
        // leave it empty, so any error poisons it.
        let removed = index.change(true, |i| i.remove(id))?;
        // SAFETY: removed_out is not NULL and valid for writes (this function's contract).
        unsafe { removed_out.write(removed) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The cluster id of indexed record `id` (`"k1"`, `"k2"`, ...). On success `*out` receives a
/// new string that the caller owns and frees with `scrm_string_free`. Thread safety: reads the
/// index.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`index`, `out`, or `id` NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8`, `SCRM_STATUS_UNKNOWN_ID` (the id is not indexed),
/// `SCRM_STATUS_INVALID_ARGUMENT` (the index is unusable after a panic).
///
/// # Safety
///
/// `index` is NULL or a live `scrm_match_index`; `id` is NULL or points to `id_len` readable
/// bytes; `out` is NULL or valid for writing one pointer; `err_out` is NULL or valid for
/// writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_match_index_cluster_of(
    index: *const scrm_match_index,
    id: *const c_char,
    id_len: usize,
    out: *mut *mut scrm_string,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: index is NULL or live and not changed during the call; id is NULL or
        // readable (this function's contract).
        let (index, id) = unsafe { (ref_arg(index, "index")?, str_arg(id, id_len, "id")?) };
        let out = out_arg(out, "out")?;
        let cluster = index.usable()?.cluster_of(id).ok_or_else(|| {
            FfiError::new(
                SCRM_STATUS_UNKNOWN_ID,
                format!("id {id:?} is not in the match index"),
            )
        })?;
        let cluster = scrm_string::new(cluster)?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, cluster) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The number of indexed records; 0 if `index` is NULL or unusable after a panic. Thread
/// safety: reads the index.
///
/// # Safety
///
/// `index` is NULL or a live `scrm_match_index`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_match_index_len(index: *const scrm_match_index) -> usize {
    ffi_guard_value(0, || {
        // SAFETY: index is NULL or a live scrm_match_index (this function's contract).
        unsafe { index.as_ref() }
            .and_then(|i| i.usable().ok())
            .map_or(0, MatchIndex::len)
    })
}

/// Frees a match index. Accepts NULL (does nothing). Must not race with any other use of the
/// index.
///
/// # Safety
///
/// `index` is NULL or a `scrm_match_index` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_match_index_free(index: *mut scrm_match_index) {
    // SAFETY: index is NULL or a live scrm_match_index freed only here (this function's
    // contract).
    ffi_guard_value((), || unsafe { free_boxed(index) })
}

/// Where the records of one `scrm_match_index_add` call went, one `scrm_assignment` per record
/// in the order of the added table.
///
/// The caller owns it and frees it with `scrm_assignments_free`; the views it hands out are
/// valid until then. Immutable: any number of threads may read it at once.
pub struct scrm_assignments {
    assignments: Vec<Assignment>,
}

/// Where one added record went, as filled in by `scrm_assignments_get`. The string members are
/// borrowed views into the `scrm_assignments` (UTF-8, not NUL-terminated), valid until
/// `scrm_assignments_free`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct scrm_assignment {
    /// The added record's id.
    pub id: *const c_char,
    /// The length of `id` in bytes.
    pub id_len: usize,
    /// The cluster it joined or founded (`"k7"`).
    pub cluster_id: *const c_char,
    /// The length of `cluster_id` in bytes.
    pub cluster_id_len: usize,
    /// The indexed record it matched best, when it joined an existing cluster; NULL (and
    /// `matched_id_len` 0) when it founded a new one.
    pub matched_id: *const c_char,
    /// The length of `matched_id` in bytes.
    pub matched_id_len: usize,
    /// The probability of the best match among the candidates (below the threshold for a new
    /// cluster; 0 when there was no candidate at all).
    pub match_probability: f64,
    /// The record founded a new cluster.
    pub new_cluster: bool,
}

/// The number of assignments (the number of records added); 0 if `assignments` is NULL.
/// Thread-safe.
///
/// # Safety
///
/// `assignments` is NULL or a live `scrm_assignments`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_assignments_len(assignments: *const scrm_assignments) -> usize {
    ffi_guard_value(0, || {
        // SAFETY: assignments is NULL or a live scrm_assignments (this function's contract).
        unsafe { assignments.as_ref() }.map_or(0, |a| a.assignments.len())
    })
}

/// Assignment number `index` (`0 .. scrm_assignments_len(assignments)`, the order of the added
/// table). On success `*out` receives views into `assignments`, valid until
/// `scrm_assignments_free`. Out-parameters are written only on success. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`assignments` or `out`), `SCRM_STATUS_INVALID_ARGUMENT`
/// (`index` out of range).
///
/// # Safety
///
/// `assignments` is NULL or a live `scrm_assignments`; `out` is NULL or valid for writing one
/// `scrm_assignment`; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_assignments_get(
    assignments: *const scrm_assignments,
    index: usize,
    out: *mut scrm_assignment,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: assignments is NULL or a live, immutable scrm_assignments (this function's
        // contract).
        let assignments = unsafe { ref_arg(assignments, "assignments") }?;
        let out = out_arg(out, "out")?;
        let a = item(&assignments.assignments, index, "assignments")?;
        let (id, id_len) = view_parts(Some(&a.id));
        let (cluster_id, cluster_id_len) = view_parts(Some(&a.cluster_id));
        let (matched_id, matched_id_len) = view_parts(a.matched_id.as_deref());
        let result = scrm_assignment {
            id,
            id_len,
            cluster_id,
            cluster_id_len,
            matched_id,
            matched_id_len,
            match_probability: a.match_probability,
            new_cluster: a.new_cluster,
        };
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { out.write(result) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Frees a `scrm_assignments`. Accepts NULL (does nothing). After this call every view obtained
/// from it is dangling. Must not race with readers.
///
/// # Safety
///
/// `assignments` is NULL or a `scrm_assignments` from this library that has not been freed
/// yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_assignments_free(assignments: *mut scrm_assignments) {
    // SAFETY: assignments is NULL or a live scrm_assignments freed only here (this function's
    // contract).
    ffi_guard_value((), || unsafe { free_boxed(assignments) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::scrm_matcher_fit_dedupe;
    use crate::matcher::scrm_matcher_free;
    use crate::matcher::tests::{new_matcher, people};
    use crate::records::scrm_records_free;
    use crate::status::{SCRM_STATUS_INVALID_ARGUMENT, SCRM_STATUS_OK};
    use std::ptr;

    const _: () = {
        const fn send_sync<T: Send + Sync>() {}
        send_sync::<scrm_match_index>();
    };

    #[test]
    fn a_poisoned_index_refuses_work() {
        let m = new_matcher();
        let t = people();
        // SAFETY: live handles and valid out-pointers; everything is freed at the end.
        unsafe {
            assert_eq!(
                scrm_matcher_fit_dedupe(m, t, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            let mut index = ptr::null_mut();
            assert_eq!(
                scrm_match_index_new(m, t, 0.5, &mut index, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            assert_eq!(scrm_match_index_len(index), 5);
            let mut removed = false;
            assert_eq!(
                scrm_match_index_remove(index, c"a".as_ptr(), 1, &mut removed, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            assert!(removed);
            assert_eq!(scrm_match_index_len(index), 4);
            (*index).poisoned = true;
            assert_eq!(scrm_match_index_len(index), 0);
            let mut s = ptr::null_mut();
            assert_eq!(
                scrm_match_index_cluster_of(index, c"b".as_ptr(), 1, &mut s, ptr::null_mut()),
                SCRM_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                scrm_match_index_remove(index, c"b".as_ptr(), 1, &mut removed, ptr::null_mut()),
                SCRM_STATUS_INVALID_ARGUMENT
            );
            scrm_match_index_free(index);
            scrm_records_free(t);
            scrm_matcher_free(m);
        }
    }
}
