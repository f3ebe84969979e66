//! `scrm_records`: a table of records to match (an id and named string fields per row).

use std::collections::HashSet;

use socialcrm_core::identity::Records;

use crate::args::{
    free_boxed, mut_arg, opt_str, out_arg, req_str, slice_arg, str_arg, write_boxed,
};
use crate::error::{FfiError, scrm_error};
use crate::guard::{ffi_guard, ffi_guard_value};
use crate::status::scrm_status;
use crate::string::scrm_str;
use crate::unique::IdSet;

/// A table of records for the matcher: named string columns (`"first_name"`, `"dob"`, ...) and
/// one row per record, each with the caller's id. Rows keep the order in which they were
/// pushed; results name rows by id.
///
/// Create it with `scrm_records_new`, add rows with `scrm_records_push`, pass it to
/// `scrm_matcher_fit`, `scrm_matcher_link`, `scrm_matcher_dedupe`, ... and free it with
/// `scrm_records_free`. The table owns copies of all its strings; it never refers to the
/// caller's buffers.
///
/// Thread safety: `scrm_records_push` changes the table and needs exclusive access (no other
/// call may use the table at the same time). All other functions only read it: any number of
/// threads may pass the same table to them at once.
pub struct scrm_records {
    records: Records,
    ids: IdSet,
}

impl scrm_records {
    /// The core table.
    pub(crate) fn get(&self) -> &Records {
        &self.records
    }
}

/// Creates an empty table with `n_fields` columns named by `field_names[0 .. n_fields]`.
///
/// Field names are the names the matcher configuration refers to (`"fields": [{"name":
/// "last_name", ...}]`); they are UTF-8, required (a NULL `ptr` is an error), and distinct.
/// A table may have columns that the matcher does not use; every field the matcher uses must be
/// a column. `field_names` may be NULL when `n_fields` is 0.
///
/// On success `*out` receives a new table that the caller owns and frees with
/// `scrm_records_free`. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`out`, `field_names` with `n_fields > 0`, or a field name
/// with a NULL `ptr`), `SCRM_STATUS_INVALID_UTF8`, `SCRM_STATUS_INVALID_ARGUMENT` (a name is
/// listed twice).
///
/// # Safety
///
/// `field_names` is NULL or points to `n_fields` `scrm_str`s whose pointers are NULL or point to
/// `len` readable bytes; `out` is NULL or valid for writing one pointer; `err_out` is NULL or
/// valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_records_new(
    field_names: *const scrm_str,
    n_fields: usize,
    out: *mut *mut scrm_records,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let out = out_arg(out, "out")?;
        // SAFETY: field_names is NULL or points to n_fields scrm_strs (this function's
        // contract); the borrow ends with this call.
        let names = unsafe { slice_arg(field_names, n_fields, "field_names") }?;
        let mut fields: Vec<String> = Vec::with_capacity(names.len());
        let mut seen = HashSet::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            // SAFETY: each scrm_str describes readable bytes or is NULL (this function's
            // contract).
            let name = unsafe { req_str(*name, || format!("field_names[{i}]")) }?;
            if !seen.insert(name) {
                return Err(FfiError::invalid_argument(format!(
                    "argument `field_names`: field name {name:?} is listed twice"
                )));
            }
            fields.push(name.to_owned());
        }
        let table = scrm_records {
            records: Records::new(fields),
            ids: IdSet::default(),
        };
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, table) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Appends a row: the record's id and one value per column, in the order of the field names
/// given to `scrm_records_new`.
///
/// `id` is `id_len` bytes of UTF-8 (NULL is accepted when `id_len` is 0: the empty id). Ids are
/// the caller's; they must be unique within the table. `values` has exactly `n_values` entries,
/// one per column; a value with a NULL `ptr` is missing (no evidence either way), and so is an
/// empty or whitespace-only one. Values are kept as given: the matcher normalises them
/// according to each field's kind.
///
/// On failure nothing is added and the table is unchanged.
///
/// Thread safety: changes the table; no other call may use `records` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`records`; `id` or `values` NULL with a non-zero
/// length; a value with a NULL `ptr` and non-zero `len`), `SCRM_STATUS_INVALID_UTF8` (the
/// message names the argument, e.g. `values[2]`, and the byte offset),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`n_values` is not the number of columns),
/// `SCRM_STATUS_DUPLICATE_ID` (a row with this id exists; the message names it).
///
/// # Safety
///
/// `records` is NULL or a live `scrm_records` not used by another thread during the call; `id`
/// is NULL or points to `id_len` readable bytes; `values` is NULL or points to `n_values`
/// `scrm_str`s whose pointers are NULL or point to `len` readable bytes; `err_out` is NULL or
/// valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_records_push(
    records: *mut scrm_records,
    id: *const std::ffi::c_char,
    id_len: usize,
    values: *const scrm_str,
    n_values: usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: records is NULL or a live scrm_records with no other access during the
        // call; id and values describe readable memory (this function's contract).
        let (table, id, values) = unsafe {
            (
                mut_arg(records, "records")?,
                str_arg(id, id_len, "id")?,
                slice_arg(values, n_values, "values")?,
            )
        };
        let width = table.records.fields().len();
        if values.len() != width {
            return Err(FfiError::invalid_argument(format!(
                "argument `n_values`: a row needs {width} values (one per field: {}), got {}",
                table.records.fields().join(", "),
                values.len()
            )));
        }
        let mut row: Vec<Option<&str>> = Vec::with_capacity(width);
        for (i, value) in values.iter().enumerate() {
            // SAFETY: each scrm_str describes readable bytes or is NULL (this function's
            // contract).
            row.push(unsafe { opt_str(*value, || format!("values[{i}]")) }?);
        }
        let ids = table.records.ids();
        table
            .ids
            .check(id, "records", ids.len(), |r| ids[r].as_str())?;
        table.records.push(id, row)?;
        table.ids.insert(id, table.records.len() - 1);
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The number of rows in `records`; 0 if `records` is NULL. Thread-safe (reads only).
///
/// # Safety
///
/// `records` is NULL or a live `scrm_records`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_records_len(records: *const scrm_records) -> usize {
    ffi_guard_value(0, || {
        // SAFETY: records is NULL or a live scrm_records (this function's contract).
        unsafe { records.as_ref() }.map_or(0, |r| r.records.len())
    })
}

/// Frees a table. Accepts NULL (does nothing). Objects created from the table (matchers
/// fitted on it, links, match indexes) do not refer to it and stay valid. Must not race with
/// any other use of the table.
///
/// # Safety
///
/// `records` is NULL or a `scrm_records` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_records_free(records: *mut scrm_records) {
    // SAFETY: records is NULL or a live scrm_records freed only here (this function's
    // contract).
    ffi_guard_value((), || unsafe { free_boxed(records) })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::status::{
        SCRM_STATUS_DUPLICATE_ID, SCRM_STATUS_INVALID_ARGUMENT, SCRM_STATUS_INVALID_UTF8,
        SCRM_STATUS_NULL_POINTER, SCRM_STATUS_OK,
    };
    use std::ptr;

    /// A table made through the C functions, for the tests of this crate.
    pub(crate) fn table(fields: &[&str], rows: &[(&str, &[Option<&str>])]) -> *mut scrm_records {
        let names: Vec<scrm_str> = fields.iter().map(|f| scrm_str::of(f)).collect();
        let mut out = ptr::null_mut();
        // SAFETY: valid arrays and out-pointers; the table is live until the caller frees it.
        unsafe {
            assert_eq!(
                scrm_records_new(names.as_ptr(), names.len(), &mut out, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            for (id, values) in rows {
                let values: Vec<scrm_str> = values
                    .iter()
                    .map(|v| v.map_or(scrm_str::MISSING, scrm_str::of))
                    .collect();
                assert_eq!(
                    scrm_records_push(
                        out,
                        id.as_ptr().cast(),
                        id.len(),
                        values.as_ptr(),
                        values.len(),
                        ptr::null_mut()
                    ),
                    SCRM_STATUS_OK
                );
            }
        }
        out
    }

    fn push(table: *mut scrm_records, id: &str, values: &[scrm_str]) -> scrm_status {
        // SAFETY: table is live; the arrays are valid.
        unsafe {
            scrm_records_push(
                table,
                id.as_ptr().cast(),
                id.len(),
                values.as_ptr(),
                values.len(),
                ptr::null_mut(),
            )
        }
    }

    #[test]
    fn rows_are_checked_and_kept() {
        let t = table(&["a", "b"], &[("x", &[Some("1"), None])]);
        let a = scrm_str::of("2");
        assert_eq!(push(t, "y", &[a]), SCRM_STATUS_INVALID_ARGUMENT);
        assert_eq!(push(t, "x", &[a, a]), SCRM_STATUS_DUPLICATE_ID);
        let bad = [0xffu8];
        let bad = scrm_str {
            ptr: bad.as_ptr().cast(),
            len: 1,
        };
        assert_eq!(push(t, "y", &[a, bad]), SCRM_STATUS_INVALID_UTF8);
        let dangling = scrm_str {
            ptr: ptr::null(),
            len: 1,
        };
        assert_eq!(push(t, "y", &[a, dangling]), SCRM_STATUS_NULL_POINTER);
        assert_eq!(push(t, "y", &[a, a]), SCRM_STATUS_OK);
        // SAFETY: t is live until freed.
        unsafe {
            assert_eq!(scrm_records_len(t), 2);
            let records = &(*t).records;
            assert_eq!(records.ids(), ["x", "y"]);
            assert_eq!(records.value(0, "a"), Some("1"));
            assert_eq!(records.value(0, "b"), None);
            scrm_records_free(t);
        }
    }

    #[test]
    fn field_names_are_required_and_distinct() {
        let mut out = ptr::null_mut();
        let names = [scrm_str::of("a"), scrm_str::of("a")];
        // SAFETY: valid arrays and out-pointers.
        unsafe {
            assert_eq!(
                scrm_records_new(names.as_ptr(), 2, &mut out, ptr::null_mut()),
                SCRM_STATUS_INVALID_ARGUMENT
            );
            let names = [scrm_str::of("a"), scrm_str::MISSING];
            assert_eq!(
                scrm_records_new(names.as_ptr(), 2, &mut out, ptr::null_mut()),
                SCRM_STATUS_NULL_POINTER
            );
            assert!(out.is_null());
            assert_eq!(
                scrm_records_new(ptr::null(), 0, &mut out, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            assert_eq!(scrm_records_len(out), 0);
            scrm_records_free(out);
        }
    }
}
