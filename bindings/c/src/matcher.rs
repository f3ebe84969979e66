//! The generic probabilistic record matcher: `scrm_matcher_*`.

use std::ffi::c_char;

use socialcrm_core::identity::{Explanation, Matcher};

use crate::args::{free_boxed, mut_arg, out_arg, ref_arg, str_arg, write_boxed, write_view};
use crate::config::matcher_config;
use crate::error::{FfiError, scrm_error};
use crate::guard::{ffi_guard, ffi_guard_value};
use crate::links::{scrm_clusters, scrm_links};
use crate::records::scrm_records;
use crate::status::{SCRM_STATUS_INTERNAL, scrm_status};
use crate::string::scrm_string;

/// The form of an explanation (`scrm_matcher_explain`, `scrm_social_linker_explain`): one of
/// the `SCRM_EXPLAIN_FORMAT_*` values.
pub type scrm_explain_format = u32;

/// Human-readable text, one line per comparison, for logs and support staff:
///
/// ```text
/// c2 ~ s1: probability 0.9993, weight +10.47 bits (prior -3.67)
///   first_name         +4.78  exact (term frequency -0.21)   [Petra | Petra]
///   last_name          +4.51  exact (term frequency -0.29)   [Müller | Mueller]
///   dob                +4.85  exact   [1975-11-02 | 02.11.1975]
///   email              +0.00  missing   [petra.mueller@example.de | —]
///   candidate under: last_name:phonetic, dob
/// ```
///
/// The layout may change between releases: parse `SCRM_EXPLAIN_FORMAT_JSON` instead.
pub const SCRM_EXPLAIN_FORMAT_TEXT: scrm_explain_format = 0;
/// A JSON object, stable within an ABI version (keys may be added):
///
/// ```json
/// {"left_id": "c2", "right_id": "s1", "match_probability": 0.9993, "match_weight": 10.47,
///  "prior_weight": -3.17,
///  "fields": [{"comparison": "last_name", "level": "exact", "level_index": 1,
///              "m": 0.93, "u": 0.004, "weight": 4.70, "term_frequency_adjustment": 0.0,
///              "left_value": "Müller", "right_value": "Mueller"}, ...],
///  "blocking_rules": ["last_name:phonetic", "dob"],
///  "assertion": null}
/// ```
///
/// `fields` has one entry per comparison, in order; `level_index` 0 is `"missing"` (a value
/// is missing, weight 0); `left_value`/`right_value` are the values as given, or null;
/// `blocking_rules` lists the rules under which the pair is a candidate (empty: the pair is
/// never compared, whatever its score; a social pair that is a candidate through a sibling
/// profile lists `"<rule> (through sibling profile <id>)"`); `assertion` is `"must_link"`, `"no_link"` or null.
pub const SCRM_EXPLAIN_FORMAT_JSON: scrm_explain_format = 1;

/// Renders an explanation in the requested form.
pub(crate) fn render_explanation(
    explanation: &Explanation,
    format: scrm_explain_format,
) -> Result<scrm_string, FfiError> {
    let text = match format {
        SCRM_EXPLAIN_FORMAT_TEXT => explanation.to_string(),
        SCRM_EXPLAIN_FORMAT_JSON => serde_json::to_string(explanation).map_err(|e| {
            FfiError::new(
                SCRM_STATUS_INTERNAL,
                format!("cannot write the explanation as JSON: {e}"),
            )
        })?,
        other => {
            return Err(FfiError::invalid_argument(format!(
                "argument `format`: unknown value {other}; expected SCRM_EXPLAIN_FORMAT_TEXT (0) \
                 or SCRM_EXPLAIN_FORMAT_JSON (1)"
            )));
        }
    };
    scrm_string::new(text)
}

/// A probabilistic record matcher (Fellegi–Sunter, fitted by EM without labels): it links the
/// records of two tables (`scrm_matcher_link`) or finds duplicates within one
/// (`scrm_matcher_dedupe`), and explains every score (`scrm_matcher_explain`).
///
/// Life cycle: create it from a JSON configuration (`scrm_matcher_new`) or load a saved one
/// (`scrm_matcher_from_json`); fit it (`scrm_matcher_fit` for linking, `scrm_matcher_fit_dedupe`
/// for deduplication; no labels needed); then link, deduplicate and explain as often as
/// needed; save it with `scrm_matcher_to_json`; free it with `scrm_matcher_free`. The matcher
/// owns everything it holds and never refers to the tables it was fitted on.
///
/// Thread safety: the functions that take a `const scrm_matcher *` only read it (link, dedupe,
/// explain, to_json, field names, level labels, creating a match index): any number of threads
/// may call them on the same matcher at once, for example one fitted matcher serving many
/// request threads. The functions that take a `scrm_matcher *` change it (fit, fit_dedupe,
/// assert_must_link, assert_no_link, forget) and need exclusive access: no other call may use
/// the matcher at the same time (use a read-write lock if threads share a matcher that is
/// refitted).
pub struct scrm_matcher {
    inner: Matcher,
}

impl scrm_matcher {
    pub(crate) fn get(&self) -> &Matcher {
        &self.inner
    }
}

/// Creates an unfitted matcher from a JSON configuration of `config_len` bytes (UTF-8).
///
/// The configuration is an object; only `fields` is required, and a key that is not listed
/// here is an error (so that a typo is not silently ignored):
///
/// ```json
/// {
///   "fields": [
///     {"name": "first_name", "kind": "name"},
///     {"name": "last_name",  "kind": "name"},
///     {"name": "dob",        "kind": "date"},
///     {"name": "city",       "kind": "text"},
///     {"name": "email",      "kind": "email"}
///   ],
///   "blocking": ["last_name:phonetic", "dob", "email", "city+first_name:initial"]
/// }
/// ```
///
/// - `fields` (array of objects, 1 to 32): the comparisons, in order (evidence is reported in
///   this order). Each has `name` (a column of the tables, see `scrm_records_new`), `kind` and
///   optionally `term_frequency` (bool: agreeing on a rare value counts more than agreeing on a
///   common one; default true for kind `name`, false otherwise). Kinds (case-insensitive;
///   another is `SCRM_STATUS_UNKNOWN_FIELD_KIND`):
///   `name` (personal names: titles, particles, initials, nicknames, transliteration
///   `ü`/`ue`), `text` (streets, free text), `exact` (codes compared for equality), `date`
///   (any common format: `1982-03-14`, `14.03.1982`, `14/03/1982`), `email`, `phone`,
///   `postcode`, `handle` (social-media handles), `url`, `number`.
/// - `blocking` (array): the rules that choose which pairs are compared at all; a pair is a
///   candidate if it agrees on all parts of at least one rule. A rule is a string of parts
///   joined by `+`, each `field` or `field:transform`, transforms `exact` (the default),
///   `prefixN` (first N characters, N = 1..32), `phonetic` (`name` fields), `initial`, `year`
///   (`date` fields); or the object form `{"parts": [{"field": "dob", "transform": "year"},
///   {"field": "last_name", "transform": {"prefix": 3}}]}`. No rules: every pair is compared
///   (small tables only).
/// - `prior` (number in (0, 1), or null = estimated): P(match) for a candidate pair.
/// - `default_country` (string or null): ISO country code for phone numbers without prefix.
/// - `month_first_dates` (bool, default false): read `03/04/1982` as 4 March (false) or
///   3 April (true).
/// - `max_block_pairs` (integer, default 250000): larger blocks are skipped (see
///   `scrm_blocking_stats`).
/// - `u_sample_pairs` (integer, default 10000): random pairs sampled to start fitting.
/// - `max_em_iterations` (integer, default 200), `em_tolerance` (number, default 1e-6): EM.
/// - `estimate_u` (bool, default true): re-estimate u-probabilities during EM.
/// - `seed` (integer, default 42): seed of the random pair sample; results are deterministic.
/// - `consent_field` (string or null): a column of the *left* table holding `granted`,
///   `withdrawn` or `absent`; left records without `granted` are neither fitted on nor linked.
/// - `cluster_min_average_probability` (number in [0, 1] or null = the threshold): for
///   deduplication, two clusters merge only if their pairs reach this mean probability.
/// - `max_cluster_size` (integer, default 1000): the largest cluster deduplication builds.
///
/// On success `*out` receives a new matcher that the caller owns and frees with
/// `scrm_matcher_free`. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`out`, or `config_json` NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8`, `SCRM_STATUS_UNKNOWN_FIELD_KIND` (the message lists the kinds),
/// `SCRM_STATUS_INVALID_ARGUMENT` (not JSON, with the parser's message and position; an
/// unknown key; a value of the wrong type or range; no fields; a blocking rule naming a field
/// that is not in `fields`, or a transform that does not suit the field's kind).
///
/// # Safety
///
/// `config_json` is NULL or points to `config_len` readable bytes; `out` is NULL or valid for
/// writing one pointer; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_new(
    config_json: *const c_char,
    config_len: usize,
    out: *mut *mut scrm_matcher,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let out = out_arg(out, "out")?;
        // SAFETY: config_json is NULL or points to config_len readable bytes (this function's
        // contract); the borrow ends with this call.
        let json = unsafe { str_arg(config_json, config_len, "config_json") }?;
        let matcher = Matcher::new(matcher_config(json)?)?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, scrm_matcher { inner: matcher }) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Fits the matcher for linking `left` to `right`: term frequencies, then the m- and
/// u-probabilities of every comparison level and the prior by expectation maximisation on the
/// candidate pairs. No labelled pairs are needed. Refitting replaces the previous fit; the
/// configuration and assertions are kept.
///
/// Both tables must have a column for every configured field (extra columns are ignored) and
/// unique ids. Fitting on a few dozen records works but is rough; the estimates improve with
/// hundreds of records and more.
///
/// On failure the matcher is unchanged. Thread safety: changes the matcher; no other call may
/// use `matcher` at the same time. `left` and `right` are only read (they may be the same
/// table).
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher`, `left` or `right`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (a configured field is not a column of a table),
/// `SCRM_STATUS_DUPLICATE_ID` (defensive: tables built with `scrm_records_push` have unique
/// ids).
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher` not used by another thread during the call;
/// `left` and `right` are NULL or live `scrm_records`; `err_out` is NULL or valid for writing
/// one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_fit(
    matcher: *mut scrm_matcher,
    left: *const scrm_records,
    right: *const scrm_records,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: matcher is NULL or live with no other access during the call; left and
        // right are NULL or live tables (this function's contract).
        let (matcher, left, right) = unsafe {
            (
                mut_arg(matcher, "matcher")?,
                ref_arg(left, "left")?,
                ref_arg(right, "right")?,
            )
        };
        // Fit a copy and keep it only on success, so that a failure (or a panic) leaves the
        // matcher as it was.
        let mut fitted = matcher.inner.clone();
        fitted.fit(left.get(), right.get())?;
        matcher.inner = fitted;
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Fits the matcher for deduplicating `records` (pairs within one table); otherwise as
/// `scrm_matcher_fit`.
///
/// On failure the matcher is unchanged. Thread safety: changes the matcher; no other call may
/// use `matcher` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher` or `records`), `SCRM_STATUS_INVALID_ARGUMENT`
/// (a configured field is not a column of the table).
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher` not used by another thread during the call;
/// `records` is NULL or a live `scrm_records`; `err_out` is NULL or valid for writing one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_fit_dedupe(
    matcher: *mut scrm_matcher,
    records: *const scrm_records,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: matcher is NULL or live with no other access during the call; records is
        // NULL or a live table (this function's contract).
        let (matcher, records) =
            unsafe { (mut_arg(matcher, "matcher")?, ref_arg(records, "records")?) };
        let mut fitted = matcher.inner.clone();
        fitted.fit_dedupe(records.get())?;
        matcher.inner = fitted;
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Links the records of `left` to those of `right`: every candidate pair whose match
/// probability is at least `threshold` (in `0.0 ..= 1.0`; 0.5 is a sensible start, higher
/// for fewer false links). With `one_to_one`, each record is linked at most once, the most
/// probable pairs first (for two tables without internal duplicates). Must-link assertions
/// add their pairs; no-link assertions remove theirs. Needs a fitted matcher.
///
/// On success `*out` receives a new `scrm_links` (possibly empty) that the caller owns and
/// frees with `scrm_links_free`. The result does not depend on the number of threads.
///
/// Thread safety: reads the matcher: any number of threads may link with the same matcher at
/// once (but not while another thread fits or changes it).
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher`, `left`, `right` or `out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`threshold` NaN or outside `0 ..= 1`; a configured field is
/// not a column), `SCRM_STATUS_NOT_FITTED`.
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher`; `left` and `right` are NULL or live
/// `scrm_records`; `out` is NULL or valid for writing one pointer; `err_out` is NULL or valid
/// for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_link(
    matcher: *const scrm_matcher,
    left: *const scrm_records,
    right: *const scrm_records,
    threshold: f64,
    one_to_one: bool,
    out: *mut *mut scrm_links,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: the handles are NULL or live and not changed during the call (this
        // function's contract).
        let (matcher, left, right) = unsafe {
            (
                ref_arg(matcher, "matcher")?,
                ref_arg(left, "left")?,
                ref_arg(right, "right")?,
            )
        };
        let out = out_arg(out, "out")?;
        let result = matcher
            .inner
            .link(left.get(), right.get(), threshold, one_to_one)?;
        let links = scrm_links::new(result.links, result.stats);
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, links) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Finds duplicates within `records`: the pairs whose match probability is at least
/// `threshold` (in `0.0 ..= 1.0`), and clusters built from them, with a guard against chaining
/// (A~B and B~C do not merge A and C unless the clusters' pairs reach
/// `cluster_min_average_probability` on average; clusters stop at `max_cluster_size`).
/// Assertions apply. Needs a fitted matcher (`scrm_matcher_fit_dedupe`).
///
/// On success `*pairs_out` receives the duplicate pairs (`left_id` is the earlier record in
/// table order) and `*clusters_out` every record with its cluster; the caller owns both and
/// frees them with `scrm_links_free` and `scrm_clusters_free`. Neither is written on failure.
///
/// Thread safety: reads the matcher: any number of threads may call this at once.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher`, `records`, `pairs_out` or `clusters_out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`threshold` NaN or outside `0 ..= 1`; a configured field is
/// not a column), `SCRM_STATUS_NOT_FITTED`.
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher`; `records` is NULL or a live `scrm_records`;
/// `pairs_out` and `clusters_out` are NULL or valid for writing one pointer each; `err_out` is
/// NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_dedupe(
    matcher: *const scrm_matcher,
    records: *const scrm_records,
    threshold: f64,
    pairs_out: *mut *mut scrm_links,
    clusters_out: *mut *mut scrm_clusters,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: the handles are NULL or live and not changed during the call (this
        // function's contract).
        let (matcher, records) =
            unsafe { (ref_arg(matcher, "matcher")?, ref_arg(records, "records")?) };
        let pairs_out = out_arg(pairs_out, "pairs_out")?;
        let clusters_out = out_arg(clusters_out, "clusters_out")?;
        let result = matcher.inner.dedupe(records.get(), threshold)?;
        let pairs = scrm_links::new(result.pairs, result.stats);
        let clusters = scrm_clusters::new(result.clusters);
        // SAFETY: both are not NULL and valid for writes (this function's contract).
        unsafe {
            write_boxed(pairs_out, pairs);
            write_boxed(clusters_out, clusters);
        }
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Explains the score of the pair (`left_id` of `left`, `right_id` of `right`), whether or not
/// it would be linked: per comparison the two values, the level they fall into, m, u and the
/// weight of evidence; the prior; the blocking rules under which the pair is a candidate; any
/// assertion. `format` chooses text (`SCRM_EXPLAIN_FORMAT_TEXT`) or JSON
/// (`SCRM_EXPLAIN_FORMAT_JSON`); both name every field. For a deduplication pass the same table
/// as `left` and `right`.
///
/// The ids are UTF-8 `(pointer, length)` pairs. On success `*out` receives a new string that
/// the caller owns and frees with `scrm_string_free`. Thread safety: reads the matcher.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher`, `left`, `right`, `out`, or an id NULL with a
/// non-zero length), `SCRM_STATUS_INVALID_UTF8`, `SCRM_STATUS_UNKNOWN_ID` (an id is not in its
/// table; the message names it), `SCRM_STATUS_CONSENT_REQUIRED` (the configuration has a
/// `consent_field` and the left record, or for a deduplication either record, has not
/// granted consent), `SCRM_STATUS_NOT_FITTED`,
/// `SCRM_STATUS_INVALID_ARGUMENT` (unknown `format`; a configured field is not a column).
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher`; `left` and `right` are NULL or live
/// `scrm_records`; `left_id`/`right_id` are NULL or point to `left_id_len`/`right_id_len`
/// readable bytes; `out` is NULL or valid for writing one pointer; `err_out` is NULL or valid
/// for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_explain(
    matcher: *const scrm_matcher,
    left: *const scrm_records,
    left_id: *const c_char,
    left_id_len: usize,
    right: *const scrm_records,
    right_id: *const c_char,
    right_id_len: usize,
    format: scrm_explain_format,
    out: *mut *mut scrm_string,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: the handles are NULL or live and not changed during the call; the ids are
        // NULL or readable (this function's contract); the borrows end with this call.
        let (matcher, left, left_id, right, right_id) = unsafe {
            (
                ref_arg(matcher, "matcher")?,
                ref_arg(left, "left")?,
                str_arg(left_id, left_id_len, "left_id")?,
                ref_arg(right, "right")?,
                str_arg(right_id, right_id_len, "right_id")?,
            )
        };
        let out = out_arg(out, "out")?;
        let explanation = matcher
            .inner
            .explain(left.get(), left_id, right.get(), right_id)?;
        let text = render_explanation(&explanation, format)?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, text) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Shared body of the two assertion functions.
///
/// # Safety
///
/// As for `scrm_matcher_assert_must_link`.
unsafe fn assert_pair(
    matcher: *mut scrm_matcher,
    left_id: *const c_char,
    left_id_len: usize,
    right_id: *const c_char,
    right_id_len: usize,
    must_link: bool,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: matcher is NULL or live with no other access during the call; the ids are
        // NULL or readable (forwarded contract).
        let (matcher, left_id, right_id) = unsafe {
            (
                mut_arg(matcher, "matcher")?,
                str_arg(left_id, left_id_len, "left_id")?,
                str_arg(right_id, right_id_len, "right_id")?,
            )
        };
        if must_link {
            matcher.inner.assert_must_link(left_id, right_id);
        } else {
            matcher.inner.assert_no_link(left_id, right_id);
        }
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (forwarded contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Asserts that the left record `left_id` and the right record `right_id` are the same entity
/// (a decision by a person, a confirmed customer login, ...): `scrm_matcher_link` and
/// `scrm_matcher_dedupe` link them whatever the model says (`scrm_link.asserted` is true), and
/// the match index puts them in one cluster. Replaces a no-link assertion on the same pair.
/// Assertions are saved by `scrm_matcher_to_json`. For deduplication, `left_id` and `right_id`
/// are two ids of the same table (in either order). Ids need not exist in any table yet.
///
/// Thread safety: changes the matcher; no other call may use `matcher` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher`, or an id NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher` not used by another thread during the call;
/// `left_id`/`right_id` are NULL or point to `left_id_len`/`right_id_len` readable bytes;
/// `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_assert_must_link(
    matcher: *mut scrm_matcher,
    left_id: *const c_char,
    left_id_len: usize,
    right_id: *const c_char,
    right_id_len: usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    // SAFETY: forwarded contract.
    unsafe {
        assert_pair(
            matcher,
            left_id,
            left_id_len,
            right_id,
            right_id_len,
            true,
            err_out,
        )
    }
}

/// Asserts that the left record `left_id` and the right record `right_id` are different
/// entities: they are never linked, clustered or assigned to each other, whatever the model
/// says. Replaces a must-link assertion on the same pair. Otherwise as
/// `scrm_matcher_assert_must_link`.
///
/// Thread safety: changes the matcher; no other call may use `matcher` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher`, or an id NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// As for `scrm_matcher_assert_must_link`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_assert_no_link(
    matcher: *mut scrm_matcher,
    left_id: *const c_char,
    left_id_len: usize,
    right_id: *const c_char,
    right_id_len: usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    // SAFETY: forwarded contract.
    unsafe {
        assert_pair(
            matcher,
            left_id,
            left_id_len,
            right_id,
            right_id_len,
            false,
            err_out,
        )
    }
}

/// Frees the prepared records, candidate pairs and comparisons that the last
/// `scrm_matcher_fit` kept so that `scrm_matcher_link` and `scrm_matcher_dedupe` on the same
/// records need not compare again. Results do not change: the next call on those records
/// compares afresh. Use it when a fitted matcher is kept (to save it, say) but not linked
/// with. `scrm_matcher_forget` and the next fit do it too.
///
/// Thread safety: changes the matcher; no other call may use `matcher` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher` NULL).
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher` not used by another thread during the call;
/// `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_clear_cache(
    matcher: *mut scrm_matcher,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: matcher is NULL or live with no other access during the call (this
        // function's contract).
        let matcher = unsafe { mut_arg(matcher, "matcher")? };
        matcher.inner.clear_cache();
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Erases what the matcher holds about record `id` (a person exercising the right to be
/// forgotten): every assertion naming the id, the record's values (taken from `records`,
/// the table it was fitted on) from the term-frequency counts, where a count of one would
/// identify the person, and the records the last fit kept prepared. The fitted m- and
/// u-probabilities are aggregates over all pairs and are kept. An id that is not in `records` only loses its assertions. Save the matcher again
/// (`scrm_matcher_to_json`) to erase the id from a stored copy.
///
/// The counts are by value and hold no ids, so each call lowers them once: call it once per
/// record the matcher was fitted on. A record that was never counted (without consent at
/// the fit, or forgotten before) lowers a namesake's count instead.
///
/// On failure the matcher is unchanged. Thread safety: changes the matcher; no other call may
/// use `matcher` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher`, `records`, or `id` NULL with a non-zero
/// length), `SCRM_STATUS_INVALID_UTF8`, `SCRM_STATUS_INVALID_ARGUMENT` (a configured field is
/// not a column of `records`).
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher` not used by another thread during the call;
/// `records` is NULL or a live `scrm_records`; `id` is NULL or points to `id_len` readable
/// bytes; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_forget(
    matcher: *mut scrm_matcher,
    records: *const scrm_records,
    id: *const c_char,
    id_len: usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: matcher is NULL or live with no other access during the call; records is
        // NULL or live; id is NULL or readable (this function's contract).
        let (matcher, records, id) = unsafe {
            (
                mut_arg(matcher, "matcher")?,
                ref_arg(records, "records")?,
                str_arg(id, id_len, "id")?,
            )
        };
        // The core removes assertions before it reads the record; work on a copy so that a
        // failure changes nothing.
        let mut changed = matcher.inner.clone();
        changed.forget(records.get(), id)?;
        matcher.inner = changed;
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Saves the matcher as JSON: configuration, fitted model, term frequencies and assertions, in
/// a versioned format that `scrm_matcher_from_json` reads (in this and later releases). An
/// unfitted matcher saves its configuration. The text contains values from the fitted data (in
/// the term-frequency counts): store it as carefully as the data.
///
/// On success `*out` receives a new string that the caller owns and frees with
/// `scrm_string_free`. Thread safety: reads the matcher.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher` or `out`).
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher`; `out` is NULL or valid for writing one pointer;
/// `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_to_json(
    matcher: *const scrm_matcher,
    out: *mut *mut scrm_string,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: matcher is NULL or live and not changed during the call (this function's
        // contract).
        let matcher = unsafe { ref_arg(matcher, "matcher") }?;
        let out = out_arg(out, "out")?;
        let json = scrm_string::new(matcher.inner.to_json())?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, json) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Loads a matcher saved with `scrm_matcher_to_json` from `json_len` bytes of UTF-8. The loaded
/// matcher gives the same links as the saved one.
///
/// On success `*out` receives a new matcher that the caller owns and frees with
/// `scrm_matcher_free`. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`out`, or `json` NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8`, `SCRM_STATUS_MODEL` (not JSON, truncated, another format,
/// written by a newer version of socialcrm, or a model that does not fit its configuration;
/// the message says which).
///
/// # Safety
///
/// `json` is NULL or points to `json_len` readable bytes; `out` is NULL or valid for writing
/// one pointer; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_from_json(
    json: *const c_char,
    json_len: usize,
    out: *mut *mut scrm_matcher,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let out = out_arg(out, "out")?;
        // SAFETY: json is NULL or points to json_len readable bytes (this function's
        // contract); the borrow ends with this call.
        let json = unsafe { str_arg(json, json_len, "json") }?;
        let matcher = Matcher::from_json(json)?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, scrm_matcher { inner: matcher }) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Whether the matcher has a fitted model (after `scrm_matcher_fit`, `scrm_matcher_fit_dedupe`,
/// or loading a fitted matcher): linking, deduplicating, explaining and building a match index
/// need one (`SCRM_STATUS_NOT_FITTED` otherwise). Returns false if `matcher` is NULL. Thread
/// safety: reads the matcher.
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_is_fitted(matcher: *const scrm_matcher) -> bool {
    ffi_guard_value(false, || {
        // SAFETY: matcher is NULL or a live scrm_matcher (this function's contract).
        unsafe { matcher.as_ref() }.is_some_and(|m| m.inner.model().is_some())
    })
}

/// The name of comparison `comparison` (`0 .. evidence_count`): the name of the configured
/// field at that position, as a borrowed view (UTF-8, not NUL-terminated) valid until the
/// matcher is freed or changed (fit, fit_dedupe, assert_*, forget). Thread safety: reads the
/// matcher.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher`, `ptr_out` or `len_out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`comparison` out of range).
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher`; `ptr_out` and `len_out` are NULL or valid for
/// writes; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_field_name(
    matcher: *const scrm_matcher,
    comparison: usize,
    ptr_out: *mut *const c_char,
    len_out: *mut usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: matcher is NULL or live and not changed during the call (this function's
        // contract).
        let matcher = unsafe { ref_arg(matcher, "matcher") }?;
        let ptr_out = out_arg(ptr_out, "ptr_out")?;
        let len_out = out_arg(len_out, "len_out")?;
        let fields = &matcher.inner.config().fields;
        let field = fields.get(comparison).ok_or_else(|| {
            FfiError::invalid_argument(format!(
                "argument `comparison`: {comparison} is out of range, the matcher has {} fields",
                fields.len()
            ))
        })?;
        // SAFETY: both are not NULL and valid for writes (this function's contract).
        unsafe { write_view(&field.name, ptr_out, len_out) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The label of level `level` of comparison `comparison`, the meaning of the `level` that
/// `scrm_links_evidence` reports: `"missing"` (level 0), `"exact"`, `"jaro-winkler >= 0.94"`,
/// `"day and month swapped"`, ..., `"different"` (the last level). The labels depend on the
/// field's kind. The view (UTF-8, not NUL-terminated) points to static data: it is valid for
/// the life of the process. Thread safety: reads the matcher.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`matcher`, `ptr_out` or `len_out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`comparison` or `level` out of range).
///
/// # Safety
///
/// `matcher` is NULL or a live `scrm_matcher`; `ptr_out` and `len_out` are NULL or valid for
/// writes; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_level_label(
    matcher: *const scrm_matcher,
    comparison: usize,
    level: u8,
    ptr_out: *mut *const c_char,
    len_out: *mut usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: matcher is NULL or live and not changed during the call (this function's
        // contract).
        let matcher = unsafe { ref_arg(matcher, "matcher") }?;
        let ptr_out = out_arg(ptr_out, "ptr_out")?;
        let len_out = out_arg(len_out, "len_out")?;
        let count = matcher.inner.config().fields.len();
        if comparison >= count {
            return Err(FfiError::invalid_argument(format!(
                "argument `comparison`: {comparison} is out of range, the matcher has {count} \
                 fields"
            )));
        }
        let label = level_label(matcher.inner.level_labels(comparison), comparison, level)?;
        // SAFETY: both are not NULL and valid for writes (this function's contract).
        unsafe { write_view(label, ptr_out, len_out) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Label number `level` of a comparison's labels, with the range error of the C functions.
pub(crate) fn level_label(
    labels: &'static [&'static str],
    comparison: usize,
    level: u8,
) -> Result<&'static str, FfiError> {
    labels.get(usize::from(level)).copied().ok_or_else(|| {
        FfiError::invalid_argument(format!(
            "argument `level`: {level} is out of range, comparison {comparison} has {} levels",
            labels.len()
        ))
    })
}

/// Frees a matcher. Accepts NULL (does nothing). Links, clusters, strings and match indexes
/// created with it do not refer to it and stay valid. Must not race with any other use of the
/// matcher.
///
/// # Safety
///
/// `matcher` is NULL or a `scrm_matcher` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_matcher_free(matcher: *mut scrm_matcher) {
    // SAFETY: matcher is NULL or a live scrm_matcher freed only here (this function's
    // contract).
    ffi_guard_value((), || unsafe { free_boxed(matcher) })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::links::{scrm_clusters_free, scrm_links_free};
    use crate::records::scrm_records_free;
    use crate::records::tests::table;
    use crate::status::{
        SCRM_STATUS_MODEL, SCRM_STATUS_NOT_FITTED, SCRM_STATUS_OK, SCRM_STATUS_UNKNOWN_ID,
    };
    use std::ptr;

    const _: () = {
        const fn send_sync<T: Send + Sync>() {}
        // The header promises that threads may share a matcher for reading.
        send_sync::<scrm_matcher>();
    };

    pub(crate) const CONFIG: &str = r#"{
        "fields": [
            {"name": "first_name", "kind": "name"},
            {"name": "last_name", "kind": "name"},
            {"name": "dob", "kind": "date"}
        ],
        "blocking": ["last_name:phonetic", "dob"],
        "u_sample_pairs": 2000
    }"#;

    pub(crate) fn new_matcher() -> *mut scrm_matcher {
        let mut m = ptr::null_mut();
        // SAFETY: valid buffer and out-pointer.
        let status = unsafe {
            scrm_matcher_new(
                CONFIG.as_ptr().cast(),
                CONFIG.len(),
                &mut m,
                ptr::null_mut(),
            )
        };
        assert_eq!(status, SCRM_STATUS_OK);
        m
    }

    pub(crate) fn people() -> *mut scrm_records {
        table(
            &["first_name", "last_name", "dob"],
            &[
                ("a", &[Some("Jan"), Some("de Vries"), Some("1982-03-14")]),
                ("b", &[Some("Petra"), Some("Müller"), Some("1975-11-02")]),
                ("c", &[Some("Anna"), Some("Schmidt"), Some("1990-01-30")]),
                ("d", &[Some("Petra"), Some("Mueller"), Some("02.11.1975")]),
                ("e", &[Some("Lukas"), Some("Weber"), None]),
            ],
        )
    }

    #[test]
    fn fit_dedupe_save_load() {
        let m = new_matcher();
        let t = people();
        // SAFETY: live handles, valid out-pointers; everything is freed at the end.
        unsafe {
            let (mut pairs, mut clusters) = (ptr::null_mut(), ptr::null_mut());
            assert_eq!(
                scrm_matcher_dedupe(m, t, 0.5, &mut pairs, &mut clusters, ptr::null_mut()),
                SCRM_STATUS_NOT_FITTED
            );
            assert_eq!(
                scrm_matcher_fit_dedupe(m, t, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            assert_eq!(
                scrm_matcher_dedupe(m, t, 0.5, &mut pairs, &mut clusters, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            scrm_links_free(pairs);
            scrm_clusters_free(clusters);

            let mut json = ptr::null_mut();
            assert_eq!(
                scrm_matcher_to_json(m, &mut json, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            let text = std::str::from_utf8((*json).as_bytes()).unwrap().to_owned();
            crate::string::scrm_string_free(json);
            let mut loaded = ptr::null_mut();
            assert_eq!(
                scrm_matcher_from_json(
                    text.as_ptr().cast(),
                    text.len(),
                    &mut loaded,
                    ptr::null_mut()
                ),
                SCRM_STATUS_OK
            );
            assert_eq!((*loaded).inner.to_json(), text);
            scrm_matcher_free(loaded);
            let cut = &text[..text.len() / 2];
            assert_eq!(
                scrm_matcher_from_json(
                    cut.as_ptr().cast(),
                    cut.len(),
                    &mut loaded,
                    ptr::null_mut()
                ),
                SCRM_STATUS_MODEL
            );

            let mut s = ptr::null_mut();
            assert_eq!(
                scrm_matcher_explain(
                    m,
                    t,
                    c"b".as_ptr(),
                    1,
                    t,
                    c"zz".as_ptr(),
                    2,
                    SCRM_EXPLAIN_FORMAT_TEXT,
                    &mut s,
                    ptr::null_mut()
                ),
                SCRM_STATUS_UNKNOWN_ID
            );
            assert_eq!(
                scrm_matcher_explain(
                    m,
                    t,
                    c"b".as_ptr(),
                    1,
                    t,
                    c"d".as_ptr(),
                    1,
                    SCRM_EXPLAIN_FORMAT_JSON,
                    &mut s,
                    ptr::null_mut()
                ),
                SCRM_STATUS_OK
            );
            let json = std::str::from_utf8((*s).as_bytes()).unwrap();
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(value["fields"][1]["comparison"], "last_name");
            crate::string::scrm_string_free(s);
            scrm_records_free(t);
            scrm_matcher_free(m);
        }
    }

    #[test]
    fn level_labels_and_field_names() {
        let m = new_matcher();
        let (mut p, mut n) = (ptr::null(), 0_usize);
        // SAFETY: live matcher, valid out-pointers; views are read while it lives.
        unsafe {
            assert_eq!(
                scrm_matcher_field_name(m, 2, &mut p, &mut n, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            assert_eq!(std::slice::from_raw_parts(p.cast::<u8>(), n), b"dob");
            assert_eq!(
                scrm_matcher_level_label(m, 0, 0, &mut p, &mut n, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            assert_eq!(std::slice::from_raw_parts(p.cast::<u8>(), n), b"missing");
            assert_ne!(
                scrm_matcher_level_label(m, 3, 0, &mut p, &mut n, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            assert_ne!(
                scrm_matcher_level_label(m, 0, 200, &mut p, &mut n, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            scrm_matcher_free(m);
        }
    }
}
