//! The generic probabilistic record matcher: configuration, fitting, linking, deduplication,
//! explanations, assertions, and saving.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::{Deserialize, Serialize};

use super::assign::{ClusterGuard, Scored, cluster, one_to_one};
use super::block::{
    BlockingRule, BlockingStats, KeySource, KeyTransform, candidate_pairs, estimate_recall,
    key_hash, pack, rule_covers,
};
use super::engine::{
    FitSettings, PairSpace, Scorer, fit_model, pattern_counts, score_each, score_pairs,
};
use super::fields::{
    self, DATE_DIGITS, DATE_YMD, FieldView, Item, NAME_PHONETIC, PrepareOptions, SubValues,
    level_labels, prepare,
};
use super::kind::FieldKind;
use super::model::{
    FsModel, MAX_COMPARISONS, Pattern, probability_from_weight, read_model_file, read_versioned,
    with_level, write_model_file,
};
use super::normalize::DateOrder;
use super::table::{Column, Interner, NONE, Records, Signature, index32};
use crate::error::{Error, Result};
use crate::records::ConsentStatus;

/// One field of a matcher's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    /// The column name in the input records.
    pub name: String,
    /// What the field holds.
    pub kind: FieldKind,
    /// Adjust exact agreement by how common the value is: agreeing on "Müller" says less
    /// than agreeing on "Oppenheimer". On by default for names (also when deserialised
    /// without this key).
    pub term_frequency: bool,
}

impl<'de> Deserialize<'de> for FieldSpec {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            name: String,
            kind: FieldKind,
            term_frequency: Option<bool>,
        }
        let raw = Raw::deserialize(deserializer)?;
        let mut spec = FieldSpec::new(raw.name, raw.kind);
        if let Some(tf) = raw.term_frequency {
            spec.term_frequency = tf;
        }
        Ok(spec)
    }
}

impl FieldSpec {
    /// A field with the default term-frequency setting for its kind.
    pub fn new(name: impl Into<String>, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            name: name.into(),
            kind,
            term_frequency: kind == FieldKind::Name,
        }
    }
}

/// How a [`Matcher`] works. [`MatcherConfig::new`] gives sensible defaults for everything
/// but the fields and blocking rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatcherConfig {
    /// The fields to compare, in order.
    pub fields: Vec<FieldSpec>,
    /// Blocking rules (a union); none means every pair is compared, which only suits small
    /// tables (`max_block_pairs` still applies).
    pub blocking: Vec<BlockingRule>,
    /// P(match) for a candidate pair; `None` lets EM estimate it.
    pub prior: Option<f64>,
    /// ISO country code for phone numbers without an international prefix.
    pub default_country: Option<String>,
    /// Read "03/04/1982" as 4 March (false, the European default) or 3 April (true).
    pub month_first_dates: bool,
    /// Blocks with more pairs than this are skipped and reported.
    pub max_block_pairs: u64,
    /// Random pairs sampled to initialise u-probabilities. With `estimate_u` (the default)
    /// they only start EM, and 10,000 are plenty; without it they are the final u, and more
    /// (e.g. 1,000,000) give steadier weights for rare levels.
    pub u_sample_pairs: usize,
    /// EM iteration limit.
    pub max_em_iterations: usize,
    /// EM stops when no parameter moves more than this.
    pub em_tolerance: f64,
    /// Re-estimate u among candidate pairs during EM (true, the default), or keep the values
    /// from random sampling.
    pub estimate_u: bool,
    /// Seed of the random pair sample.
    pub seed: u64,
    /// A column of the *left* records holding a consent status (`granted`, `withdrawn`,
    /// `absent`, or another form [`ConsentStatus`] reads; an empty cell is `absent`, any other
    /// value is an error naming the row); when set, left records without granted consent are
    /// neither fitted on (their
    /// values stay out of the term-frequency counts too) nor linked, nor asserted into a link
    /// or explained. A deduplication's table and a [`crate::identity::MatchIndex`]'s records
    /// are left records: a record without consent is never paired, clustered or matched by
    /// `add`, and joins no other record's cluster.
    pub consent_field: Option<String>,
    /// Deduplication: two clusters merge only if the mean probability across them reaches
    /// this (default: the decision threshold).
    pub cluster_min_average_probability: Option<f64>,
    /// Deduplication: the largest cluster allowed.
    pub max_cluster_size: usize,
}

impl Default for MatcherConfig {
    fn default() -> Self {
        MatcherConfig {
            fields: Vec::new(),
            blocking: Vec::new(),
            prior: None,
            default_country: None,
            month_first_dates: false,
            max_block_pairs: 250_000,
            u_sample_pairs: 10_000,
            max_em_iterations: 200,
            em_tolerance: 1e-6,
            estimate_u: true,
            seed: 42,
            consent_field: None,
            cluster_min_average_probability: None,
            max_cluster_size: 1000,
        }
    }
}

impl MatcherConfig {
    /// A configuration with these fields and blocking rules and default settings.
    pub fn new(fields: Vec<FieldSpec>, blocking: Vec<BlockingRule>) -> MatcherConfig {
        MatcherConfig {
            fields,
            blocking,
            ..MatcherConfig::default()
        }
    }

    fn validate(&self) -> Result<()> {
        if self.fields.is_empty() {
            return Err(Error::InvalidArgument(
                "a matcher needs at least one field".into(),
            ));
        }
        if self.fields.len() > MAX_COMPARISONS {
            return Err(Error::InvalidArgument(format!(
                "a matcher compares at most {MAX_COMPARISONS} fields, got {}",
                self.fields.len()
            )));
        }
        for (i, f) in self.fields.iter().enumerate() {
            if f.name.trim().is_empty() {
                return Err(Error::InvalidArgument("a field has an empty name".into()));
            }
            if self.fields[..i].iter().any(|g| g.name == f.name) {
                return Err(Error::InvalidArgument(format!(
                    "field {:?} is listed twice",
                    f.name
                )));
            }
        }
        for rule in &self.blocking {
            resolve_rule(rule, &self.fields)?;
        }
        if self
            .consent_field
            .as_ref()
            .is_some_and(|c| c.trim().is_empty())
        {
            return Err(Error::InvalidArgument(
                "consent_field is empty: name the consent column, or leave it unset".into(),
            ));
        }
        if let Some(p) = self.prior {
            if !(p > 0.0 && p < 1.0) {
                return Err(Error::InvalidArgument(format!(
                    "prior must be in (0, 1), got {p}"
                )));
            }
        }
        if let Some(p) = self.cluster_min_average_probability {
            if !(0.0..=1.0).contains(&p) {
                return Err(Error::InvalidArgument(format!(
                    "cluster_min_average_probability must be in [0, 1], got {p}"
                )));
            }
        }
        if !(self.em_tolerance > 0.0 && self.em_tolerance.is_finite()) {
            return Err(Error::InvalidArgument(format!(
                "em_tolerance must be positive, got {}",
                self.em_tolerance
            )));
        }
        if self.max_block_pairs == 0 || self.max_cluster_size == 0 {
            return Err(Error::InvalidArgument(
                "max_block_pairs and max_cluster_size must be positive".into(),
            ));
        }
        Ok(())
    }

    fn prepare_options(&self) -> PrepareOptions {
        PrepareOptions {
            default_country: self.default_country.clone(),
            date_order: if self.month_first_dates {
                DateOrder::MonthFirst
            } else {
                DateOrder::DayFirst
            },
        }
    }
}

/// Term frequencies of one field's values, for the adjustment of exact agreement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermFrequencies {
    /// Occurrences of each normalised value in the fitted data.
    pub counts: BTreeMap<String, u32>,
    /// Non-missing values counted.
    pub total: u64,
    /// Probability that two random values agree: Σ (count/total)².
    pub random_agreement: f64,
}

impl TermFrequencies {
    /// The adjustment, in bits, for exact agreement on `value`: log2(random agreement /
    /// frequency of the value). Positive for rare values, negative for common ones. Values
    /// never seen count as seen once.
    pub fn adjustment(&self, value: &str) -> f64 {
        if self.total == 0 || self.random_agreement <= 0.0 {
            return 0.0;
        }
        let count = self.counts.get(value).copied().unwrap_or(0).max(1);
        (self.random_agreement * self.total as f64 / f64::from(count)).log2()
    }
}

/// Pairs the caller has decided about; they override the model and are saved with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assertions {
    /// (left id, right id) pairs that must always be linked.
    pub must_link: BTreeSet<(String, String)>,
    /// (left id, right id) pairs that must never be linked.
    pub no_link: BTreeSet<(String, String)>,
}

impl Assertions {
    pub(crate) fn no_link(&self, a: &str, b: &str, dedupe: bool) -> bool {
        let key = |x: &str, y: &str| (x.to_owned(), y.to_owned());
        self.no_link.contains(&key(a, b)) || (dedupe && self.no_link.contains(&key(b, a)))
    }
}

/// The evidence of one comparison in a [`Link`]: its level and weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LevelEvidence {
    /// Index into the comparison's level labels ([`Matcher::level_labels`]); 0 = missing.
    pub level: u8,
    /// Bits of evidence, term-frequency adjustment included.
    pub weight: f64,
}

/// A linked pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// Id of the left record.
    pub left_id: String,
    /// Id of the right record.
    pub right_id: String,
    /// Posterior probability that the pair is a match (1.0 for asserted links). For social
    /// links it also weighs the pair's rivals (see [`crate::identity::SocialLinker::link`]),
    /// so it is not a function of `match_weight` alone there.
    pub match_probability: f64,
    /// Log2-odds of a match: the prior weight plus every comparison's weight.
    pub match_weight: f64,
    /// Per comparison, in comparison order.
    pub evidence: Vec<LevelEvidence>,
    /// The pair was linked because of a must-link assertion.
    pub asserted: bool,
}

/// One comparison's part in an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldEvidence {
    /// The comparison (field) name.
    pub comparison: String,
    /// The level label, e.g. "jaro-winkler >= 0.94".
    pub level: String,
    /// The level index; 0 = missing.
    pub level_index: u8,
    /// P(level | match).
    pub m: f64,
    /// P(level | non-match).
    pub u: f64,
    /// log2(m/u) plus the term-frequency adjustment; 0 when missing.
    pub weight: f64,
    /// The term-frequency part of `weight`.
    pub term_frequency_adjustment: f64,
    /// The left value as given.
    pub left_value: Option<String>,
    /// The right value as given.
    pub right_value: Option<String>,
}

/// Why a pair scores as it does, comparison by comparison; also for pairs that did *not*
/// match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Id of the left record.
    pub left_id: String,
    /// Id of the right record.
    pub right_id: String,
    /// Posterior match probability from the model (assertions aside), from this pair's
    /// evidence (for a social pair, with what its sibling profiles lend): a social link's
    /// probability, which also weighs its rivals, can differ.
    pub match_probability: f64,
    /// Total log2-odds.
    pub match_weight: f64,
    /// The prior's part of the weight.
    pub prior_weight: f64,
    /// Per comparison.
    pub fields: Vec<FieldEvidence>,
    /// Blocking rules under which the pair is a candidate (the two records share the rule's
    /// key); empty means the pair is never compared, whatever its score. A key whose block
    /// `link` skips as oversized ([`crate::identity::RuleStats::skipped_keys`]) still counts
    /// here: that depends on all the records, which `explain` does not see. A social pair
    /// that is a candidate through a sibling profile lists
    /// `"<rule> (through sibling profile <id>)"`.
    pub blocking_rules: Vec<String>,
    /// `"must_link"` or `"no_link"` when an assertion decides the pair.
    pub assertion: Option<String>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} ~ {}: probability {:.4}, weight {:+.2} bits (prior {:+.2})",
            self.left_id,
            self.right_id,
            self.match_probability,
            self.match_weight,
            self.prior_weight
        )?;
        for e in &self.fields {
            let tf = if e.term_frequency_adjustment != 0.0 {
                format!(" (term frequency {:+.2})", e.term_frequency_adjustment)
            } else {
                String::new()
            };
            writeln!(
                f,
                "  {:<16} {:+7.2}  {}{}   [{} | {}]",
                e.comparison,
                e.weight,
                e.level,
                tf,
                e.left_value.as_deref().unwrap_or("—"),
                e.right_value.as_deref().unwrap_or("—"),
            )?;
        }
        if self.blocking_rules.is_empty() {
            writeln!(
                f,
                "  not a candidate under any blocking rule: never compared"
            )?;
        } else {
            writeln!(f, "  candidate under: {}", self.blocking_rules.join(", "))?;
        }
        if let Some(a) = &self.assertion {
            writeln!(f, "  assertion: {a}")?;
        }
        Ok(())
    }
}

/// The result of [`Matcher::link`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkResult {
    /// Links at or above the threshold, ordered by left row, then right row.
    pub links: Vec<Link>,
    /// What blocking produced, with the estimated recall.
    pub stats: BlockingStats,
}

/// A record's cluster in a deduplication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterMember {
    /// The record id.
    pub id: String,
    /// The cluster id: the id of the cluster's first record in input order.
    pub cluster_id: String,
}

/// The result of [`Matcher::dedupe`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DedupeResult {
    /// Duplicate pairs at or above the threshold (left row before right row).
    pub pairs: Vec<Link>,
    /// Every record with its cluster, in input order.
    pub clusters: Vec<ClusterMember>,
    /// What blocking produced.
    pub stats: BlockingStats,
}

/// A probabilistic record matcher (Fellegi–Sunter, fitted by EM without labels).
///
/// ```
/// use socialcrm::identity::{BlockingRule, FieldKind, FieldSpec, Matcher, MatcherConfig, Records};
///
/// let config = MatcherConfig::new(
///     vec![
///         FieldSpec::new("first_name", FieldKind::Name),
///         FieldSpec::new("last_name", FieldKind::Name),
///         FieldSpec::new("dob", FieldKind::Date),
///         FieldSpec::new("city", FieldKind::Text),
///     ],
///     vec![BlockingRule::exact(["last_name"]), BlockingRule::exact(["dob"])],
/// );
/// let mut matcher = Matcher::new(config)?;
/// let mut crm = Records::new(["first_name", "last_name", "dob", "city"]);
/// crm.push("c1", [Some("Jan"), Some("de Vries"), Some("1982-03-14"), Some("Utrecht")])?;
/// crm.push("c2", [Some("Petra"), Some("Müller"), Some("1975-11-02"), Some("Köln")])?;
/// crm.push("c3", [Some("Anna"), Some("Schmidt"), Some("1990-01-30"), Some("Berlin")])?;
/// let mut shop = Records::new(["first_name", "last_name", "dob", "city"]);
/// shop.push("s1", [Some("Petra"), Some("Mueller"), Some("02.11.1975"), Some("Koeln")])?;
/// shop.push("s2", [Some("Jan"), Some("De Vries"), None, Some("Utrecht")])?;
/// shop.push("s3", [Some("Anna"), Some("Schmitt"), Some("30.01.1990"), None])?;
/// matcher.fit(&crm, &shop)?;
/// let result = matcher.link(&crm, &shop, 0.5, true)?;
/// let pairs: Vec<_> = result.links.iter().map(|l| (l.left_id.as_str(), l.right_id.as_str())).collect();
/// assert!(pairs.contains(&("c2", "s1")));
/// # Ok::<(), socialcrm::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Matcher {
    config: MatcherConfig,
    model: Option<FsModel>,
    term_frequencies: Vec<Option<TermFrequencies>>,
    assertions: Assertions,
    /// The prepared records, candidate pairs and their patterns from the last fit, reused
    /// when `link`/`dedupe` is called on the same records (the usual fit-then-link): the
    /// comparisons are then computed once, as in the competitors' pipelines.
    cache: Option<Arc<FitCache>>,
}

/// See [`Matcher::cache`]. Only kept for up to [`CACHE_MAX_PAIRS`] candidate pairs.
pub(crate) struct FitCache {
    fingerprint: u128,
    ws: Workspace,
    pairs: Vec<u64>,
    stats: BlockingStats,
    patterns: Vec<Pattern>,
    /// Per pair, the term-frequency value ids of the fields in `tf_fields`, row-major.
    tf_ids: Vec<u32>,
    tf_fields: Vec<usize>,
}

impl fmt::Debug for FitCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FitCache")
            .field("pairs", &self.pairs.len())
            .finish()
    }
}

/// Candidate pairs beyond which fit does not keep its patterns (16 bytes and more per pair).
const CACHE_MAX_PAIRS: usize = 4_000_000;

/// The prepared records of one side.
pub(crate) struct Side {
    pub ids: Vec<Box<str>>,
    pub columns: Vec<Column>,
    /// The first item of every column, row by row ([`fields::row_major_firsts`]).
    pub firsts: Vec<u32>,
    /// Consent per row, when the config has a consent field.
    pub allowed: Option<Vec<bool>>,
    /// The raw values, kept for explanations (only for the tiny tables `explain` builds).
    pub raw: Option<Vec<Vec<Option<String>>>>,
}

impl Side {
    /// Whether `row` may be linked: true unless consent is read for this side and the row
    /// has not granted it.
    pub(crate) fn allows(&self, row: u32) -> bool {
        self.allowed.as_ref().is_none_or(|a| a[row as usize])
    }
}

/// Both sides prepared with one shared interner.
pub(crate) struct Workspace {
    pub strings: Interner,
    pub left: Side,
    pub right: Option<Side>,
}

/// A prepared string's interner hash and (for an interner that keeps them) its signature,
/// computed in the parallel pass.
type Prehashed = (u64, Option<Signature>);

/// A 128-bit fingerprint of the records a workspace is built from (ids and every value of
/// the matcher's fields and consent column), to recognise a `link` on the records just fitted.
fn fingerprint(config: &MatcherConfig, left: &Records, right: Option<&Records>) -> u128 {
    use std::hash::Hasher;
    // rows are hashed in fixed chunks of both tables on all threads, then the chunk hashes in
    // order: the same fingerprint on any number of threads, at a fraction of the wall time
    const CHUNK: usize = 1024;
    let tables: Vec<(&Records, Vec<Option<usize>>)> = [Some(left), right]
        .into_iter()
        .flatten()
        .map(|records| {
            let columns = config
                .fields
                .iter()
                .map(|f| records.field_index(&f.name))
                .chain(config.consent_field.iter().map(|c| records.field_index(c)))
                .collect();
            (records, columns)
        })
        .collect();
    let chunks: Vec<(usize, usize)> = tables
        .iter()
        .enumerate()
        .flat_map(|(t, (records, _))| (0..records.len().div_ceil(CHUNK)).map(move |c| (t, c)))
        .collect();
    let chunk_hashes: Vec<u128> = chunks
        .par_iter()
        .map(|&(t, c)| {
            let (records, columns) = &tables[t];
            // each value length-prefixed (u64::MAX: missing) into one buffer, hashed at once:
            // a lossless encoding, and one hash call per chunk instead of three per value
            let mut bytes: Vec<u8> = Vec::new();
            let mut put = |value: Option<&str>| match value {
                Some(v) => {
                    bytes.extend_from_slice(&(v.len() as u64).to_le_bytes());
                    bytes.extend_from_slice(v.as_bytes());
                }
                None => bytes.extend_from_slice(&u64::MAX.to_le_bytes()),
            };
            for row in c * CHUNK..((c + 1) * CHUNK).min(records.len()) {
                put(Some(&records.ids()[row]));
                for column in columns {
                    put(column.and_then(|column| records.value_at(row, column)));
                }
            }
            xxhash_rust::xxh3::xxh3_128_with_seed(&bytes, fingerprint_seed())
        })
        .collect();
    fingerprint128(|h| {
        h.write_usize(tables.len());
        for (records, _) in &tables {
            h.write_usize(records.len());
        }
        for &c in &chunk_hashes {
            h.write_u128(c);
        }
    })
}

/// The 128-bit XXH3 hash of what `feed` writes, to recognise the records a fit cache was
/// built from (the matcher's and the social linker's). It was the Fx and SipHash hashes of
/// two passes; one XXH3 pass is several times faster, and the fingerprint is computed on
/// every `fit` and `link`, over every value.
///
/// XXH3 is not a cryptographic hash, and some records (social profiles) are written by
/// strangers: with the well-known default secret, someone who controls part of a record
/// set could craft it to collide with the fitted set and have `link` answer from the stale
/// cache. The hash is therefore seeded with a random per-process value that never leaves
/// the process (the fingerprint is only compared within it, never saved), so a collision
/// must be found without knowing the seed. That raises the bar; it is not a cryptographic
/// guarantee (seeded XXH3 has known seed-independent collisions for some short inputs,
/// which the length-prefixed encoding here does not produce, but a keyed PRF would be the
/// principled choice if this ever guards against a determined adversary).
pub(crate) fn fingerprint128(feed: impl Fn(&mut Fingerprinter)) -> u128 {
    let mut h = Fingerprinter(xxhash_rust::xxh3::Xxh3::with_seed(fingerprint_seed()));
    feed(&mut h);
    h.0.digest128()
}

/// The per-process random seed of [`fingerprint128`], drawn once from the operating
/// system's randomness through std's `RandomState` (no extra dependency).
fn fingerprint_seed() -> u64 {
    use std::hash::BuildHasher;
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SEED.get_or_init(|| std::collections::hash_map::RandomState::new().hash_one(0x5C4Du64))
}

/// What [`fingerprint128`] hashes into: `Hash::hash` writes into it.
pub(crate) struct Fingerprinter(xxhash_rust::xxh3::Xxh3);

impl std::hash::Hasher for Fingerprinter {
    fn finish(&self) -> u64 {
        self.0.digest()
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

impl Side {
    /// Field `k` (its columns `offsets[k]..offsets[k + 1]`) of `row`.
    pub(crate) fn view(&self, offsets: &[usize], k: usize, row: u32) -> FieldView<'_> {
        let (start, end) = (offsets[k], offsets[k + 1]);
        let base = row as usize * self.columns.len();
        FieldView {
            columns: &self.columns[start..end],
            firsts: &self.firsts[base + start..base + end],
            row,
        }
    }
}

impl Workspace {
    pub(crate) fn right(&self) -> &Side {
        self.right.as_ref().unwrap_or(&self.left)
    }

    fn dedupe(&self) -> bool {
        self.right.is_none()
    }
}

/// A blocking rule with field names resolved to indices.
pub(crate) struct ResolvedRule {
    name: String,
    parts: Vec<(usize, KeyTransform)>,
}

fn resolve_rule(rule: &BlockingRule, fields: &[FieldSpec]) -> Result<ResolvedRule> {
    if rule.parts.is_empty() {
        return Err(Error::InvalidArgument(
            "a blocking rule needs at least one field".into(),
        ));
    }
    let mut parts = Vec::new();
    for p in &rule.parts {
        let index = fields.iter().position(|f| f.name == p.field).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "blocking rule {rule} uses field {:?}, which is not one of the matcher's fields ({})",
                p.field,
                fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?;
        let kind = fields[index].kind;
        let ok = match p.transform {
            KeyTransform::Phonetic => kind == FieldKind::Name,
            KeyTransform::Year => kind == FieldKind::Date,
            _ => true,
        };
        if !ok {
            return Err(Error::InvalidArgument(format!(
                "blocking rule {rule}: field {:?} of kind {kind} has no {:?} key",
                p.field, p.transform
            )));
        }
        parts.push((index, p.transform));
    }
    Ok(ResolvedRule {
        name: rule.to_string(),
        parts,
    })
}

/// The generic matcher's blocking keys.
pub(crate) struct FieldKeys<'a> {
    pub ws: &'a Workspace,
    pub rules: &'a [ResolvedRule],
    pub offsets: &'a [usize],
}

impl FieldKeys<'_> {
    fn keys(&self, side: &Side, rule: usize, row: u32, out: &mut Vec<u64>) {
        let Some(rule_def) = self.rules.get(rule) else {
            // no rules: one block of everything
            out.push(key_hash(rule, &0u8));
            return;
        };
        let mut combos: Vec<u64> = vec![0];
        for &(field, transform) in &rule_def.parts {
            let view = side.view(self.offsets, field, row);
            let mut part: Vec<u64> = Vec::new();
            let s = |id: u32| self.ws.strings.resolve(id);
            match transform {
                KeyTransform::Exact => part.extend(view.get(0).iter().map(|&id| u64::from(id))),
                KeyTransform::Prefix(n) => part.extend(view.get(0).iter().map(|&id| {
                    let v = s(id);
                    let end = v
                        .char_indices()
                        .nth(usize::from(n))
                        .map_or(v.len(), |(i, _)| i);
                    key_hash(usize::from(n), &v[..end])
                })),
                KeyTransform::Initial => part.extend(
                    view.get(0)
                        .iter()
                        .filter_map(|&id| s(id).chars().next())
                        .map(|c| u64::from(u32::from(c))),
                ),
                KeyTransform::Phonetic => {
                    part.extend(view.get(NAME_PHONETIC).iter().map(|&id| u64::from(id)))
                }
                KeyTransform::Year => {
                    let ymd = view.first(DATE_YMD);
                    if ymd != NONE {
                        part.push(u64::from(ymd / 10_000));
                    } else if let Some(y) = s(view.first(DATE_DIGITS))
                        .get(..4)
                        .and_then(|y| y.parse::<u64>().ok())
                    {
                        part.push(y);
                    }
                }
            }
            if part.is_empty() {
                return;
            }
            combos = combos
                .iter()
                .flat_map(|&c| {
                    part.iter()
                        .map(move |&p| c.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(p))
                })
                .take(64)
                .collect();
        }
        out.extend(combos.into_iter().map(|c| key_hash(rule, &c)));
    }
}

impl KeySource for FieldKeys<'_> {
    fn rule_count(&self) -> usize {
        self.rules.len().max(1)
    }
    fn rule_name(&self, rule: usize) -> String {
        self.rules
            .get(rule)
            .map_or_else(|| "all pairs".to_owned(), |r| r.name.clone())
    }
    fn left_rows(&self) -> usize {
        self.ws.left.ids.len()
    }
    fn right_rows(&self) -> usize {
        self.ws.right().ids.len()
    }
    fn left_keys(&self, rule: usize, row: u32, out: &mut Vec<u64>) {
        if self.ws.left.allows(row) {
            self.keys(&self.ws.left, rule, row, out);
        }
    }
    fn right_keys(&self, rule: usize, row: u32, out: &mut Vec<u64>) {
        let right = self.ws.right();
        if right.allows(row) {
            self.keys(right, rule, row, out);
        }
    }
}

const SAVED_FORMAT: &str = "socialcrm.matcher";
const SAVED_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct SavedMatcher {
    format: String,
    version: u32,
    config: MatcherConfig,
    model: Option<FsModel>,
    term_frequencies: Vec<Option<TermFrequencies>>,
    assertions: Assertions,
}

impl Matcher {
    /// A matcher with this configuration; checks it (fields, rules, ranges).
    pub fn new(config: MatcherConfig) -> Result<Matcher> {
        config.validate()?;
        let n = config.fields.len();
        Ok(Matcher {
            config,
            model: None,
            term_frequencies: vec![None; n],
            assertions: Assertions::default(),
            cache: None,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &MatcherConfig {
        &self.config
    }

    /// The fitted model, if any.
    pub fn model(&self) -> Option<&FsModel> {
        self.model.as_ref()
    }

    /// The level labels of comparison `k` (the `k`-th field).
    pub fn level_labels(&self, k: usize) -> &'static [&'static str] {
        self.config
            .fields
            .get(k)
            .map_or(&[], |f| level_labels(f.kind))
    }

    /// The term-frequency tables learned by the last fit, per field.
    pub fn term_frequencies(&self) -> &[Option<TermFrequencies>] {
        &self.term_frequencies
    }

    /// The caller's assertions.
    pub fn assertions(&self) -> &Assertions {
        &self.assertions
    }

    /// Asserts that `left_id` and `right_id` are the same entity: they are linked whatever
    /// the model says. Replaces a no-link assertion on the same pair.
    pub fn assert_must_link(&mut self, left_id: &str, right_id: &str) {
        let key = (left_id.to_owned(), right_id.to_owned());
        self.assertions.no_link.remove(&key);
        self.assertions.must_link.insert(key);
    }

    /// Asserts that `left_id` and `right_id` are different entities: they are never linked.
    /// Replaces a must-link assertion on the same pair.
    pub fn assert_no_link(&mut self, left_id: &str, right_id: &str) {
        let key = (left_id.to_owned(), right_id.to_owned());
        self.assertions.must_link.remove(&key);
        self.assertions.no_link.insert(key);
    }

    pub(crate) fn offsets(&self) -> Vec<usize> {
        let mut offsets = vec![0];
        for f in &self.config.fields {
            offsets.push(offsets.last().copied().unwrap_or(0) + fields::width(f.kind));
        }
        offsets
    }

    pub(crate) fn rules(&self) -> Result<Vec<ResolvedRule>> {
        self.config
            .blocking
            .iter()
            .map(|r| resolve_rule(r, &self.config.fields))
            .collect()
    }

    /// Normalises and interns one table (named `table` in error messages), reading its
    /// consent when `reads_consent` (see [`Matcher::consent_of`]).
    pub(crate) fn prepare_side(
        &self,
        records: &Records,
        table: &str,
        reads_consent: bool,
        strings: &mut Interner,
        keep_raw: bool,
    ) -> Result<Side> {
        let mut sides =
            self.prepare_sides(&[(records, table, reads_consent)], strings, keep_raw)?;
        Ok(sides.remove(0))
    }

    /// The column of each configured field in `records`.
    fn field_indexes(&self, records: &Records, table: &str) -> Result<Vec<usize>> {
        self.config
            .fields
            .iter()
            .map(|f| {
                records.field_index(&f.name).ok_or_else(|| {
                    Error::InvalidArgument(format!(
                        "field {:?} is not a column of the {table} records (columns: {})",
                        f.name,
                        records.fields().join(", ")
                    ))
                })
            })
            .collect()
    }

    /// Normalises and interns tables that share one interner (the two sides of a link).
    ///
    /// Each distinct raw value of a field is normalised once across all the tables: names,
    /// cities and codes repeat a lot within a table and between the two sides of a link, so
    /// most of the normalisation work disappears. The values of all fields go through one
    /// parallel pass (one synchronisation instead of one per field and table), and are
    /// interned in a fixed order (field by field, by first occurrence), so that ids never
    /// depend on the number of threads. Interning is the one serial step, so everything it
    /// needs (hashes, letter signatures) is computed in the parallel pass, and finding the
    /// distinct values and building the columns run per field on all threads.
    pub(crate) fn prepare_sides(
        &self,
        tables: &[(&Records, &str, bool)],
        strings: &mut Interner,
        keep_raw: bool,
    ) -> Result<Vec<Side>> {
        let mut field_indexes = Vec::with_capacity(tables.len());
        let mut consents = Vec::with_capacity(tables.len());
        for &(records, table, reads_consent) in tables {
            records.check_unique_ids(table)?;
            field_indexes.push(self.field_indexes(records, table)?);
            consents.push(self.consent_of(records, table, reads_consent)?);
        }
        let options = self.config.prepare_options();
        let offsets = self.offsets();
        let n_fields = self.config.fields.len();
        // per field (on all threads): its distinct raw values, by first occurrence, and per
        // table and row the index of the row's value among them
        let per_field: Vec<(Vec<&str>, Vec<Vec<u32>>)> = (0..n_fields)
            .into_par_iter()
            .map(|f| {
                let mut distinct: FxHashMap<&str, u32> = FxHashMap::default();
                let mut values: Vec<&str> = Vec::new();
                let of_tables = tables
                    .iter()
                    .zip(&field_indexes)
                    .map(|(&(records, _, _), indexes)| {
                        (0..records.len())
                            .map(|row| match records.value_at(row, indexes[f]) {
                                Some(v) => *distinct.entry(v).or_insert_with(|| {
                                    values.push(v);
                                    index32(values.len() - 1, "distinct values in a field")
                                }),
                                None => NONE,
                            })
                            .collect()
                    })
                    .collect();
                (values, of_tables)
            })
            .collect();
        // all fields' values in one list (field by field), for one parallel pass
        let values: Vec<(usize, &str)> = per_field
            .iter()
            .enumerate()
            .flat_map(|(f, (vs, _))| vs.iter().map(move |&v| (f, v)))
            .collect();
        let signatures = strings.keeps_signatures();
        // value `v`'s sub-columns are `subs[sub_starts[v]..]` (NONE: no value), each a range
        // of `items`: flat, not a vector per value and sub-column
        let mut sub_starts: Vec<u32> = Vec::with_capacity(values.len());
        let mut subs: Vec<(u32, u32)> = Vec::new();
        let mut items: Vec<u32> = Vec::new();
        // bounds the memory of prepared-but-not-interned values
        const CHUNK: usize = 1 << 16;
        for chunk in values.chunks(CHUNK) {
            // hashes and signatures are computed in the parallel pass too: interning is the
            // serial part
            let prepared: Vec<Option<(SubValues, Vec<Prehashed>)>> = chunk
                .par_iter()
                .map(|&(f, v)| {
                    prepare(self.config.fields[f].kind, v, &options).map(|subs| {
                        let hashed = subs
                            .iter()
                            .flatten()
                            .filter_map(|item| match item {
                                Item::Str(s) => {
                                    Some((Interner::hash(s), signatures.then(|| Signature::of(s))))
                                }
                                Item::Raw(_) => None,
                            })
                            .collect();
                        (subs, hashed)
                    })
                })
                .collect();
            let (count, bytes) = prepared
                .iter()
                .flatten()
                .flat_map(|(subs, _)| subs.iter().flatten())
                .fold((0, 0), |(n, b), item| match item {
                    Item::Str(s) => (n + 1, b + s.len()),
                    Item::Raw(_) => (n, b),
                });
            strings.reserve(count, bytes);
            for p in &prepared {
                let Some((value_subs, hashed)) = p else {
                    sub_starts.push(NONE);
                    continue;
                };
                sub_starts.push(index32(subs.len(), "prepared sub-values"));
                let mut hashed = hashed.iter();
                for sub in value_subs {
                    let start = index32(items.len(), "prepared items");
                    for item in sub {
                        items.push(match item {
                            Item::Str(s) => match hashed.next() {
                                Some(&(hash, signature)) => {
                                    strings.intern_prepared(s, hash, || {
                                        signature.unwrap_or_else(|| Signature::of(s))
                                    })
                                }
                                None => strings.intern(s),
                            },
                            Item::Raw(n) => *n,
                        });
                    }
                    subs.push((start, index32(items.len(), "prepared items")));
                }
            }
            // the prepared strings are freed on all threads, off the serial path
            prepared.into_par_iter().for_each(drop);
        }
        // the columns of each field (on all threads), then side by side per table
        let mut field_bases = Vec::with_capacity(n_fields);
        let mut base = 0u32;
        for (vs, _) in &per_field {
            field_bases.push(base);
            base += vs.len() as u32;
        }
        let field_columns: Vec<Vec<Vec<Column>>> = per_field
            .par_iter()
            .enumerate()
            .map(|(f, (_, of_tables))| {
                let width = offsets[f + 1] - offsets[f];
                of_tables
                    .iter()
                    .map(|of_rows| {
                        let mut cols = vec![Column::default(); width];
                        for &local in of_rows {
                            let start = if local == NONE {
                                NONE
                            } else {
                                sub_starts[(field_bases[f] + local) as usize]
                            };
                            for (i, col) in cols.iter_mut().enumerate() {
                                if start == NONE {
                                    col.push_row([]);
                                } else {
                                    let (a, b) = subs[start as usize + i];
                                    col.push_row(items[a as usize..b as usize].iter().copied());
                                }
                            }
                        }
                        cols
                    })
                    .collect()
            })
            .collect();
        let mut table_columns: Vec<Vec<Column>> = vec![Vec::new(); tables.len()];
        for of_field in field_columns {
            for (columns, cols) in table_columns.iter_mut().zip(of_field) {
                columns.extend(cols);
            }
        }
        let mut sides = Vec::with_capacity(tables.len());
        for (((columns, &(records, _, _)), field_index), allowed) in table_columns
            .into_iter()
            .zip(tables)
            .zip(&field_indexes)
            .zip(consents)
        {
            sides.push(self.side(records, columns, allowed, field_index, keep_raw)?);
        }
        Ok(sides)
    }

    /// Per row, whether the record may be linked: `None` when no consent is read for this
    /// table. Consent is read from the left records (a deduplication's table, an index's
    /// records, a table linked with itself on both sides); the right side of a link has none.
    /// Checked before anything is prepared, so that a refused table leaves no prepared value
    /// behind (in an index's interner, say).
    fn consent_of(
        &self,
        records: &Records,
        table: &str,
        reads_consent: bool,
    ) -> Result<Option<Vec<bool>>> {
        Ok(match &self.config.consent_field {
            Some(name) if reads_consent => {
                let c = records.field_index(name).ok_or_else(|| {
                    Error::InvalidArgument(format!(
                        "consent field {name:?} is not a column of the {table} records (columns: {})",
                        records.fields().join(", ")
                    ))
                })?;
                // a value that is no consent status is an error, as in the social linker:
                // read silently as "no consent" it would drop records without a word
                let status = |row: usize| -> Result<bool> {
                    match records.value_at(row, c) {
                        None => Ok(false),
                        Some(v) => v
                            .parse::<ConsentStatus>()
                            .map(ConsentStatus::is_granted)
                            .map_err(|e| {
                                Error::InvalidArgument(format!(
                                    "consent field {name:?} of the {table} records, row {row} (id {:?}): {e}",
                                    records.ids()[row]
                                ))
                            }),
                    }
                };
                Some(
                    (0..records.len())
                        .map(status)
                        .collect::<Result<Vec<bool>>>()?,
                )
            }
            _ => None,
        })
    }

    /// A prepared side from its columns: ids, consent and (for explanations) raw values.
    fn side(
        &self,
        records: &Records,
        columns: Vec<Column>,
        allowed: Option<Vec<bool>>,
        field_index: &[usize],
        keep_raw: bool,
    ) -> Result<Side> {
        let raw = keep_raw.then(|| {
            (0..records.len())
                .map(|row| {
                    field_index
                        .iter()
                        .map(|&c| records.value_at(row, c).map(str::to_owned))
                        .collect()
                })
                .collect()
        });
        Ok(Side {
            ids: records.ids().iter().map(|s| s.as_str().into()).collect(),
            firsts: fields::row_major_firsts(&columns),
            columns,
            allowed,
            raw,
        })
    }

    fn workspace(
        &self,
        left: &Records,
        right: Option<&Records>,
        keep_raw: bool,
    ) -> Result<Workspace> {
        let mut strings = Interner::with_signatures();
        let mut tables = vec![(left, "left", true)];
        // the same table on both sides is linked with itself: its consent holds on the right
        // too, or a record without consent could be matched as a right-hand record
        tables.extend(right.map(|r| (r, "right", std::ptr::eq(r, left))));
        let mut sides = self
            .prepare_sides(&tables, &mut strings, keep_raw)?
            .into_iter();
        let left_side = sides.next().expect("one side per table");
        let right_side = sides.next();
        Ok(Workspace {
            strings,
            left: left_side,
            right: right_side,
        })
    }

    /// The level pattern of a pair and, per comparison, the interned value both share when
    /// they agree exactly (for term frequencies).
    pub(crate) fn compare_rows(
        &self,
        ws: &Workspace,
        offsets: &[usize],
        l: u32,
        r: u32,
    ) -> (Pattern, [u32; MAX_COMPARISONS]) {
        let mut pattern: Pattern = 0;
        let mut tf_ids = [NONE; MAX_COMPARISONS];
        let right = ws.right();
        for (k, f) in self.config.fields.iter().enumerate() {
            let a = ws.left.view(offsets, k, l);
            let b = right.view(offsets, k, r);
            let (level, exact) = fields::compare(f.kind, a, b, &ws.strings);
            pattern = with_level(pattern, k, level);
            if f.term_frequency {
                tf_ids[k] = exact;
            }
        }
        (pattern, tf_ids)
    }

    /// Fits the model for linking `left` to `right`: term frequencies, u-probabilities from
    /// random pairs, then m, u and the prior by EM on the candidate pairs. No labels needed.
    pub fn fit(&mut self, left: &Records, right: &Records) -> Result<BlockingStats> {
        let ws = self.workspace(left, Some(right), false)?;
        let fingerprint = fingerprint(&self.config, left, Some(right));
        self.fit_workspace(ws, fingerprint)
    }

    /// Fits the model for deduplicating one table.
    pub fn fit_dedupe(&mut self, records: &Records) -> Result<BlockingStats> {
        let ws = self.workspace(records, None, false)?;
        let fingerprint = fingerprint(&self.config, records, None);
        self.fit_workspace(ws, fingerprint)
    }

    fn fit_workspace(&mut self, ws: Workspace, fingerprint: u128) -> Result<BlockingStats> {
        self.cache = None;
        let offsets = self.offsets();
        self.term_frequencies = self.count_terms(&ws, &offsets);
        let rules = self.rules()?;
        let space = self.space(&ws, &rules, &offsets);
        let (pairs, stats) =
            candidate_pairs(space.keys(), ws.dedupe(), self.config.max_block_pairs)?;
        let names: Vec<String> = self.config.fields.iter().map(|f| f.name.clone()).collect();
        let labels: Vec<Vec<String>> = self
            .config
            .fields
            .iter()
            .map(|f| {
                level_labels(f.kind)
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect()
            })
            .collect();
        let allowed = (0..ws.left.ids.len() as u32)
            .filter(|&r| space.left_allowed(r))
            .count();
        let expected_matches = if ws.dedupe() {
            allowed as f64 * 0.25
        } else {
            allowed.min(ws.right().ids.len()) as f64 * 0.5
        };
        let tf_fields: Vec<usize> = (0..self.config.fields.len())
            .filter(|&k| self.config.fields[k].term_frequency)
            .collect();
        let cached = if pairs.len() <= CACHE_MAX_PAIRS {
            // written straight into their final buffers, chunk by chunk in parallel
            let n_tf = tf_fields.len();
            // a stride of at least 1 keeps the zipped chunk counts equal without tf fields
            let stride = n_tf.max(1);
            let mut pair_patterns: Vec<Pattern> = vec![0; pairs.len()];
            let mut tf_ids: Vec<u32> = vec![NONE; pairs.len() * stride];
            const CHUNK: usize = 4096;
            pair_patterns
                .par_chunks_mut(CHUNK)
                .zip(tf_ids.par_chunks_mut(CHUNK * stride))
                .zip(pairs.par_chunks(CHUNK))
                .for_each(|((out, tf_out), chunk)| {
                    for (i, &pair) in chunk.iter().enumerate() {
                        let (l, r) = super::block::unpack(pair);
                        let (pattern, tf) = space.compare(l, r);
                        out[i] = pattern;
                        for (j, &k) in tf_fields.iter().enumerate() {
                            tf_out[i * stride + j] = tf[k];
                        }
                    }
                });
            let mut counts: FxHashMap<Pattern, u64> = FxHashMap::default();
            for &p in &pair_patterns {
                *counts.entry(p).or_default() += 1;
            }
            let mut patterns: Vec<(Pattern, u64)> = counts.into_iter().collect();
            patterns.sort_unstable();
            if n_tf == 0 {
                tf_ids = Vec::new();
            }
            Some((patterns, pair_patterns, tf_ids))
        } else {
            None
        };
        let counts = match &cached {
            Some((patterns, _, _)) => patterns.clone(),
            None => pattern_counts(&space, &pairs),
        };
        let model = fit_model(
            &space,
            &names,
            &labels,
            &counts,
            expected_matches,
            &self.fit_settings(),
        );
        self.model = Some(model);
        if let Some((_, patterns, tf_ids)) = cached {
            self.cache = Some(Arc::new(FitCache {
                fingerprint,
                ws,
                pairs,
                stats: stats.clone(),
                patterns,
                tf_ids,
                tf_fields,
            }));
        }
        Ok(stats)
    }

    fn fit_settings(&self) -> FitSettings {
        FitSettings {
            u_sample_pairs: self.config.u_sample_pairs,
            seed: self.config.seed,
            prior: self.config.prior,
            max_em_iterations: self.config.max_em_iterations,
            em_tolerance: self.config.em_tolerance,
            estimate_u: self.config.estimate_u,
        }
    }

    fn space<'a>(
        &'a self,
        ws: &'a Workspace,
        rules: &'a [ResolvedRule],
        offsets: &'a [usize],
    ) -> FieldSpace<'a> {
        FieldSpace {
            matcher: self,
            ws,
            offsets,
            keys: FieldKeys { ws, rules, offsets },
        }
    }

    fn count_terms(&self, ws: &Workspace, offsets: &[usize]) -> Vec<Option<TermFrequencies>> {
        self.config
            .fields
            .iter()
            .enumerate()
            .map(|(k, f)| {
                if !f.term_frequency {
                    return None;
                }
                let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
                let mut sides = vec![&ws.left];
                if let Some(r) = &ws.right {
                    sides.push(r);
                }
                for side in sides {
                    let col = &side.columns[offsets[k]];
                    // records without consent are not fitted on: their values stay out of the
                    // counts, which are saved with the model
                    for row in (0..col.rows() as u32).filter(|&row| side.allows(row)) {
                        if let Some(id) = col.first(row) {
                            *counts.entry(id).or_default() += 1;
                        }
                    }
                }
                let total: u64 = counts.values().map(|&c| u64::from(c)).sum();
                let random_agreement = if total == 0 {
                    0.0
                } else {
                    counts
                        .values()
                        .map(|&c| (f64::from(c) / total as f64).powi(2))
                        .sum()
                };
                Some(TermFrequencies {
                    counts: counts
                        .into_iter()
                        .map(|(id, c)| (ws.strings.resolve(id).to_owned(), c))
                        .collect(),
                    total,
                    random_agreement,
                })
            })
            .collect()
    }

    pub(crate) fn scorer(&self, ws: &Workspace, offsets: &[usize]) -> Result<Scorer> {
        let model = self.model.as_ref().ok_or_else(|| {
            Error::NotFitted("call fit (or fit_dedupe) before link, dedupe or explain".into())
        })?;
        let tf = self
            .config
            .fields
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let table = self.term_frequencies.get(k)?.as_ref()?;
                if !f.term_frequency {
                    return None;
                }
                let mut map = FxHashMap::with_capacity_and_hasher(64, FxBuildHasher);
                let mut sides = vec![&ws.left];
                if let Some(r) = &ws.right {
                    sides.push(r);
                }
                for side in sides {
                    let col = &side.columns[offsets[k]];
                    for row in 0..col.rows() as u32 {
                        if let Some(id) = col.first(row) {
                            map.entry(id)
                                .or_insert_with(|| table.adjustment(ws.strings.resolve(id)));
                        }
                    }
                }
                Some(map)
            })
            .collect();
        Ok(Scorer::new(model, tf))
    }

    /// The fit cache, if it was built from exactly these records.
    fn cache_for(&self, left: &Records, right: Option<&Records>) -> Option<Arc<FitCache>> {
        let cache = self.cache.as_ref()?;
        (cache.fingerprint == fingerprint(&self.config, left, right)).then(|| Arc::clone(cache))
    }

    pub(crate) fn check_threshold(threshold: f64) -> Result<()> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(Error::InvalidArgument(format!(
                "threshold must be in [0, 1], got {threshold}"
            )));
        }
        Ok(())
    }

    /// Scores all candidates and returns those at or above `threshold`, with assertions
    /// applied (no-link removed, must-link added with probability 1).
    fn decide(
        &self,
        ws: &Workspace,
        cache: Option<&FitCache>,
        threshold: f64,
    ) -> Result<(Vec<Scored>, BlockingStats, Scorer)> {
        let offsets = self.offsets();
        let scorer = self.scorer(ws, &offsets)?;
        let rules = self.rules()?;
        let space = self.space(ws, &rules, &offsets);
        let dedupe = ws.dedupe();
        let right = ws.right();
        let (mut scored, mut stats) = match cache {
            Some(c) => {
                let n_tf = c.tf_fields.len();
                let scored = score_each(&c.pairs, threshold, |i, _, _| {
                    let mut tf = [NONE; MAX_COMPARISONS];
                    for (j, &k) in c.tf_fields.iter().enumerate() {
                        tf[k] = c.tf_ids[i * n_tf + j];
                    }
                    scorer.weight(c.patterns[i], &tf)
                });
                (scored, c.stats.clone())
            }
            None => {
                let (pairs, stats) =
                    candidate_pairs(space.keys(), dedupe, self.config.max_block_pairs)?;
                (score_pairs(&space, &scorer, &pairs, threshold), stats)
            }
        };
        if !self.assertions.no_link.is_empty() {
            scored.retain(|s| {
                !self.assertions.no_link(
                    &ws.left.ids[s.left as usize],
                    &right.ids[s.right as usize],
                    dedupe,
                )
            });
        }
        let matches: Vec<(u32, u32)> = scored.iter().map(|s| (s.left, s.right)).collect();
        estimate_recall(space.keys(), &mut stats, &matches, dedupe);
        if !self.assertions.must_link.is_empty() {
            let left_index: FxHashMap<&str, u32> = ws
                .left
                .ids
                .iter()
                .enumerate()
                .map(|(i, s)| (&**s, i as u32))
                .collect();
            let right_index: FxHashMap<&str, u32> = right
                .ids
                .iter()
                .enumerate()
                .map(|(i, s)| (&**s, i as u32))
                .collect();
            for (a, b) in &self.assertions.must_link {
                let (Some(&l), Some(&r)) =
                    (left_index.get(a.as_str()), right_index.get(b.as_str()))
                else {
                    continue;
                };
                // both records need consent where it is read: the left one, and the right one
                // in a deduplication or when a table is linked with itself
                if !ws.left.allows(l) || !right.allows(r) || (dedupe && l == r) {
                    continue;
                }
                let (l, r) = if dedupe { (l.min(r), l.max(r)) } else { (l, r) };
                scored.retain(|s| !(s.left == l && s.right == r));
                scored.push(Scored {
                    left: l,
                    right: r,
                    probability: 1.0,
                    weight: f64::INFINITY,
                });
            }
        }
        Ok((scored, stats, scorer))
    }

    fn to_links(&self, ws: &Workspace, scorer: &Scorer, mut scored: Vec<Scored>) -> Vec<Link> {
        let offsets = self.offsets();
        scored.sort_unstable_by_key(|s| (s.left, s.right));
        let right = ws.right();
        scored
            .par_iter()
            .map(|s| {
                let (pattern, tf) = self.compare_rows(ws, &offsets, s.left, s.right);
                let asserted = s.weight == f64::INFINITY;
                Link {
                    left_id: ws.left.ids[s.left as usize].to_string(),
                    right_id: right.ids[s.right as usize].to_string(),
                    match_probability: s.probability,
                    match_weight: if asserted {
                        scorer.weight(pattern, &tf)
                    } else {
                        s.weight
                    },
                    evidence: scorer
                        .evidence(pattern, &tf)
                        .into_iter()
                        .map(|(level, weight)| LevelEvidence { level, weight })
                        .collect(),
                    asserted,
                }
            })
            .collect()
    }

    /// Links `left` to `right`: every candidate pair with match probability ≥ `threshold`,
    /// or with `one_to_one`, the best pairs such that each record is linked at most once.
    /// Needs a fitted model ([`Matcher::fit`], or a loaded one).
    pub fn link(
        &self,
        left: &Records,
        right: &Records,
        threshold: f64,
        one_to_one_links: bool,
    ) -> Result<LinkResult> {
        Self::check_threshold(threshold)?;
        let cache = self.cache_for(left, Some(right));
        let fresh;
        let ws = match &cache {
            Some(c) => &c.ws,
            None => {
                fresh = self.workspace(left, Some(right), false)?;
                &fresh
            }
        };
        let (mut scored, stats, scorer) = self.decide(ws, cache.as_deref(), threshold)?;
        if one_to_one_links {
            scored = one_to_one(scored, |_| 0);
        }
        Ok(LinkResult {
            links: self.to_links(ws, &scorer, scored),
            stats,
        })
    }

    /// Finds duplicates within one table: pairs with probability ≥ `threshold`, and clusters
    /// built from them with a guard against chaining (see
    /// [`MatcherConfig::cluster_min_average_probability`]).
    pub fn dedupe(&self, records: &Records, threshold: f64) -> Result<DedupeResult> {
        Self::check_threshold(threshold)?;
        let cache = self.cache_for(records, None);
        let fresh;
        let ws = match &cache {
            Some(c) => &c.ws,
            None => {
                fresh = self.workspace(records, None, false)?;
                &fresh
            }
        };
        let (scored, stats, scorer) = self.decide(ws, cache.as_deref(), threshold)?;
        let offsets = self.offsets();
        let guard = ClusterGuard {
            min_average_probability: self
                .config
                .cluster_min_average_probability
                .unwrap_or(threshold),
            max_cluster_size: self.config.max_cluster_size,
        };
        let asserted: rustc_hash::FxHashSet<u64> = scored
            .iter()
            .filter(|s| s.weight == f64::INFINITY)
            .map(|s| pack(s.left, s.right))
            .collect();
        let roots = cluster(records.len(), scored.clone(), guard, |a, b| {
            let (l, r) = (a.min(b), a.max(b));
            if asserted.contains(&pack(l, r)) {
                return 1.0;
            }
            if self
                .assertions
                .no_link(&ws.left.ids[l as usize], &ws.left.ids[r as usize], true)
            {
                return 0.0;
            }
            let (pattern, tf) = self.compare_rows(ws, &offsets, l, r);
            probability_from_weight(scorer.weight(pattern, &tf))
        });
        let clusters = roots
            .iter()
            .enumerate()
            .map(|(i, &root)| ClusterMember {
                id: ws.left.ids[i].to_string(),
                cluster_id: ws.left.ids[root as usize].to_string(),
            })
            .collect();
        Ok(DedupeResult {
            pairs: self.to_links(ws, &scorer, scored),
            clusters,
            stats,
        })
    }

    /// Explains the score of one pair, whether or not it would be linked: per comparison the
    /// values, the level, m, u and the weight; the blocking rules that make it a candidate;
    /// any assertion.
    ///
    /// For a deduplication pass the same `Records` twice. With a
    /// [`MatcherConfig::consent_field`], a left record without granted consent (for a
    /// deduplication, either record) is an [`Error::ConsentRequired`].
    pub fn explain(
        &self,
        left: &Records,
        left_id: &str,
        right: &Records,
        right_id: &str,
    ) -> Result<Explanation> {
        let pick = |records: &Records, id: &str| -> Result<Records> {
            let row = records
                .ids()
                .iter()
                .position(|x| x == id)
                .ok_or_else(|| Error::UnknownId(id.to_owned()))?;
            let mut one = Records::new(records.fields().iter().cloned());
            one.push(
                id,
                (0..records.fields().len()).map(|c| records.value_at(row, c).map(str::to_owned)),
            )?;
            Ok(one)
        };
        let l = pick(left, left_id)?;
        let r = pick(right, right_id)?;
        let ws = self.workspace(&l, Some(&r), true)?;
        // explaining a pair of one table (deduplication): both records need consent
        // (a consent cell that cannot be read refuses, as a missing one does)
        let same_table = std::ptr::eq(left, right);
        let right_refused = same_table
            && match self.consent_of(&r, "right", true) {
                Ok(None) => false, // no consent field
                Ok(Some(granted)) => !granted[0],
                Err(_) => true,
            };
        for (refused, id) in [(!ws.left.allows(0), left_id), (right_refused, right_id)] {
            if refused {
                return Err(Error::ConsentRequired {
                    contact_id: id.to_owned(),
                    purpose: "linking".into(),
                });
            }
        }
        let offsets = self.offsets();
        let scorer = self.scorer(&ws, &offsets)?;
        let model = self
            .model
            .as_ref()
            .ok_or_else(|| Error::NotFitted("explain needs a fitted model".into()))?;
        let (pattern, tf) = self.compare_rows(&ws, &offsets, 0, 0);
        let weight = scorer.weight(pattern, &tf);
        let raw_l = ws.left.raw.as_ref().and_then(|r| r.first());
        let raw_r = ws.right().raw.as_ref().and_then(|r| r.first());
        let fields = self
            .config
            .fields
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let level = super::model::pattern_level(pattern, k);
                let params = &model.comparisons[k];
                let tf_adj = scorer.tf_adjustment(k, tf[k]);
                FieldEvidence {
                    comparison: f.name.clone(),
                    level: level_labels(f.kind)
                        .get(level)
                        .copied()
                        .unwrap_or("?")
                        .to_owned(),
                    level_index: level as u8,
                    m: params.m[level],
                    u: params.u[level],
                    weight: scorer.weights[k][level] + tf_adj,
                    term_frequency_adjustment: tf_adj,
                    left_value: raw_l.and_then(|v| v[k].clone()),
                    right_value: raw_r.and_then(|v| v[k].clone()),
                }
            })
            .collect();
        let rules = self.rules()?;
        let source = FieldKeys {
            ws: &ws,
            rules: &rules,
            offsets: &offsets,
        };
        let blocking_rules = (0..source.rule_count())
            .filter(|&rule| rule_covers(&source, rule, (0, 0), false, &[]))
            .map(|rule| source.rule_name(rule))
            .collect();
        let key = (left_id.to_owned(), right_id.to_owned());
        // explaining a pair of one table: assertions hold in both orders
        let reversed = (right_id.to_owned(), left_id.to_owned());
        let asserted = |set: &BTreeSet<(String, String)>| {
            set.contains(&key) || (same_table && set.contains(&reversed))
        };
        let assertion = if asserted(&self.assertions.must_link) {
            Some("must_link".to_owned())
        } else if asserted(&self.assertions.no_link) {
            Some("no_link".to_owned())
        } else {
            None
        };
        Ok(Explanation {
            left_id: left_id.to_owned(),
            right_id: right_id.to_owned(),
            match_probability: probability_from_weight(weight),
            match_weight: weight,
            prior_weight: scorer.prior,
            fields,
            blocking_rules,
            assertion,
        })
    }

    /// Drops the prepared records, candidate pairs and comparisons the last `fit` kept for
    /// `link` and `dedupe` (they then compare afresh). `forget` and the next `fit` do it too;
    /// call it to free the memory when a fitted matcher is kept but not linked with.
    pub fn clear_cache(&mut self) {
        self.cache = None;
    }

    /// Removes what the matcher holds about record `id` of `records`: assertions naming it,
    /// its values from the term-frequency counts (a count of one identifies a person), and
    /// the records the last `fit` kept prepared (see [`Matcher::clear_cache`]). The fitted
    /// m/u-probabilities are aggregates over all pairs and are kept.
    ///
    /// The term-frequency counts are counts by value, not by record (they hold no ids), so
    /// each call lowers them once: call it once per record the matcher was fitted on
    /// ([`MatchIndex::remove`](crate::identity::MatchIndex::remove) does, and only for an
    /// indexed record). Erasure must not depend on the consent a record has *now* (who
    /// withdraws consent and then asks to be erased was counted while consenting), so a
    /// record that was never counted (without consent at `fit`, or forgotten before) lowers
    /// a namesake's count instead; that shifts the namesake's weight slightly and is the
    /// price of holding no list of who was counted.
    pub fn forget(&mut self, records: &Records, id: &str) -> Result<()> {
        // everything fallible first, so that an error changes nothing
        let prepared = match records.ids().iter().position(|x| x == id) {
            Some(row) => {
                let mut one = Records::new(records.fields().iter().cloned());
                one.push(
                    id,
                    (0..records.fields().len())
                        .map(|c| records.value_at(row, c).map(str::to_owned)),
                )?;
                let mut strings = Interner::default();
                let side = self.prepare_side(&one, "forget", false, &mut strings, false)?;
                Some((side, strings))
            }
            None => None,
        };
        // the cache holds every fitted record prepared, this one's values included
        self.clear_cache();
        self.assertions
            .must_link
            .retain(|(a, b)| a != id && b != id);
        self.assertions.no_link.retain(|(a, b)| a != id && b != id);
        let Some((side, strings)) = prepared else {
            return Ok(());
        };
        let offsets = self.offsets();
        for (k, tf) in self.term_frequencies.iter_mut().enumerate() {
            let Some(tf) = tf else { continue };
            if let Some(value) = side.columns[offsets[k]].first(0) {
                let key = strings.resolve(value).to_owned();
                if let Some(count) = tf.counts.get_mut(&key) {
                    *count -= 1;
                    tf.total = tf.total.saturating_sub(1);
                    if *count == 0 {
                        tf.counts.remove(&key);
                    }
                    tf.random_agreement = if tf.total == 0 {
                        0.0
                    } else {
                        tf.counts
                            .values()
                            .map(|&c| (f64::from(c) / tf.total as f64).powi(2))
                            .sum()
                    };
                }
            }
        }
        Ok(())
    }

    /// The matcher as JSON: configuration, fitted model, term frequencies and assertions, in
    /// a versioned format.
    pub fn to_json(&self) -> String {
        let saved = SavedMatcher {
            format: SAVED_FORMAT.to_owned(),
            version: SAVED_VERSION,
            config: self.config.clone(),
            model: self.model.clone(),
            term_frequencies: self.term_frequencies.clone(),
            assertions: self.assertions.clone(),
        };
        // serialising plain data with string keys cannot fail
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// Reads a matcher written by [`Matcher::to_json`]. A corrupt document, another format,
    /// a newer version, or a model that does not fit its configuration is an
    /// [`Error::Model`].
    pub fn from_json(json: &str) -> Result<Matcher> {
        let saved: SavedMatcher = read_versioned(json, SAVED_FORMAT, SAVED_VERSION, "matcher")?;
        let mut matcher = Matcher::new(saved.config)
            .map_err(|e| Error::Model(format!("invalid configuration: {e}")))?;
        if let Some(model) = &saved.model {
            let names: Vec<String> = matcher
                .config
                .fields
                .iter()
                .map(|f| f.name.clone())
                .collect();
            let counts: Vec<usize> = matcher
                .config
                .fields
                .iter()
                .map(|f| level_labels(f.kind).len())
                .collect();
            model.check_shape(&names, &counts)?;
        }
        if saved.term_frequencies.len() != matcher.config.fields.len() {
            return Err(Error::Model(
                "term-frequency tables do not match the fields".into(),
            ));
        }
        matcher.model = saved.model;
        matcher.term_frequencies = saved.term_frequencies;
        matcher.assertions = saved.assertions;
        Ok(matcher)
    }

    /// Writes [`Matcher::to_json`] to a file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        write_model_file(path.as_ref(), &self.to_json())
    }

    /// Reads a matcher saved with [`Matcher::save`].
    pub fn load(path: impl AsRef<Path>) -> Result<Matcher> {
        Matcher::from_json(&read_model_file(path.as_ref())?)
    }
}

/// The generic matcher's records as a [`PairSpace`].
struct FieldSpace<'a> {
    matcher: &'a Matcher,
    ws: &'a Workspace,
    offsets: &'a [usize],
    keys: FieldKeys<'a>,
}

impl PairSpace for FieldSpace<'_> {
    fn left_len(&self) -> usize {
        self.ws.left.ids.len()
    }
    fn right_len(&self) -> usize {
        self.ws.right().ids.len()
    }
    fn dedupe(&self) -> bool {
        self.ws.dedupe()
    }
    fn left_allowed(&self, row: u32) -> bool {
        self.ws.left.allows(row)
    }
    fn compare(&self, left: u32, right: u32) -> (Pattern, [u32; MAX_COMPARISONS]) {
        self.matcher
            .compare_rows(self.ws, self.offsets, left, right)
    }
    fn keys(&self) -> &dyn KeySource {
        &self.keys
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    /// A table refused for its consent column leaves nothing prepared behind: consent is
    /// checked before any value is normalised into the (possibly long-lived) interner.
    #[test]
    fn a_refused_table_interns_nothing() {
        let mut config = MatcherConfig::new(vec![FieldSpec::new("name", FieldKind::Name)], vec![]);
        config.consent_field = Some("consent".into());
        let matcher = Matcher::new(config).unwrap();
        let mut bad = Records::new(["name", "consent"]);
        bad.push("a", [Some("Jan de Vries"), Some("granted")])
            .unwrap();
        bad.push("b", [Some("Wilhelmina Zzyzxovic"), Some("maybe")])
            .unwrap();
        let mut missing = Records::new(["name"]);
        missing.push("c", [Some("Anna Quaxley")]).unwrap();
        for table in [&bad, &missing] {
            let mut strings = Interner::default();
            assert!(
                matcher
                    .prepare_side(table, "index", true, &mut strings, false)
                    .is_err()
            );
            assert_eq!(
                strings.intern("probe"),
                0,
                "values were interned before the error"
            );
        }
    }

    fn tables() -> (Records, Records) {
        let names = [
            ("Jan", "de Vries", "Utrecht"),
            ("Anna", "Müller", "Köln"),
            ("Petra", "Jansen", "Delft"),
            ("Thomas", "Schmidt", "Bonn"),
            ("Maria", "Wagner", "Ulm"),
            ("Peter", "Smith", "Leeds"),
        ];
        let mut left = Records::new(["first_name", "last_name", "city"]);
        let mut right = Records::new(["first_name", "last_name", "city"]);
        for (i, (f, l, c)) in names.iter().enumerate() {
            left.push(format!("l{i}"), [Some(*f), Some(*l), Some(*c)])
                .unwrap();
            right
                .push(format!("r{i}"), [Some(*f), Some(*l), Some(*c)])
                .unwrap();
        }
        (left, right)
    }

    /// Records rebuilt from `rows` (id, then one value per field).
    fn rebuild(fields: &[&str], rows: &[(String, Vec<Option<String>>)]) -> Records {
        let mut r = Records::new(fields.iter().copied());
        for (id, values) in rows {
            r.push(id.clone(), values.iter().cloned()).unwrap();
        }
        r
    }

    /// The fit cache is used only for the records it was built from: any change the
    /// fingerprint must see (a value, an id, a value moved to the next field or row, a value
    /// split differently, missing against empty-and-absent, the table roles) changes it.
    #[test]
    fn the_fingerprint_tells_apart_every_change_that_matters() {
        let config = MatcherConfig::new(
            vec![
                FieldSpec::new("first_name", FieldKind::Name),
                FieldSpec::new("last_name", FieldKind::Name),
            ],
            Vec::new(),
        );
        let fields = ["first_name", "last_name"];
        let row = |id: &str, a: Option<&str>, b: Option<&str>| {
            (
                id.to_owned(),
                vec![a.map(str::to_owned), b.map(str::to_owned)],
            )
        };
        let base = vec![
            row("1", Some("Jan"), Some("de Vries")),
            row("2", Some("Anna"), None),
        ];
        let variants = [
            vec![
                row("1", Some("Jan"), Some("de Vries")),
                row("2", Some("Anne"), None),
            ],
            vec![
                row("1", Some("Jan"), Some("de Vries")),
                row("3", Some("Anna"), None),
            ],
            vec![
                row("1", Some("Jan"), Some("de Vries")),
                row("2", None, Some("Anna")),
            ],
            vec![
                row("1", Some("Jande"), Some(" Vries")),
                row("2", Some("Anna"), None),
            ],
            vec![row("1", Some("Jan"), Some("de Vries"))],
            vec![
                row("2", Some("Anna"), None),
                row("1", Some("Jan"), Some("de Vries")),
            ],
        ];
        let other = rebuild(&fields, &[row("9", Some("Piet"), None)]);
        let fp = |rows: &[(String, Vec<Option<String>>)], right: Option<&Records>| {
            fingerprint(&config, &rebuild(&fields, rows), right)
        };
        assert_eq!(fp(&base, Some(&other)), fp(&base, Some(&other)));
        assert_ne!(fp(&base, None), fp(&base, Some(&other)));
        assert_ne!(
            fingerprint(&config, &other, Some(&rebuild(&fields, &base))),
            fp(&base, Some(&other))
        );
        for (i, variant) in variants.iter().enumerate() {
            assert_ne!(fp(variant, None), fp(&base, None), "variant {i}");
            assert_ne!(
                fp(variant, Some(&other)),
                fp(&base, Some(&other)),
                "variant {i}"
            );
        }
        // a blank value reads as missing (what `value_at` gives), so it is the same records
        let blank = vec![
            row("1", Some("Jan"), Some("de Vries")),
            row("2", Some("Anna"), Some("  ")),
        ];
        assert_eq!(fp(&blank, None), fp(&base, None));
    }

    /// The fit cache holds every fitted record prepared: erasing a person must drop it, and
    /// `clear_cache` must free it without changing any result.
    #[test]
    fn forget_and_clear_cache_drop_the_prepared_records() {
        let (left, right) = tables();
        let config = MatcherConfig::new(
            vec![
                FieldSpec::new("first_name", FieldKind::Name),
                FieldSpec::new("last_name", FieldKind::Name),
                FieldSpec::new("city", FieldKind::Text),
            ],
            Vec::new(),
        );
        let mut m = Matcher::new(config).unwrap();
        m.fit(&left, &right).unwrap();
        assert!(m.cache.is_some());
        let cached = m.link(&left, &right, 0.0, false).unwrap();
        m.clear_cache();
        assert!(m.cache.is_none());
        let fresh = m.link(&left, &right, 0.0, false).unwrap();
        assert!(cached == fresh, "links differ once the cache is cleared");

        m.fit(&left, &right).unwrap();
        assert!(m.cache.is_some());
        m.forget(&left, "l1").unwrap();
        assert!(
            m.cache.is_none(),
            "forget left the prepared records in memory"
        );
    }
}
