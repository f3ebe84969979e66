//! Incremental matching: a fitted matcher plus an index of known records accepts new records
//! and assigns each to an existing cluster (or a new one) without refitting.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::block::KeySource;
use super::engine::Scorer;
use super::matcher::{FieldKeys, Matcher, ResolvedRule, Workspace};
use super::model::probability_from_weight;
use super::table::{Interner, Records};
use crate::error::{Error, Result};

/// Where an added record went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// The added record's id.
    pub id: String,
    /// The cluster it joined or founded.
    pub cluster_id: String,
    /// The known record it matched best, when it joined a cluster.
    pub matched_id: Option<String>,
    /// The probability of that best match (0 for a new cluster without candidates).
    pub match_probability: f64,
    /// `true` when the record founded a new cluster.
    pub new_cluster: bool,
}

/// A fitted matcher with the records it has seen, for incremental deduplication.
///
/// Cluster ids are opaque (`"k1"`, `"k2"`, ...) and never change once given: a record
/// added later joins an existing cluster id or gets a new one. They are not record ids, so
/// that erasing a person ([`MatchIndex::remove`]) leaves no trace of their id behind.
///
/// ```
/// use socialcrm::identity::{BlockingRule, FieldKind, FieldSpec, Matcher, MatcherConfig, MatchIndex, Records};
/// let config = MatcherConfig::new(
///     vec![FieldSpec::new("name", FieldKind::Name), FieldSpec::new("email", FieldKind::Email)],
///     vec![BlockingRule::exact(["email"]), "name:phonetic".parse()?],
/// );
/// let mut known = Records::new(["name", "email"]);
/// known.push("a", [Some("Jan de Vries"), Some("jan@example.nl")])?;
/// known.push("b", [Some("Petra Müller"), Some("petra@example.de")])?;
/// known.push("c", [Some("Anna Schmidt"), Some("anna@example.de")])?;
/// let mut matcher = Matcher::new(config)?;
/// matcher.fit_dedupe(&known)?;
/// let mut index = MatchIndex::build(&matcher, &known, 0.5)?;
/// let mut new = Records::new(["name", "email"]);
/// new.push("d", [Some("Jan de Vries"), Some("jan@example.nl")])?;
/// let assigned = index.add(&new)?;
/// assert_eq!(assigned[0].cluster_id, index.cluster_of("a").unwrap());
/// # Ok::<(), socialcrm::Error>(())
/// ```
pub struct MatchIndex {
    matcher: Matcher,
    threshold: f64,
    records: Records,
    ws: Workspace,
    rules: Vec<ResolvedRule>,
    offsets: Vec<usize>,
    scorer: Scorer,
    /// Per rule: blocking key → rows.
    blocks: Vec<FxHashMap<u64, Vec<u32>>>,
    /// Cluster label per row.
    cluster: Vec<u32>,
    next_cluster: u32,
}

impl std::fmt::Debug for MatchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchIndex")
            .field("records", &self.records.len())
            .field(
                "clusters",
                &self.cluster.iter().collect::<FxHashSet<_>>().len(),
            )
            .field("threshold", &self.threshold)
            .finish()
    }
}

impl MatchIndex {
    /// Deduplicates `records` with the fitted `matcher` and indexes them; later records are
    /// assigned against them with [`MatchIndex::add`].
    pub fn build(matcher: &Matcher, records: &Records, threshold: f64) -> Result<MatchIndex> {
        let result = matcher.dedupe(records, threshold)?;
        // opaque cluster labels in order of first appearance
        let mut labels: FxHashMap<&str, u32> = FxHashMap::default();
        let mut cluster = Vec::with_capacity(records.len());
        for m in &result.clusters {
            let next = labels.len() as u32 + 1;
            cluster.push(*labels.entry(m.cluster_id.as_str()).or_insert(next));
        }
        let next_cluster = labels.len() as u32 + 1;
        let mut index = MatchIndex::assemble(
            matcher.clone(),
            threshold,
            records.clone(),
            cluster,
            next_cluster,
        )?;
        index.reindex();
        Ok(index)
    }

    fn assemble(
        matcher: Matcher,
        threshold: f64,
        records: Records,
        cluster: Vec<u32>,
        next_cluster: u32,
    ) -> Result<MatchIndex> {
        let mut strings = Interner::with_signatures();
        let side = matcher.prepare_side(&records, "index", true, &mut strings, false)?;
        let ws = Workspace {
            strings,
            left: side,
            right: None,
        };
        let offsets = matcher.offsets();
        let rules = matcher.rules()?;
        let scorer = matcher.scorer(&ws, &offsets)?;
        Ok(MatchIndex {
            matcher,
            threshold,
            records,
            ws,
            rules,
            offsets,
            scorer,
            blocks: Vec::new(),
            cluster,
            next_cluster,
        })
    }

    fn keys_of(&self, rule: usize, row: u32) -> Vec<u64> {
        let source = FieldKeys {
            ws: &self.ws,
            rules: &self.rules,
            offsets: &self.offsets,
        };
        let mut keys = Vec::new();
        source.left_keys(rule, row, &mut keys);
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    fn reindex(&mut self) {
        let rule_count = self.rules.len().max(1);
        self.blocks = vec![FxHashMap::default(); rule_count];
        for row in 0..self.records.len() as u32 {
            for rule in 0..rule_count {
                for key in self.keys_of(rule, row) {
                    self.blocks[rule].entry(key).or_default().push(row);
                }
            }
        }
    }

    /// Number of indexed records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// `true` when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The cluster id of an indexed record.
    pub fn cluster_of(&self, id: &str) -> Option<String> {
        let row = self.records.ids().iter().position(|x| x == id)?;
        Some(format!("k{}", self.cluster[row]))
    }

    /// Assigns each new record to the cluster of its best-matching indexed record (if that
    /// match reaches the threshold) or to a new cluster, and indexes it, so that later records
    /// in the same call and later calls can match it. Existing cluster ids never change.
    pub fn add(&mut self, new: &Records) -> Result<Vec<Assignment>> {
        new.check_unique_ids("new records")?;
        let known: FxHashSet<&str> = self.records.ids().iter().map(String::as_str).collect();
        if let Some(dup) = new.ids().iter().find(|id| known.contains(id.as_str())) {
            return Err(Error::DuplicateId {
                id: dup.clone(),
                table: "index".into(),
            });
        }
        let side = self
            .matcher
            .prepare_side(new, "index", true, &mut self.ws.strings, false)?;
        self.records.append(new)?;
        let first_new = self.ws.left.ids.len() as u32;
        for (col, extra) in self.ws.left.columns.iter_mut().zip(&side.columns) {
            col.extend_from(extra);
        }
        self.ws.left.firsts.extend_from_slice(&side.firsts);
        self.ws.left.ids.extend(side.ids);
        if let (Some(a), Some(b)) = (&mut self.ws.left.allowed, side.allowed) {
            a.extend(b);
        }
        // term-frequency adjustments for the new values
        for (k, f) in self.matcher.config().fields.iter().enumerate() {
            let (Some(Some(map)), Some(Some(tf))) = (
                self.scorer.tf.get_mut(k),
                self.matcher.term_frequencies().get(k),
            ) else {
                continue;
            };
            if !f.term_frequency {
                continue;
            }
            let col = &self.ws.left.columns[self.offsets[k]];
            for row in first_new..col.rows() as u32 {
                if let Some(id) = col.first(row) {
                    map.entry(id)
                        .or_insert_with(|| tf.adjustment(self.ws.strings.resolve(id)));
                }
            }
        }
        let rule_count = self.rules.len().max(1);
        let mut out = Vec::with_capacity(new.len());
        for row in first_new..self.ws.left.ids.len() as u32 {
            let mut candidates: Vec<u32> = Vec::new();
            let mut keys_per_rule = Vec::with_capacity(rule_count);
            for rule in 0..rule_count {
                let keys = self.keys_of(rule, row);
                for key in &keys {
                    if let Some(rows) = self.blocks[rule].get(key) {
                        candidates.extend(rows);
                    }
                }
                keys_per_rule.push(keys);
            }
            candidates.sort_unstable();
            candidates.dedup();
            let id = self.ws.left.ids[row as usize].to_string();
            let mut best: Option<(f64, u32)> = None;
            for &other in &candidates {
                let other_id = &self.ws.left.ids[other as usize];
                let probability = if self
                    .matcher
                    .assertions()
                    .must_link
                    .contains(&(id.clone(), other_id.to_string()))
                    || self
                        .matcher
                        .assertions()
                        .must_link
                        .contains(&(other_id.to_string(), id.clone()))
                {
                    1.0
                } else if self.matcher.assertions().no_link(&id, other_id, true) {
                    0.0
                } else {
                    let (pattern, tf) =
                        self.matcher
                            .compare_rows(&self.ws, &self.offsets, other, row);
                    probability_from_weight(self.scorer.weight(pattern, &tf))
                };
                // ties go to the earliest indexed record
                if best.is_none_or(|(p, _)| probability > p) {
                    best = Some((probability, other));
                }
            }
            let assignment = match best {
                Some((p, other)) if p >= self.threshold => {
                    self.cluster.push(self.cluster[other as usize]);
                    Assignment {
                        id,
                        cluster_id: format!("k{}", self.cluster[other as usize]),
                        matched_id: Some(self.ws.left.ids[other as usize].to_string()),
                        match_probability: p,
                        new_cluster: false,
                    }
                }
                best => {
                    self.cluster.push(self.next_cluster);
                    self.next_cluster += 1;
                    Assignment {
                        id,
                        cluster_id: format!("k{}", self.next_cluster - 1),
                        matched_id: None,
                        match_probability: best.map_or(0.0, |(p, _)| p),
                        new_cluster: true,
                    }
                }
            };
            for (rule, keys) in keys_per_rule.into_iter().enumerate() {
                for key in keys {
                    self.blocks[rule].entry(key).or_default().push(row);
                }
            }
            out.push(assignment);
        }
        Ok(out)
    }

    /// Erases a record: its values, its place in the blocking index, assertions naming it,
    /// and its values in the matcher's term-frequency counts. Other records keep their
    /// cluster ids. Returns `false` if the id was not indexed.
    pub fn remove(&mut self, id: &str) -> Result<bool> {
        let Some(row) = self.records.ids().iter().position(|x| x == id) else {
            return Ok(false);
        };
        // build the new state aside and swap it in, so that an error leaves the index as it was
        let mut matcher = self.matcher.clone();
        matcher.forget(&self.records, id)?;
        let mut records = self.records.clone();
        records.remove(id);
        let mut cluster = self.cluster.clone();
        cluster.remove(row);
        // rebuild the prepared form: the interner must not keep the erased values either
        let mut rebuilt =
            MatchIndex::assemble(matcher, self.threshold, records, cluster, self.next_cluster)?;
        rebuilt.reindex();
        *self = rebuilt;
        Ok(true)
    }

    /// The matcher inside the index (with any assertions and forgotten values).
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }
}
