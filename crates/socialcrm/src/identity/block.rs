//! Blocking: which pairs are compared at all.
//!
//! Comparing every left record with every right record is quadratic. A blocking rule gives
//! each record a few keys; only pairs that share a key under at least one rule become
//! *candidate pairs*. Rules are a union: a pair missed by one rule (a typo in the surname) is
//! still found by another (same date of birth).
//!
//! Keys are 64-bit hashes. A hash collision can only add a candidate pair, never lose one,
//! and the pair is then scored like any other.
//!
//! Very large blocks (a key shared by thousands of records on each side, like a common
//! surname) would dominate the cost while adding mostly non-matches; a block with more than
//! `max_block_pairs` pairs is skipped and reported, so the caller can refine the rule.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use rayon::prelude::*;
use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::identity::table::NONE;

/// How one field contributes to a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyTransform {
    /// The normalised value itself (each value, for multi-valued fields such as e-mails).
    Exact,
    /// The first `n` characters of the normalised value.
    Prefix(u8),
    /// A phonetic code (Cologne phonetics or Double Metaphone); name fields only.
    Phonetic,
    /// The first character of the normalised value.
    Initial,
    /// The year of a date.
    Year,
}

/// One part of a blocking rule: a field and how its value becomes a key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KeyPart {
    /// The field name.
    pub field: String,
    /// The transform applied to the field's normalised value.
    pub transform: KeyTransform,
}

/// A blocking rule: records that agree on *all* of its parts become candidate pairs.
///
/// Written as text: parts separated by `+`, each `field` or `field:transform` with transforms
/// `exact`, `prefixN` (N = 1..=32), `phonetic`, `initial`, `year`.
///
/// ```
/// use socialcrm::identity::BlockingRule;
/// let rule: BlockingRule = "surname:phonetic+given_name:initial".parse()?;
/// assert_eq!(rule.parts.len(), 2);
/// assert_eq!(rule.to_string(), "surname:phonetic+given_name:initial");
/// # Ok::<(), socialcrm::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BlockingRule {
    /// The parts, all of which must agree.
    pub parts: Vec<KeyPart>,
}

impl BlockingRule {
    /// A rule of exact agreement on each of `fields`.
    pub fn exact<I, S>(fields: I) -> BlockingRule
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        BlockingRule {
            parts: fields
                .into_iter()
                .map(|f| KeyPart {
                    field: f.into(),
                    transform: KeyTransform::Exact,
                })
                .collect(),
        }
    }
}

impl FromStr for BlockingRule {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let mut parts = Vec::new();
        for part in s.split('+').map(str::trim) {
            let (field, transform) = part.split_once(':').unwrap_or((part, "exact"));
            if field.is_empty() {
                return Err(Error::InvalidArgument(format!(
                    "blocking rule {s:?} has an empty field name"
                )));
            }
            let transform = match transform.trim() {
                "exact" => KeyTransform::Exact,
                "phonetic" => KeyTransform::Phonetic,
                "initial" => KeyTransform::Initial,
                "year" => KeyTransform::Year,
                t => match t.strip_prefix("prefix").map(str::parse::<u8>) {
                    Some(Ok(n)) if (1..=32).contains(&n) => KeyTransform::Prefix(n),
                    _ => {
                        return Err(Error::InvalidArgument(format!(
                            "unknown blocking transform {t:?} in {s:?}; expected exact, prefixN (N = 1..=32), phonetic, initial or year"
                        )));
                    }
                },
            };
            parts.push(KeyPart {
                field: field.to_owned(),
                transform,
            });
        }
        Ok(BlockingRule { parts })
    }
}

impl fmt::Display for BlockingRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                f.write_str("+")?;
            }
            f.write_str(&p.field)?;
            match p.transform {
                KeyTransform::Exact => {}
                KeyTransform::Prefix(n) => write!(f, ":prefix{n}")?,
                KeyTransform::Phonetic => f.write_str(":phonetic")?,
                KeyTransform::Initial => f.write_str(":initial")?,
                KeyTransform::Year => f.write_str(":year")?,
            }
        }
        Ok(())
    }
}

/// What blocking produced, per rule and in total.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BlockingStats {
    /// Per rule, in rule order.
    pub rules: Vec<RuleStats>,
    /// Distinct candidate pairs after the union of all rules.
    pub candidate_pairs: u64,
    /// All possible pairs (left × right, or n(n−1)/2 for deduplication).
    pub possible_pairs: u64,
    /// Estimated share of true matches that are among the candidates, when a model has
    /// scored them: 1 − Π(1 − rᵢ) where rᵢ is the share of predicted matches that rule i
    /// finds (assumes rules miss matches independently).
    pub estimated_recall: Option<f64>,
}

/// Blocking figures of one rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleStats {
    /// The rule as text.
    pub rule: String,
    /// Pairs this rule produced (before the union removed pairs found by several rules).
    pub pairs: u64,
    /// Keys whose block exceeded the size limit and were skipped.
    pub skipped_keys: u64,
    /// Pairs in the skipped blocks.
    pub skipped_pairs: u64,
    /// Share of the predicted matches this rule finds, when a model has scored the pairs.
    pub share_of_matches: Option<f64>,
    /// The skipped keys themselves, sorted: a pair that shares only such a key was not
    /// found by this rule, and the recall estimate must not credit the rule with it.
    #[serde(skip)]
    pub(crate) skipped: Vec<u64>,
}

/// Produces blocking keys for the rows of the two sides. For deduplication both sides are the
/// same table.
pub(crate) trait KeySource: Sync {
    fn rule_count(&self) -> usize;
    fn rule_name(&self, rule: usize) -> String;
    fn left_rows(&self) -> usize;
    fn right_rows(&self) -> usize;
    /// Appends the keys of a left row under `rule` (none when a needed value is missing).
    fn left_keys(&self, rule: usize, row: u32, out: &mut Vec<u64>);
    fn right_keys(&self, rule: usize, row: u32, out: &mut Vec<u64>);
}

/// Hashes any hashable key material into a 64-bit blocking key, salted by the rule so that
/// different rules never share keys.
pub(crate) fn key_hash<T: Hash + ?Sized>(rule: usize, material: &T) -> u64 {
    let mut h = FxHasher::default();
    rule.hash(&mut h);
    material.hash(&mut h);
    h.finish()
}

/// Packs a pair of row numbers into one sortable integer.
pub(crate) fn pack(left: u32, right: u32) -> u64 {
    (u64::from(left) << 32) | u64::from(right)
}

/// The rows of a packed pair.
pub(crate) fn unpack(pair: u64) -> (u32, u32) {
    ((pair >> 32) as u32, pair as u32)
}

fn keyed_rows(n: usize, keys: impl Fn(u32, &mut Vec<u64>) + Sync) -> Vec<(u64, u32)> {
    let mut out: Vec<(u64, u32)> = (0..n as u32)
        .into_par_iter()
        .fold(
            || (Vec::new(), Vec::new()),
            |(mut acc, mut buf): (Vec<(u64, u32)>, Vec<u64>), row| {
                buf.clear();
                keys(row, &mut buf);
                buf.sort_unstable();
                buf.dedup();
                acc.extend(buf.iter().map(|&k| (k, row)));
                (acc, buf)
            },
        )
        .map(|(acc, _)| acc)
        .reduce(Vec::new, |mut a, mut b| {
            a.append(&mut b);
            a
        });
    out.par_sort_unstable();
    out
}

/// Generates the sorted, distinct candidate pairs of all rules. With `dedupe`, left and right
/// are the same table and only pairs `(i, j)` with `i < j` are produced.
///
/// No global sort: each rule's blocks become, per left row, ranges of partner rows (already
/// in row order), and each left row then merges its few ranges over all rules. The pairs
/// come out sorted because the rows are visited in order, which is several times faster
/// than sorting every rule's pairs and then their union (FEBRL 4: 10–16 ms → 5–7 ms).
/// [`candidates_by_rule`] gives the per-rule lists as well, built the same way.
pub(crate) fn candidate_pairs(
    source: &dyn KeySource,
    dedupe: bool,
    max_block_pairs: u64,
) -> Result<(Vec<u64>, BlockingStats)> {
    let blocks = rule_blocks(source, dedupe, max_block_pairs)?;
    Ok(union_of_blocks(source, dedupe, &blocks))
}

/// Every rule's blocks, rules in parallel (each is a few short parallel passes, too short
/// alone to keep both cores busy).
fn rule_blocks(
    source: &dyn KeySource,
    dedupe: bool,
    max_block_pairs: u64,
) -> Result<Vec<RuleBlocks>> {
    (0..source.rule_count())
        .into_par_iter()
        .map(|rule| RuleBlocks::new(source, rule, dedupe, max_block_pairs))
        .collect()
}

/// The sorted union of the rules' pairs, merged row by row, and the statistics.
fn union_of_blocks(
    source: &dyn KeySource,
    dedupe: bool,
    blocks: &[RuleBlocks],
) -> (Vec<u64>, BlockingStats) {
    let chunks = by_row_chunks(source.left_rows(), |rows| {
        let mut pairs = Vec::new();
        let mut per_rule = vec![0u64; blocks.len()];
        let mut all: Vec<u32> = Vec::new();
        let mut merged: Vec<u32> = Vec::new();
        for row in rows {
            all.clear();
            let mut rules_with_partners = 0;
            for (rule, b) in blocks.iter().enumerate() {
                let partners = b.partners_of(row, &mut merged);
                per_rule[rule] += partners.len() as u64;
                if !partners.is_empty() {
                    all.extend_from_slice(partners);
                    rules_with_partners += 1;
                }
            }
            if rules_with_partners > 1 {
                all.sort_unstable();
                all.dedup();
            }
            pairs.extend(all.iter().map(|&partner| pack(row, partner)));
        }
        (pairs, per_rule)
    });
    let mut stats = BlockingStats {
        possible_pairs: possible_pairs(source, dedupe),
        rules: blocks.iter().map(|b| b.stats.clone()).collect(),
        ..BlockingStats::default()
    };
    let mut pairs = Vec::with_capacity(chunks.iter().map(|(p, _)| p.len()).sum());
    for (chunk_pairs, per_rule) in chunks {
        pairs.extend_from_slice(&chunk_pairs);
        for (rule_stats, n) in stats.rules.iter_mut().zip(per_rule) {
            rule_stats.pairs += n;
        }
    }
    stats.candidate_pairs = pairs.len() as u64;
    (pairs, stats)
}

/// `per_chunk` over the rows `0..rows` in fixed chunks on all threads, results in row
/// order: the output never depends on the number of threads.
fn by_row_chunks<T: Send>(
    rows: usize,
    per_chunk: impl Fn(std::ops::Range<u32>) -> T + Sync,
) -> Vec<T> {
    const CHUNK: usize = 512;
    (0..rows.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| per_chunk((c * CHUNK) as u32..((c + 1) * CHUNK).min(rows) as u32))
        .collect()
}

fn possible_pairs(source: &dyn KeySource, dedupe: bool) -> u64 {
    if dedupe {
        let n = source.left_rows() as u64;
        n * n.saturating_sub(1) / 2
    } else {
        source.left_rows() as u64 * source.right_rows() as u64
    }
}

/// One rule's blocks seen from the left rows: for each left row, the ranges of `partners`
/// (right rows; for deduplication, the later rows of the same table) that share a key with
/// it, oversized blocks left out.
struct RuleBlocks {
    /// Partner rows, block by block, ascending within a block.
    partners: Vec<u32>,
    /// Row `r`'s ranges are `ranges[range_starts[r]..range_starts[r + 1]]`.
    range_starts: Vec<u32>,
    ranges: Vec<(u32, u32)>,
    /// Skipped keys and pairs; `pairs` is counted by the caller.
    stats: RuleStats,
}

impl RuleBlocks {
    fn new(
        source: &dyn KeySource,
        rule: usize,
        dedupe: bool,
        max_block_pairs: u64,
    ) -> Result<Self> {
        let left = keyed_rows(source.left_rows(), |row, out| {
            source.left_keys(rule, row, out)
        });
        // offsets into the (key, row) lists are u32, to halve the memory of the ranges;
        // beyond that a rule cannot be blocked in one piece
        let fits_u32 = |entries: usize| -> Result<()> {
            if entries < NONE as usize {
                return Ok(());
            }
            Err(Error::InvalidArgument(format!(
                "blocking rule {} gives {entries} (key, row) entries, more than 2^32 - 2: \
                 block on a more selective rule or link the tables in parts",
                source.rule_name(rule)
            )))
        };
        fits_u32(left.len())?;
        let mut stats = RuleStats {
            rule: source.rule_name(rule),
            ..RuleStats::default()
        };
        // (left row, start, end) in key order
        let mut entries: Vec<(u32, u32, u32)> = Vec::new();
        let partners: Vec<u32> = if dedupe {
            let mut start = 0;
            for group in left.chunk_by(|a, b| a.0 == b.0) {
                let n = group.len() as u64;
                let block = n * (n - 1) / 2;
                // below 2^32 - 1: left.len() was checked
                let end = start + group.len() as u32;
                if block > max_block_pairs {
                    stats.skipped_keys += 1;
                    stats.skipped_pairs += block;
                    stats.skipped.push(group[0].0);
                } else {
                    // rows ascend within a block: row i pairs with the rows after it
                    for (i, &(_, row)) in group.iter().enumerate().take(group.len() - 1) {
                        entries.push((row, start + i as u32 + 1, end));
                    }
                }
                start = end;
            }
            left.iter().map(|&(_, row)| row).collect()
        } else {
            let right = keyed_rows(source.right_rows(), |row, out| {
                source.right_keys(rule, row, out)
            });
            fits_u32(right.len())?;
            let mut r = 0;
            for group in left.chunk_by(|a, b| a.0 == b.0) {
                let key = group[0].0;
                while r < right.len() && right[r].0 < key {
                    r += 1;
                }
                let start = r;
                while r < right.len() && right[r].0 == key {
                    r += 1;
                }
                let block = group.len() as u64 * (r - start) as u64;
                if block == 0 {
                    continue;
                }
                if block > max_block_pairs {
                    stats.skipped_keys += 1;
                    stats.skipped_pairs += block;
                    stats.skipped.push(key);
                    continue;
                }
                for &(_, row) in group {
                    // below 2^32 - 1: right.len() was checked
                    entries.push((row, start as u32, r as u32));
                }
            }
            right.iter().map(|&(_, row)| row).collect()
        };
        fits_u32(entries.len())?;
        // group the entries by left row (a counting sort: rows are dense)
        let mut range_starts = vec![0u32; source.left_rows() + 1];
        for &(row, _, _) in &entries {
            range_starts[row as usize + 1] += 1;
        }
        for i in 1..range_starts.len() {
            range_starts[i] += range_starts[i - 1];
        }
        let mut next = range_starts.clone();
        let mut ranges = vec![(0, 0); entries.len()];
        for (row, start, end) in entries {
            ranges[next[row as usize] as usize] = (start, end);
            next[row as usize] += 1;
        }
        Ok(RuleBlocks {
            partners,
            range_starts,
            ranges,
            stats,
        })
    }

    /// This rule's pairs, sorted and distinct: row by row, so no sort of the whole list.
    fn pairs(&self, rows: usize) -> Vec<u64> {
        let chunks = by_row_chunks(rows, |rows| {
            let mut pairs = Vec::new();
            let mut merged = Vec::new();
            for row in rows {
                let partners = self.partners_of(row, &mut merged);
                pairs.extend(partners.iter().map(|&p| pack(row, p)));
            }
            pairs
        });
        let mut pairs = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        for chunk in chunks {
            pairs.extend_from_slice(&chunk);
        }
        pairs
    }

    /// The partners of `row` under this rule, ascending and distinct: one block's rows as
    /// they are, several blocks' merged in `merged`.
    fn partners_of<'a>(&'a self, row: u32, merged: &'a mut Vec<u32>) -> &'a [u32] {
        match *self.ranges_of(row) {
            [] => &[],
            // one block: its rows ascend and are distinct already
            [(start, end)] => self.partners(start, end),
            ref ranges => {
                merged.clear();
                for &(start, end) in ranges {
                    merged.extend_from_slice(self.partners(start, end));
                }
                merged.sort_unstable();
                merged.dedup();
                merged
            }
        }
    }

    fn ranges_of(&self, row: u32) -> &[(u32, u32)] {
        let row = row as usize;
        &self.ranges[self.range_starts[row] as usize..self.range_starts[row + 1] as usize]
    }

    fn partners(&self, start: u32, end: u32) -> &[u32] {
        &self.partners[start as usize..end as usize]
    }
}

/// The candidate pairs of each rule separately (each sorted and distinct), their sorted
/// union, and statistics (`candidate_pairs` is the size of the union).
pub(crate) fn candidates_by_rule(
    source: &dyn KeySource,
    dedupe: bool,
    max_block_pairs: u64,
) -> Result<(Vec<Vec<u64>>, Vec<u64>, BlockingStats)> {
    let blocks = rule_blocks(source, dedupe, max_block_pairs)?;
    let per_rule = blocks.iter().map(|b| b.pairs(source.left_rows())).collect();
    let (union, stats) = union_of_blocks(source, dedupe, &blocks);
    Ok((per_rule, union, stats))
}

/// Whether `rule` puts the pair in one block: the two rows share a key that is not among
/// `skipped` (the rule's oversized blocks, [`RuleStats::skipped`]), for the recall estimate
/// and for explanations.
pub(crate) fn rule_covers(
    source: &dyn KeySource,
    rule: usize,
    (left, right): (u32, u32),
    dedupe: bool,
    skipped: &[u64],
) -> bool {
    rule_covers_in(
        source,
        rule,
        (left, right),
        dedupe,
        skipped,
        &mut (Vec::new(), Vec::new()),
    )
}

/// [`rule_covers`] with the key buffers given, for callers that test many pairs.
fn rule_covers_in(
    source: &dyn KeySource,
    rule: usize,
    (left, right): (u32, u32),
    dedupe: bool,
    skipped: &[u64],
    (a, b): &mut (Vec<u64>, Vec<u64>),
) -> bool {
    a.clear();
    b.clear();
    source.left_keys(rule, left, a);
    if a.is_empty() {
        return false;
    }
    if dedupe {
        source.left_keys(rule, right, b);
    } else {
        source.right_keys(rule, right, b);
    }
    a.iter()
        .any(|k| b.contains(k) && skipped.binary_search(k).is_err())
}

/// Fills in the per-rule share of predicted matches and the estimated recall of the union.
/// A rule is credited with a match only when it put the pair in a block it did not skip.
pub(crate) fn estimate_recall(
    source: &dyn KeySource,
    stats: &mut BlockingStats,
    matches: &[(u32, u32)],
    dedupe: bool,
) {
    if matches.is_empty() {
        return;
    }
    let mut missed_by_all = 1.0;
    for (rule, rule_stats) in stats.rules.iter_mut().enumerate() {
        let skipped = &rule_stats.skipped;
        let found = matches
            .par_iter()
            .map_init(
                || (Vec::new(), Vec::new()),
                |buffers, &pair| rule_covers_in(source, rule, pair, dedupe, skipped, buffers),
            )
            .filter(|&covered| covered)
            .count();
        let share = found as f64 / matches.len() as f64;
        rule_stats.share_of_matches = Some(share);
        missed_by_all *= 1.0 - share;
    }
    stats.estimated_recall = Some(1.0 - missed_by_all);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Keys are given directly: `keys[rule][row]`.
    struct Fixed {
        left: Vec<Vec<Vec<u64>>>,
        right: Vec<Vec<Vec<u64>>>,
    }

    impl KeySource for Fixed {
        fn rule_count(&self) -> usize {
            self.left.len()
        }
        fn rule_name(&self, rule: usize) -> String {
            format!("rule{rule}")
        }
        fn left_rows(&self) -> usize {
            self.left[0].len()
        }
        fn right_rows(&self) -> usize {
            self.right[0].len()
        }
        fn left_keys(&self, rule: usize, row: u32, out: &mut Vec<u64>) {
            out.extend(&self.left[rule][row as usize]);
        }
        fn right_keys(&self, rule: usize, row: u32, out: &mut Vec<u64>) {
            out.extend(&self.right[rule][row as usize]);
        }
    }

    #[test]
    fn union_of_rules_is_distinct_and_sorted() {
        let src = Fixed {
            left: vec![
                vec![vec![1], vec![2], vec![]],
                vec![vec![7], vec![8], vec![9]],
            ],
            right: vec![vec![vec![1], vec![1, 2]], vec![vec![7], vec![9]]],
        };
        let (pairs, stats) = candidate_pairs(&src, false, 1000).unwrap();
        let unpacked: Vec<_> = pairs.iter().map(|&p| unpack(p)).collect();
        assert_eq!(unpacked, [(0, 0), (0, 1), (1, 1), (2, 1)]);
        assert_eq!(stats.rules[0].pairs, 3);
        assert_eq!(stats.rules[1].pairs, 2);
        assert_eq!(stats.candidate_pairs, 4);
        assert_eq!(stats.possible_pairs, 6);
    }

    #[test]
    fn dedupe_pairs_each_once_and_oversized_blocks_are_skipped() {
        let src = Fixed {
            left: vec![vec![vec![5], vec![5], vec![5], vec![6], vec![6]]],
            right: vec![vec![]],
        };
        let (pairs, stats) = candidate_pairs(&src, true, 2).unwrap();
        // the block of key 5 has 3 pairs > 2: skipped; key 6 gives (3, 4)
        assert_eq!(
            pairs.iter().map(|&p| unpack(p)).collect::<Vec<_>>(),
            [(3, 4)]
        );
        assert_eq!(stats.rules[0].skipped_keys, 1);
        assert_eq!(stats.rules[0].skipped_pairs, 3);
        assert_eq!(stats.possible_pairs, 10);
    }

    #[test]
    fn recall_estimate_does_not_credit_a_rule_with_its_skipped_blocks() {
        // rule 0: key 5 is shared by 3 × 1 rows (block of 3 > 2, skipped); rule 1 finds
        // the pair (0, 0) on its own
        let src = Fixed {
            left: vec![
                vec![vec![5], vec![5], vec![5]],
                vec![vec![7], vec![], vec![]],
            ],
            right: vec![vec![vec![5]], vec![vec![7]]],
        };
        let (pairs, mut stats) = candidate_pairs(&src, false, 2).unwrap();
        assert_eq!(
            pairs.iter().map(|&p| unpack(p)).collect::<Vec<_>>(),
            [(0, 0)]
        );
        estimate_recall(&src, &mut stats, &[(0, 0)], false);
        assert_eq!(stats.rules[0].share_of_matches, Some(0.0));
        assert_eq!(stats.rules[1].share_of_matches, Some(1.0));
        assert_eq!(stats.estimated_recall, Some(1.0));
    }

    #[test]
    fn recall_estimate_combines_rules() {
        let src = Fixed {
            left: vec![vec![vec![1], vec![2]], vec![vec![3], vec![4]]],
            right: vec![vec![vec![1], vec![9]], vec![vec![0], vec![4]]],
        };
        let (_, mut stats) = candidate_pairs(&src, false, 100).unwrap();
        estimate_recall(&src, &mut stats, &[(0, 0), (1, 1)], false);
        assert_eq!(stats.rules[0].share_of_matches, Some(0.5));
        assert_eq!(stats.rules[1].share_of_matches, Some(0.5));
        assert_eq!(stats.estimated_recall, Some(0.75));
    }

    /// Keys for `rows` rows under `rules` rules: up to three keys per row from a small key
    /// space, so blocks overlap, rows repeat keys and some blocks are oversized.
    fn key_table(rules: usize, rows: usize) -> impl Strategy<Value = Vec<Vec<Vec<u64>>>> {
        prop::collection::vec(
            prop::collection::vec(prop::collection::vec(0u64..6, 0..=3), rows),
            rules,
        )
    }

    proptest! {
        /// Blocking gives exactly the pairs a brute-force reading of the rules gives: per
        /// rule, the pairs of rows that share a key whose block is not oversized; their
        /// union; and the same per-rule figures (pairs, skipped keys and pairs).
        #[test]
        fn pairs_and_figures_equal_a_brute_force_reading_of_the_rules(
            (left, right) in (1usize..4, 0usize..30, 0usize..30).prop_flat_map(
                |(rules, l, r)| (key_table(rules, l), key_table(rules, r))
            ),
            dedupe in any::<bool>(),
            max_block_pairs in 1u64..40,
        ) {
            let src = Fixed { left: left.clone(), right: right.clone() };
            let (per_rule, union, by_rule_stats) =
                candidates_by_rule(&src, dedupe, max_block_pairs).unwrap();
            let (pairs, stats) = candidate_pairs(&src, dedupe, max_block_pairs).unwrap();
            prop_assert_eq!(&pairs, &union);
            prop_assert_eq!(&stats, &by_rule_stats);
            let mut all = std::collections::BTreeSet::new();
            for (rule, got) in per_rule.iter().enumerate() {
                // brute force: every key's rows on each side, its block size, then pairs
                let rows_of = |side: &Vec<Vec<Vec<u64>>>| {
                    let mut by_key: std::collections::BTreeMap<u64, std::collections::BTreeSet<u32>> =
                        Default::default();
                    for (row, keys) in side[rule].iter().enumerate() {
                        for &k in keys {
                            by_key.entry(k).or_default().insert(row as u32);
                        }
                    }
                    by_key
                };
                let l = rows_of(&left);
                let r = if dedupe { l.clone() } else { rows_of(&right) };
                let mut want = std::collections::BTreeSet::new();
                let (mut skipped_keys, mut skipped_pairs) = (0, 0);
                for (key, ls) in &l {
                    let Some(rs) = r.get(key) else { continue };
                    let n = ls.len() as u64;
                    let block = if dedupe { n * (n - 1) / 2 } else { n * rs.len() as u64 };
                    if block > max_block_pairs {
                        skipped_keys += 1;
                        skipped_pairs += block;
                        continue;
                    }
                    for &a in ls {
                        for &b in rs {
                            if !dedupe || a < b {
                                want.insert(pack(a, b));
                            }
                        }
                    }
                }
                prop_assert_eq!(got, &want.iter().copied().collect::<Vec<_>>(), "rule {}", rule);
                prop_assert_eq!(stats.rules[rule].pairs, want.len() as u64);
                prop_assert_eq!(stats.rules[rule].skipped_keys, skipped_keys);
                prop_assert_eq!(stats.rules[rule].skipped_pairs, skipped_pairs);
                // the recall estimate's test of one pair agrees with the rule's pairs: a
                // pair that shares only a key of a skipped block is not the rule's
                let right_rows = if dedupe { left[rule].len() } else { right[rule].len() };
                for a in 0..left[rule].len() as u32 {
                    for b in 0..right_rows as u32 {
                        if dedupe && a >= b {
                            continue;
                        }
                        let covered =
                            rule_covers(&src, rule, (a, b), dedupe, &stats.rules[rule].skipped);
                        prop_assert_eq!(covered, want.contains(&pack(a, b)), "rule {} pair ({}, {})", rule, a, b);
                    }
                }
                all.extend(want);
            }
            prop_assert_eq!(pairs, all.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn rules_parse_and_print() {
        for text in [
            "surname",
            "surname:phonetic+given_name:initial",
            "dob:year+postcode:prefix3",
        ] {
            let rule: BlockingRule = text.parse().unwrap();
            assert_eq!(rule.to_string(), text);
        }
        assert!("x:prefix0".parse::<BlockingRule>().is_err());
        assert!(
            "x:soundslike"
                .parse::<BlockingRule>()
                .unwrap_err()
                .to_string()
                .contains("expected exact")
        );
        assert!(":exact".parse::<BlockingRule>().is_err());
    }
}
