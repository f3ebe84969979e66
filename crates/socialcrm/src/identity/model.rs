//! The Fellegi–Sunter model: m- and u-probabilities per comparison level, fitted by
//! expectation–maximisation on candidate pairs without labels.
//!
//! A pair's comparison *pattern* is its level in every comparison. Candidate pairs are
//! summarised as counts of distinct patterns (a few thousand even for millions of pairs), and
//! EM runs on those counts, which makes fitting cost independent of the number of pairs.
//!
//! The model is fitted on *candidate* pairs (those the blocking rules produce), so `lambda`
//! is the share of candidates that match and `u` describes non-matching candidates. Its match
//! probability is therefore the posterior probability that a candidate pair is a match: the
//! quantity a link decision needs. u-probabilities estimated on random pairs (where almost
//! every pair is a non-match) only initialise EM.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Most comparisons a model supports (4 bits per comparison in a 128-bit pattern).
pub const MAX_COMPARISONS: usize = 32;
/// Most levels a comparison may have, including "missing".
pub const MAX_LEVELS: usize = 16;

/// A pattern: the level of each comparison, 4 bits each, comparison `k` at bits `4k..4k+4`.
pub(crate) type Pattern = u128;

pub(crate) fn pattern_level(p: Pattern, k: usize) -> usize {
    ((p >> (4 * k)) & 0xF) as usize
}

/// `p` with comparison `k` set to `level` (whatever it was before).
pub(crate) fn with_level(p: Pattern, k: usize, level: u8) -> Pattern {
    (p & !(Pattern::from(0xFu8) << (4 * k))) | (Pattern::from(level & 0xF) << (4 * k))
}

/// The parameters of one comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonParams {
    /// The comparison's name (the field name, or a cross-field comparison's name).
    pub name: String,
    /// Level labels; index 0 is "missing", which carries no evidence.
    pub levels: Vec<String>,
    /// P(level | match) for each level (index 0 unused, 1.0).
    pub m: Vec<f64>,
    /// P(level | non-match) for each level (index 0 unused, 1.0).
    pub u: Vec<f64>,
}

impl ComparisonParams {
    /// The match weight of a level in bits: log2(m/u); 0 for "missing".
    pub fn weight(&self, level: usize) -> f64 {
        if level == 0 {
            return 0.0;
        }
        match (self.m.get(level), self.u.get(level)) {
            (Some(&m), Some(&u)) => (m / u).log2(),
            _ => 0.0,
        }
    }
}

/// A fitted Fellegi–Sunter model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FsModel {
    /// One entry per comparison, in comparison order.
    pub comparisons: Vec<ComparisonParams>,
    /// P(match) for a candidate pair (the prior).
    pub lambda: f64,
    /// EM iterations run in the last fit.
    pub iterations: usize,
    /// Whether EM converged within its iteration limit.
    pub converged: bool,
}

/// Which parameters an EM run re-estimates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EmTargets {
    pub m: bool,
    pub u: bool,
    pub lambda: bool,
}

/// Probabilities are kept away from 0 and 1 so that weights stay finite.
const FLOOR: f64 = 1e-6;

impl FsModel {
    /// The prior's contribution to a match weight, log2(λ / (1 − λ)).
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// Starting parameters: `u` from random pairs, `m` a decreasing ladder (agreement is
    /// likely among matches), λ from an expected number of matches.
    pub(crate) fn initial(
        names: &[String],
        labels: &[Vec<String>],
        u: Vec<Vec<f64>>,
        lambda: f64,
    ) -> FsModel {
        let comparisons = names
            .iter()
            .zip(labels)
            .zip(u)
            .map(|((name, levels), u)| {
                // agreement levels 1..n-2 share 0.95 geometrically, the strongest most; the
                // last level ("different") gets 0.05
                let n = levels.len();
                let mut m = vec![0.0; n];
                if n >= 3 {
                    let mut rest = 0.95;
                    for (i, slot) in m.iter_mut().enumerate().take(n - 1).skip(1) {
                        let share = if i == n - 2 { rest } else { rest * 0.8 };
                        *slot = share;
                        rest -= share;
                    }
                    m[n - 1] = 0.05;
                } else if n == 2 {
                    m[1] = 1.0;
                }
                ComparisonParams {
                    name: name.clone(),
                    levels: levels.clone(),
                    m: normalise(m),
                    u: normalise(u),
                }
            })
            .collect();
        FsModel {
            comparisons,
            lambda: lambda.clamp(1e-6, 0.5),
            iterations: 0,
            converged: false,
        }
    }

    /// Runs EM on pattern counts (sorted by pattern, so sums are order-independent and the
    /// result is identical on any number of threads), re-estimating the parameters that
    /// `targets` names and keeping the others as they are.
    /// Every comparison's weight per level ([`ComparisonParams::weight`]), as a table.
    pub(crate) fn weight_table(&self) -> Vec<Vec<f64>> {
        self.comparisons
            .iter()
            .map(|c| (0..c.levels.len()).map(|l| c.weight(l)).collect())
            .collect()
    }

    pub(crate) fn fit_em(
        &mut self,
        patterns: &[(Pattern, u64)],
        max_iter: usize,
        tolerance: f64,
        targets: EmTargets,
    ) {
        let total: f64 = patterns.iter().map(|&(_, n)| n as f64).sum();
        if total == 0.0 || patterns.len() < 2 {
            self.iterations = 0;
            self.converged = false;
            return;
        }
        let k_count = self.comparisons.len();
        for iter in 1..=max_iter {
            let mut m_acc: Vec<Vec<f64>> = self
                .comparisons
                .iter()
                .map(|c| vec![0.0; c.levels.len()])
                .collect();
            let mut u_acc = m_acc.clone();
            let mut matched = 0.0;
            let prior = self.prior_weight();
            // the weights change once per iteration, not per pattern: no logarithms below
            let weights = self.weight_table();
            for &(p, n) in patterns {
                let mut w = prior;
                for (k, table) in weights.iter().enumerate() {
                    w += table[pattern_level(p, k)];
                }
                let g = probability_from_weight(w);
                let n = n as f64;
                matched += n * g;
                for k in 0..k_count {
                    let l = pattern_level(p, k);
                    m_acc[k][l] += n * g;
                    u_acc[k][l] += n * (1.0 - g);
                }
            }
            let mut change: f64 = 0.0;
            if targets.lambda {
                let lambda = (matched / total).clamp(FLOOR, 1.0 - FLOOR);
                change = change.max((lambda - self.lambda).abs());
                self.lambda = lambda;
            }
            for (k, c) in self.comparisons.iter_mut().enumerate() {
                if targets.m {
                    let new_m = normalise(std::mem::take(&mut m_acc[k]));
                    change = change.max(max_abs_diff(&new_m, &c.m));
                    c.m = new_m;
                }
                if targets.u {
                    let new_u = normalise(std::mem::take(&mut u_acc[k]));
                    change = change.max(max_abs_diff(&new_u, &c.u));
                    c.u = new_u;
                }
            }
            self.iterations = iter;
            if change < tolerance {
                self.converged = true;
                return;
            }
        }
        self.converged = false;
    }

    /// Checks that the model fits a set of comparisons (names and level counts), for loading.
    pub(crate) fn check_shape(&self, names: &[String], level_counts: &[usize]) -> Result<()> {
        if self.comparisons.len() != names.len() {
            return Err(Error::Model(format!(
                "the model has {} comparisons, the configuration {}",
                self.comparisons.len(),
                names.len()
            )));
        }
        for ((c, name), &n) in self.comparisons.iter().zip(names).zip(level_counts) {
            if &c.name != name || c.levels.len() != n || c.m.len() != n || c.u.len() != n {
                return Err(Error::Model(format!(
                    "comparison {:?} in the model does not match the configuration's {name:?} with {n} levels",
                    c.name
                )));
            }
            if c.m
                .iter()
                .chain(&c.u)
                .any(|x| !x.is_finite() || *x <= 0.0 || *x > 1.0)
            {
                return Err(Error::Model(format!(
                    "comparison {name:?} has probabilities outside (0, 1]"
                )));
            }
        }
        if !(self.lambda > 0.0 && self.lambda < 1.0) {
            return Err(Error::Model(format!(
                "prior {} is not in (0, 1)",
                self.lambda
            )));
        }
        Ok(())
    }
}

/// Normalises counts over the non-missing levels (index 0 is set to 1.0) and floors them.
pub(crate) fn normalise(mut v: Vec<f64>) -> Vec<f64> {
    if v.is_empty() {
        return v;
    }
    v[0] = 0.0;
    let n = v.len() - 1;
    let sum: f64 = v[1..].iter().map(|x| x.max(0.0)).sum();
    for x in &mut v[1..] {
        *x = if sum > 0.0 {
            x.max(0.0) / sum
        } else {
            1.0 / n as f64
        };
        *x = x.max(FLOOR);
    }
    let sum: f64 = v[1..].iter().sum();
    for x in &mut v[1..] {
        *x /= sum;
    }
    v[0] = 1.0;
    v
}

fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// The logistic function in base 2: the probability whose log2-odds are `w`.
pub fn probability_from_weight(w: f64) -> f64 {
    if w >= 0.0 {
        1.0 / (1.0 + (-w).exp2())
    } else {
        let e = w.exp2();
        e / (1.0 + e)
    }
}

/// Reads a saved document of kind `what` ("matcher", "linker"): checks its `format` and
/// `version` (a newer version than this build's is refused, as is a missing one), then
/// deserialises it. Every failure is an [`Error::Model`] that says which check failed.
/// Writes a saved model; an I/O error names the file.
pub(crate) fn write_model_file(path: &std::path::Path, json: &str) -> Result<()> {
    std::fs::write(path, json).map_err(|e| with_path(e, path))
}

/// Reads a saved model's text: an I/O error names the file, and a file that is not UTF-8
/// text is an [`Error::Model`] (it cannot be a saved model), like any other corrupt file.
pub(crate) fn read_model_file(path: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| with_path(e, path))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::Model(format!(
            "{}: not UTF-8 text, so not a saved model ({e})",
            path.display()
        ))
    })
}

/// An I/O error with the file it happened on. It stays an [`Error::Io`] of the same kind,
/// and the original error (with the operating system's error number, which Python's
/// `OSError.errno` reports) is its `source()`.
fn with_path(e: std::io::Error, path: &std::path::Path) -> Error {
    Error::Io(std::io::Error::new(
        e.kind(),
        AtPath {
            path: path.display().to_string(),
            source: e,
        },
    ))
}

#[derive(Debug)]
struct AtPath {
    path: String,
    source: std::io::Error,
}

impl std::fmt::Display for AtPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.source)
    }
}

impl std::error::Error for AtPath {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

pub(crate) fn read_versioned<T: serde::de::DeserializeOwned>(
    json: &str,
    expected_format: &str,
    supported_version: u32,
    what: &str,
) -> Result<T> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::Model(format!("not valid JSON: {e}")))?;
    let format = value
        .get("format")
        .and_then(|f| f.as_str())
        .unwrap_or_default();
    if format != expected_format {
        return Err(Error::Model(format!(
            "expected format {expected_format:?}, found {format:?}"
        )));
    }
    let version = value
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if version > u64::from(supported_version) {
        return Err(Error::Model(format!(
            "written by a newer socialcrm (format version {version}; this build reads up to {supported_version})"
        )));
    }
    if version == 0 {
        return Err(Error::Model("missing or invalid format version".into()));
    }
    serde_json::from_value(value).map_err(|e| Error::Model(format!("invalid {what} document: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_pack_levels() {
        let p = with_level(with_level(0, 0, 3), 31, 15);
        assert_eq!(pattern_level(p, 0), 3);
        assert_eq!(pattern_level(p, 31), 15);
        assert_eq!(pattern_level(p, 5), 0);
    }

    #[test]
    fn probability_is_logistic_in_bits() {
        assert!((probability_from_weight(0.0) - 0.5).abs() < 1e-12);
        assert!((probability_from_weight(1.0) - 2.0 / 3.0).abs() < 1e-12);
        assert!(probability_from_weight(2000.0) <= 1.0);
        assert!(probability_from_weight(-2000.0) >= 0.0);
    }

    /// Two comparisons, each "agree"/"disagree"; simulated from known parameters, EM must
    /// recover them.
    #[test]
    fn em_recovers_known_parameters() {
        let (m1, u1, m2, u2, lambda): (f64, f64, f64, f64, f64) = (0.9, 0.05, 0.8, 0.1, 0.2);
        let total: f64 = 1_000_000.0;
        let mut patterns = Vec::new();
        for a in [1u8, 2] {
            for b in [1u8, 2] {
                let pm =
                    (if a == 1 { m1 } else { 1.0 - m1 }) * (if b == 1 { m2 } else { 1.0 - m2 });
                let pu =
                    (if a == 1 { u1 } else { 1.0 - u1 }) * (if b == 1 { u2 } else { 1.0 - u2 });
                let n = total * (lambda * pm + (1.0 - lambda) * pu);
                patterns.push((with_level(with_level(0, 0, a), 1, b), n.round() as u64));
            }
        }
        patterns.sort_unstable();
        let names = vec!["a".to_owned(), "b".to_owned()];
        let labels = vec![
            vec![
                "missing".to_owned(),
                "agree".to_owned(),
                "disagree".to_owned()
            ];
            2
        ];
        // a third comparison would make the model identifiable from 2x2 counts alone; with two
        // comparisons EM needs u fixed, which is what random sampling provides
        let u = vec![vec![1.0, u1, 1.0 - u1], vec![1.0, u2, 1.0 - u2]];
        let mut model = FsModel::initial(&names, &labels, u, 0.05);
        model.fit_em(
            &patterns,
            500,
            1e-9,
            EmTargets {
                m: true,
                u: false,
                lambda: true,
            },
        );
        assert!(model.converged);
        assert!(
            (model.lambda - lambda).abs() < 1e-3,
            "lambda {}",
            model.lambda
        );
        assert!((model.comparisons[0].m[1] - m1).abs() < 1e-3);
        assert!((model.comparisons[1].m[1] - m2).abs() < 1e-3);
    }

    #[test]
    fn shape_check_rejects_mismatches() {
        let names = vec!["a".to_owned()];
        let labels = vec![vec![
            "missing".to_owned(),
            "exact".to_owned(),
            "different".to_owned(),
        ]];
        let model = FsModel::initial(&names, &labels, vec![vec![1.0, 0.1, 0.9]], 0.01);
        assert!(model.check_shape(&names, &[3]).is_ok());
        assert!(model.check_shape(&names, &[4]).is_err());
        assert!(model.check_shape(&["b".to_owned()], &[3]).is_err());
        let mut bad = model.clone();
        bad.comparisons[0].m[1] = f64::NAN;
        assert!(bad.check_shape(&names, &[3]).is_err());
    }
}
