//! Results of matching: `scrm_links` (linked or duplicate pairs with their evidence) and
//! `scrm_clusters` (the clusters of a deduplication).

use std::ffi::c_char;

use socialcrm_core::identity::{BlockingStats, ClusterMember, Link};

use crate::args::{free_boxed, item, out_arg, ref_arg, view_parts};
use crate::error::scrm_error;
use crate::guard::{ffi_guard, ffi_guard_value};
use crate::status::scrm_status;

/// Pairs of records that the matcher linked: the result of `scrm_matcher_link`, the duplicate
/// pairs of `scrm_matcher_dedupe`, and contact–profile links of `scrm_social_linker_link` and
/// `scrm_link_social`.
///
/// Read it with `scrm_links_len`, `scrm_links_get` (one `scrm_link` per pair),
/// `scrm_links_evidence` (the evidence of each comparison) and `scrm_links_stats` (what
/// blocking produced). Pairs are ordered by the row of the left record, then of the right
/// record (for `scrm_matcher_link`: the order of the `left` table, then of `right`).
///
/// The caller owns it and frees it with `scrm_links_free`; the id views it hands out point into
/// it and are valid until then. It is immutable: any number of threads may read it at once.
pub struct scrm_links {
    links: Vec<Link>,
    stats: BlockingStats,
}

impl scrm_links {
    pub(crate) fn new(links: Vec<Link>, stats: BlockingStats) -> scrm_links {
        scrm_links { links, stats }
    }
}

/// One linked pair, as filled in by `scrm_links_get`.
///
/// The id members are borrowed views into the `scrm_links` (UTF-8, not NUL-terminated: print
/// with `printf("%.*s", (int)left_id_len, left_id)`), valid until `scrm_links_free`. The other
/// members are plain values.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct scrm_link {
    /// The id of the left record (for social linking: the contact).
    pub left_id: *const c_char,
    /// The length of `left_id` in bytes.
    pub left_id_len: usize,
    /// The id of the right record (for social linking: the profile; for deduplication: the
    /// later record of the pair).
    pub right_id: *const c_char,
    /// The length of `right_id` in bytes.
    pub right_id_len: usize,
    /// The posterior probability that the two records are the same entity, in `0.0 ..= 1.0`
    /// (1.0 for a pair linked by a must-link assertion). For social links it also weighs
    /// the pair's rivals (other contacts matching the same profile, other profiles on the
    /// same platform matching the same contact), so it is not a function of
    /// `match_weight` alone.
    pub match_probability: f64,
    /// The evidence in bits: the log2-odds of a match, the prior weight plus the weight of
    /// every comparison (for an asserted pair, what the model alone says).
    pub match_weight: f64,
    /// The pair is linked because of a must-link assertion
    /// (`scrm_matcher_assert_must_link`, `scrm_social_linker_assert_must_link`).
    pub asserted: bool,
    /// The number of comparisons with evidence (`scrm_links_evidence`): the number of fields
    /// of the matcher, or of the social linker's comparisons.
    pub evidence_count: usize,
}

/// What blocking produced for a `scrm_links`, as filled in by `scrm_links_stats`. A plain
/// value.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct scrm_blocking_stats {
    /// Distinct candidate pairs that were scored (the union of all blocking rules).
    pub candidate_pairs: u64,
    /// All possible pairs: left × right, or n(n−1)/2 for deduplication.
    pub possible_pairs: u64,
    /// Pairs in blocks larger than `max_block_pairs`, which were skipped (a blocking rule that
    /// needs refining); summed over the rules, so a pair may count more than once.
    pub skipped_pairs: u64,
    /// Whether `estimated_recall` holds an estimate.
    pub has_estimated_recall: bool,
    /// The estimated share of true matches among the candidates, in `0.0 ..= 1.0` (assumes
    /// that the rules miss matches independently); 0 when `has_estimated_recall` is false.
    pub estimated_recall: f64,
}

/// The number of pairs in `links`; 0 if `links` is NULL. Thread-safe.
///
/// # Safety
///
/// `links` is NULL or a live `scrm_links`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_links_len(links: *const scrm_links) -> usize {
    ffi_guard_value(0, || {
        // SAFETY: links is NULL or a live scrm_links (this function's contract).
        unsafe { links.as_ref() }.map_or(0, |l| l.links.len())
    })
}

/// Pair number `index` (`0 .. scrm_links_len(links)`). On success `*out` receives the pair;
/// its id views point into `links` and are valid until `scrm_links_free(links)`. Out-parameters
/// are written only on success. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`links` or `out`), `SCRM_STATUS_INVALID_ARGUMENT`
/// (`index` out of range).
///
/// # Safety
///
/// `links` is NULL or a live `scrm_links`; `out` is NULL or valid for writing one `scrm_link`;
/// `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_links_get(
    links: *const scrm_links,
    index: usize,
    out: *mut scrm_link,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: links is NULL or a live, immutable scrm_links (this function's contract).
        let links = unsafe { ref_arg(links, "links") }?;
        let out = out_arg(out, "out")?;
        let link = item(&links.links, index, "links")?;
        let (left_id, left_id_len) = view_parts(Some(&link.left_id));
        let (right_id, right_id_len) = view_parts(Some(&link.right_id));
        let result = scrm_link {
            left_id,
            left_id_len,
            right_id,
            right_id_len,
            match_probability: link.match_probability,
            match_weight: link.match_weight,
            asserted: link.asserted,
            evidence_count: link.evidence.len(),
        };
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { out.write(result) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The evidence of comparison `comparison` (`0 .. evidence_count`) for pair number `index`:
/// `*level_out` receives the comparison level (an index into the comparison's level labels,
/// `scrm_matcher_level_label` or `scrm_social_level_label`; 0 means a value was missing) and
/// `*weight_out` the weight of evidence in bits (positive: for a match; negative: against;
/// 0 when missing), term-frequency adjustment included. Comparisons are in the order of the
/// matcher's fields (`scrm_matcher_field_name`) or of the social comparisons
/// (`scrm_social_comparison_name`). Out-parameters are written only on success. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`links`, `level_out` or `weight_out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`index` or `comparison` out of range).
///
/// # Safety
///
/// `links` is NULL or a live `scrm_links`; `level_out` and `weight_out` are NULL or valid for
/// writes; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_links_evidence(
    links: *const scrm_links,
    index: usize,
    comparison: usize,
    level_out: *mut u8,
    weight_out: *mut f64,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: links is NULL or a live, immutable scrm_links (this function's contract).
        let links = unsafe { ref_arg(links, "links") }?;
        let level_out = out_arg(level_out, "level_out")?;
        let weight_out = out_arg(weight_out, "weight_out")?;
        let link = item(&links.links, index, "links")?;
        let evidence = link.evidence.get(comparison).ok_or_else(|| {
            crate::error::FfiError::invalid_argument(format!(
                "argument `comparison`: {comparison} is out of range, link {index} has {} \
                 comparisons",
                link.evidence.len()
            ))
        })?;
        // SAFETY: both are not NULL and valid for writes (this function's contract).
        unsafe {
            level_out.write(evidence.level);
            weight_out.write(evidence.weight);
        }
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// What blocking produced when `links` was computed: candidate and possible pairs, skipped
/// pairs, and the estimated recall. On success `*out` receives the figures. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`links` or `out`).
///
/// # Safety
///
/// `links` is NULL or a live `scrm_links`; `out` is NULL or valid for writing one
/// `scrm_blocking_stats`; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_links_stats(
    links: *const scrm_links,
    out: *mut scrm_blocking_stats,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: links is NULL or a live, immutable scrm_links (this function's contract).
        let links = unsafe { ref_arg(links, "links") }?;
        let out = out_arg(out, "out")?;
        let stats = &links.stats;
        let result = scrm_blocking_stats {
            candidate_pairs: stats.candidate_pairs,
            possible_pairs: stats.possible_pairs,
            skipped_pairs: stats
                .rules
                .iter()
                .fold(0_u64, |sum, r| sum.saturating_add(r.skipped_pairs)),
            has_estimated_recall: stats.estimated_recall.is_some(),
            estimated_recall: stats.estimated_recall.unwrap_or(0.0),
        };
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { out.write(result) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Frees a `scrm_links`. Accepts NULL (does nothing). After this call every id view obtained
/// from it is dangling. Must not race with readers.
///
/// # Safety
///
/// `links` is NULL or a `scrm_links` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_links_free(links: *mut scrm_links) {
    // SAFETY: links is NULL or a live scrm_links freed only here (this function's contract).
    ffi_guard_value((), || unsafe { free_boxed(links) })
}

/// The clusters of a deduplication (`scrm_matcher_dedupe`): every record of the table with the
/// id of its cluster, in the order of the table. Records that are the same entity share a
/// cluster id, which is the id of the cluster's first record in table order; a record without
/// duplicates is a cluster of its own (its cluster id is its own id).
///
/// Read it with `scrm_clusters_len` and `scrm_clusters_get`. The caller owns it and frees it
/// with `scrm_clusters_free`; the views it hands out are valid until then. Immutable: any
/// number of threads may read it at once.
pub struct scrm_clusters {
    members: Vec<ClusterMember>,
}

impl scrm_clusters {
    pub(crate) fn new(members: Vec<ClusterMember>) -> scrm_clusters {
        scrm_clusters { members }
    }
}

/// One record of a `scrm_clusters`, as filled in by `scrm_clusters_get`. Both members are
/// borrowed views into the `scrm_clusters` (UTF-8, not NUL-terminated), valid until
/// `scrm_clusters_free`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct scrm_cluster_member {
    /// The record's id.
    pub id: *const c_char,
    /// The length of `id` in bytes.
    pub id_len: usize,
    /// The id of the record's cluster: the id of its first record in table order.
    pub cluster_id: *const c_char,
    /// The length of `cluster_id` in bytes.
    pub cluster_id_len: usize,
}

/// The number of records in `clusters` (the number of rows of the deduplicated table); 0 if
/// `clusters` is NULL. Thread-safe.
///
/// # Safety
///
/// `clusters` is NULL or a live `scrm_clusters`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_clusters_len(clusters: *const scrm_clusters) -> usize {
    ffi_guard_value(0, || {
        // SAFETY: clusters is NULL or a live scrm_clusters (this function's contract).
        unsafe { clusters.as_ref() }.map_or(0, |c| c.members.len())
    })
}

/// Record number `index` (`0 .. scrm_clusters_len(clusters)`, table order) with its cluster.
/// On success `*out` receives views into `clusters`, valid until `scrm_clusters_free`.
/// Out-parameters are written only on success. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`clusters` or `out`), `SCRM_STATUS_INVALID_ARGUMENT`
/// (`index` out of range).
///
/// # Safety
///
/// `clusters` is NULL or a live `scrm_clusters`; `out` is NULL or valid for writing one
/// `scrm_cluster_member`; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_clusters_get(
    clusters: *const scrm_clusters,
    index: usize,
    out: *mut scrm_cluster_member,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: clusters is NULL or a live, immutable scrm_clusters (this function's
        // contract).
        let clusters = unsafe { ref_arg(clusters, "clusters") }?;
        let out = out_arg(out, "out")?;
        let member = item(&clusters.members, index, "records")?;
        let (id, id_len) = view_parts(Some(&member.id));
        let (cluster_id, cluster_id_len) = view_parts(Some(&member.cluster_id));
        let result = scrm_cluster_member {
            id,
            id_len,
            cluster_id,
            cluster_id_len,
        };
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { out.write(result) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Frees a `scrm_clusters`. Accepts NULL (does nothing). After this call every view obtained
/// from it is dangling. Must not race with readers.
///
/// # Safety
///
/// `clusters` is NULL or a `scrm_clusters` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_clusters_free(clusters: *mut scrm_clusters) {
    // SAFETY: clusters is NULL or a live scrm_clusters freed only here (this function's
    // contract).
    ffi_guard_value((), || unsafe { free_boxed(clusters) })
}
