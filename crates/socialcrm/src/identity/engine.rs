//! The parts of fitting and scoring that every linkage problem shares: the generic field
//! matcher and the CRM↔social linker differ only in how records are prepared, compared and
//! blocked (a [`PairSpace`]).

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::assign::Scored;
use super::block::{KeySource, unpack};
use super::model::{
    EmTargets, FsModel, MAX_COMPARISONS, Pattern, pattern_level, probability_from_weight,
};
use super::table::NONE;

/// Prepared records of two sides (or one, for deduplication) that can be compared pairwise.
pub(crate) trait PairSpace: Sync {
    /// Rows on the left (and, for deduplication, the only) side.
    fn left_len(&self) -> usize;
    /// Rows on the right side (equal to `left_len` for deduplication).
    fn right_len(&self) -> usize;
    /// One table compared with itself.
    fn dedupe(&self) -> bool;
    /// Whether a left row may take part (consent).
    fn left_allowed(&self, row: u32) -> bool;
    /// The level pattern of a pair and, per comparison, the interned value whose term
    /// frequency adjusts the weight (or [`NONE`]).
    fn compare(&self, left: u32, right: u32) -> (Pattern, [u32; MAX_COMPARISONS]);
    /// The blocking keys of this space.
    fn keys(&self) -> &dyn KeySource;
}

/// Fitting settings shared by all linkage problems.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FitSettings {
    pub u_sample_pairs: usize,
    pub seed: u64,
    pub prior: Option<f64>,
    pub max_em_iterations: usize,
    pub em_tolerance: f64,
    pub estimate_u: bool,
}

/// SplitMix64: a tiny, value-stable generator for the random pair sample (the same seed
/// gives the same sample in every version, unlike `rand`'s `StdRng`).
pub(crate) struct SplitMix64(pub u64);

impl SplitMix64 {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0) by multiply-shift.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// Level counts among random pairs, Laplace-smoothed: the starting u-probabilities.
fn sample_u(
    space: &dyn PairSpace,
    labels: &[Vec<String>],
    settings: &FitSettings,
) -> Vec<Vec<f64>> {
    smoothed(sample_levels(space, labels, settings, None).all)
}

/// Level counts with one added to every non-missing level: a level never seen among random
/// pairs (exact agreement on a rare field) must not get u = 0 and an infinite weight.
fn smoothed(mut counts: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    for c in &mut counts {
        for x in c.iter_mut().skip(1) {
            *x += 1.0;
        }
    }
    counts
}

/// The match weight of a pattern in bits: the prior plus each comparison's level weight
/// from `weights` (see [`FsModel::weight_table`]).
fn pattern_weight(prior: f64, weights: &[Vec<f64>], pattern: Pattern) -> f64 {
    prior
        + weights
            .iter()
            .enumerate()
            .map(|(k, table)| table[pattern_level(pattern, k)])
            .sum::<f64>()
}

/// Level counts among random pairs: of all of them, and of those that are not candidates.
struct LevelSample {
    all: Vec<Vec<f64>>,
    outside: Vec<Vec<f64>>,
    outside_pairs: f64,
}

/// Compares `settings.u_sample_pairs` random pairs and counts each comparison's levels;
/// with `candidates` (sorted packed pairs), also among the sampled pairs that are not
/// candidates.
fn sample_levels(
    space: &dyn PairSpace,
    labels: &[Vec<String>],
    settings: &FitSettings,
    candidates: Option<&[u64]>,
) -> LevelSample {
    let mut counts: Vec<Vec<f64>> = labels.iter().map(|l| vec![0.0; l.len()]).collect();
    let mut outside = counts.clone();
    let mut outside_pairs = 0.0;
    let left: Vec<u32> = (0..space.left_len() as u32)
        .filter(|&r| space.left_allowed(r))
        .collect();
    let right_n = space.right_len() as u64;
    let possible = if space.dedupe() {
        left.len() as u64 * left.len().saturating_sub(1) as u64
    } else {
        left.len() as u64 * right_n
    };
    if possible > 0 {
        let mut rng = SplitMix64(settings.seed);
        let samples = (settings.u_sample_pairs as u64).min(possible);
        let pairs: Vec<(u32, u32)> = (0..samples)
            .filter_map(|_| {
                let l = left[rng.below(left.len() as u64) as usize];
                let r = if space.dedupe() {
                    left[rng.below(left.len() as u64) as usize]
                } else {
                    rng.below(right_n) as u32
                };
                (!(space.dedupe() && l == r)).then_some((l, r))
            })
            .collect();
        let patterns: Vec<(Pattern, bool)> = pairs
            .par_iter()
            .map(|&(l, r)| {
                let (a, b) = if space.dedupe() {
                    (l.min(r), l.max(r))
                } else {
                    (l, r)
                };
                let candidate =
                    candidates.is_some_and(|c| c.binary_search(&super::block::pack(a, b)).is_ok());
                (space.compare(l, r).0, candidate)
            })
            .collect();
        for (p, candidate) in patterns {
            for (k, c) in counts.iter_mut().enumerate() {
                c[pattern_level(p, k)] += 1.0;
            }
            if !candidate {
                outside_pairs += 1.0;
                for (k, c) in outside.iter_mut().enumerate() {
                    c[pattern_level(p, k)] += 1.0;
                }
            }
        }
    }
    LevelSample {
        all: counts,
        outside,
        outside_pairs,
    }
}

/// Re-estimates u with the part of the pair space that blocking covers counted exactly.
///
/// A random sample of 200,000 pairs sees the strongest agreement levels a handful of times
/// (full-name agreement between a contact and a profile: about 3 in 200,000), so their u,
/// and with it the weight of the most decisive evidence, rests on a few draws and on the
/// smoothing that keeps it above zero. But the candidates are *every* pair that shares a
/// blocking key, and the pairs that agree on a name are almost all among them. So the
/// number of non-matching pairs at each level is counted as
///
/// `candidates at the level − expected matches among them (the model's posteriors)
///  + non-candidate pairs × the level's share among sampled non-candidates`,
///
/// and u is that, normalised over the non-missing levels. The expected matches depend on u
/// through the prior, so u and λ are refined together for a few rounds. A level found
/// neither among candidates nor in the sample counts a hundredth of one sampled pair; the
/// model's floor on every probability (1e-6, see `normalise`) then bounds the weight, and
/// also caps how small an exactly counted u can get.
fn refine_u(
    model: &mut FsModel,
    sample: &LevelSample,
    candidates: &[(Pattern, u64)],
    possible_pairs: f64,
    settings: &FitSettings,
) {
    let candidate_total: u64 = candidates.iter().map(|&(_, n)| n).sum();
    if sample.outside_pairs < 1.0 || candidate_total == 0 {
        return;
    }
    let outside_total = (possible_pairs - candidate_total as f64).max(0.0);
    let per_sampled_pair = outside_total / sample.outside_pairs;
    for _ in 0..4 {
        let prior = model.prior_weight();
        let weights = model.weight_table();
        let mut at_level: Vec<Vec<f64>> = model
            .comparisons
            .iter()
            .map(|c| vec![0.0; c.levels.len()])
            .collect();
        let mut matches_at: Vec<Vec<f64>> = at_level.clone();
        for &(p, n) in candidates {
            let matched = n as f64 * probability_from_weight(pattern_weight(prior, &weights, p));
            for k in 0..at_level.len() {
                let level = pattern_level(p, k);
                at_level[k][level] += n as f64;
                matches_at[k][level] += matched;
            }
        }
        for (k, c) in model.comparisons.iter_mut().enumerate() {
            let mut non_matches = vec![0.0; c.levels.len()];
            for level in 1..c.levels.len() {
                let outside = sample.outside[k][level] * per_sampled_pair;
                non_matches[level] = (at_level[k][level] - matches_at[k][level] + outside)
                    .max(0.01 * per_sampled_pair);
            }
            c.u = super::model::normalise(non_matches);
        }
        if settings.prior.is_none() {
            model.lambda = all_pairs_prior(model, candidates, possible_pairs, settings);
        }
    }
}

/// Counts of distinct patterns among the candidate pairs, sorted by pattern so that EM sums
/// in the same order on any number of threads.
pub(crate) fn pattern_counts(space: &dyn PairSpace, pairs: &[u64]) -> Vec<(Pattern, u64)> {
    count_sorted(pairs.par_iter().map(|&pair| {
        let (l, r) = unpack(pair);
        space.compare(l, r).0
    }))
}

/// Sorted (pattern, count) pairs of a parallel stream of patterns, counted per thread and
/// merged: the form EM works on, identical on any number of threads.
pub(crate) fn count_sorted(patterns: impl ParallelIterator<Item = Pattern>) -> Vec<(Pattern, u64)> {
    let counts: FxHashMap<Pattern, u64> = patterns
        .fold(FxHashMap::default, |mut acc, pattern| {
            *acc.entry(pattern).or_default() += 1;
            acc
        })
        .reduce(FxHashMap::default, |mut a, b| {
            for (p, n) in b {
                *a.entry(p).or_default() += n;
            }
            a
        });
    let mut patterns: Vec<(Pattern, u64)> = counts.into_iter().collect();
    patterns.sort_unstable();
    patterns
}

/// Fits a Fellegi–Sunter model on the candidate pairs of `space`, summarised as sorted
/// pattern counts (see [`pattern_counts`]).
pub(crate) fn fit_model(
    space: &dyn PairSpace,
    names: &[String],
    labels: &[Vec<String>],
    patterns: &[(Pattern, u64)],
    expected_matches: f64,
    settings: &FitSettings,
) -> FsModel {
    let u = sample_u(space, labels, settings);
    let candidates: u64 = patterns.iter().map(|&(_, n)| n).sum();
    let lambda = settings
        .prior
        .unwrap_or_else(|| (expected_matches / candidates.max(1) as f64).clamp(1e-4, 0.5));
    let mut model = FsModel::initial(names, labels, u, lambda);
    model.fit_em(
        patterns,
        settings.max_em_iterations,
        settings.em_tolerance,
        EmTargets {
            m: true,
            u: settings.estimate_u,
            lambda: settings.prior.is_none(),
        },
    );
    model
}

/// All candidate pairs: sorted packed pairs, and their comparison patterns counted.
#[derive(Clone, Copy)]
pub(crate) struct Candidates<'a> {
    pub pairs: &'a [u64],
    pub patterns: &'a [(Pattern, u64)],
}

/// Candidate pairs of one blocking rule, for a training session, and the comparisons that
/// rule conditions on (they agree by construction of the block, so their m-probabilities
/// cannot be learned from it).
pub(crate) struct Session<'a> {
    pub pairs: &'a [u64],
    pub conditioned: Vec<usize>,
}

/// The probability that two random records match: the fixed point of
/// λ = Σ_candidates P(match | pattern, λ) / possible pairs.
fn all_pairs_prior(
    model: &mut FsModel,
    candidates: &[(Pattern, u64)],
    possible_pairs: f64,
    settings: &FitSettings,
) -> f64 {
    let total: u64 = candidates.iter().map(|&(_, n)| n).sum();
    if total == 0 || possible_pairs < 1.0 {
        return 1e-6;
    }
    let mut lambda = (0.1 * total as f64 / possible_pairs).clamp(1e-15, 0.5);
    for _ in 0..settings.max_em_iterations {
        model.lambda = lambda;
        let prior = model.prior_weight();
        let weights = model.weight_table();
        let matches: f64 = candidates
            .iter()
            .map(|&(p, n)| n as f64 * probability_from_weight(pattern_weight(prior, &weights, p)))
            .sum();
        let next = (matches / possible_pairs).clamp(1e-15, 0.5);
        if (next - lambda).abs() <= settings.em_tolerance * lambda {
            return next;
        }
        lambda = next;
    }
    lambda
}

/// Sessions with fewer pairs than this teach nothing reliable and are skipped.
const MIN_SESSION_PAIRS: usize = 50;

/// Pairs per session used for EM at most (a deterministic sample beyond): the patterns of a
/// few million pairs pin the parameters down; more only costs time.
const MAX_SESSION_PAIRS: usize = 2_000_000;

/// Fits a Fellegi–Sunter model the way Splink does, which stays sound when the blocking
/// rules make candidates agree on the fields that decide a match, with two refinements
/// (the session's own u in 2, and 4):
///
/// 1. u from random pairs (almost all non-matches);
/// 2. m by EM per blocking rule ("session"), learning only the comparisons the rule does not
///    condition on, then averaged over the sessions that learned each comparison (each
///    session also fits a u of its own for its own non-matches, which it then drops);
/// 3. the prior: with m and u fixed, EM on all candidates estimates how many are matches;
///    divided by all possible pairs that is the probability that two random records match,
///    the λ that belongs with random-pair u;
/// 4. u and λ refined together with the candidates counted exactly (see [`refine_u`]).
///
/// The resulting match probability is P(match | comparison pattern) among all pairs.
pub(crate) fn fit_model_in_sessions(
    space: &dyn PairSpace,
    names: &[String],
    labels: &[Vec<String>],
    sessions: &[Session<'_>],
    candidates: &Candidates<'_>,
    possible_pairs: f64,
    settings: &FitSettings,
) -> FsModel {
    let Candidates {
        pairs: candidate_pairs,
        patterns: candidates,
    } = *candidates;
    let sample = sample_levels(space, labels, settings, Some(candidate_pairs));
    let mut model = FsModel::initial(names, labels, smoothed(sample.all.clone()), 0.1);
    let base = model.clone();
    let mut m_sum: Vec<Vec<f64>> = labels.iter().map(|l| vec![0.0; l.len()]).collect();
    let mut learned = vec![0.0f64; names.len()];
    let mut iterations = 0;
    for session in sessions {
        if session.pairs.len() < MIN_SESSION_PAIRS || session.conditioned.len() >= names.len() {
            continue;
        }
        let step = session.pairs.len().div_ceil(MAX_SESSION_PAIRS);
        let sample: Vec<u64> = session.pairs.iter().step_by(step).copied().collect();
        // the conditioned comparisons count as missing in this session
        let mut mask: Pattern = 0;
        for &k in &session.conditioned {
            mask |= 0xF << (4 * k);
        }
        let mut counts: FxHashMap<Pattern, u64> = FxHashMap::default();
        for (p, n) in pattern_counts(space, &sample) {
            *counts.entry(p & !mask).or_default() += n;
        }
        let mut patterns: Vec<(Pattern, u64)> = counts.into_iter().collect();
        patterns.sort_unstable();
        let mut session_model = base.clone();
        session_model.fit_em(
            &patterns,
            settings.max_em_iterations,
            settings.em_tolerance,
            EmTargets {
                m: true,
                // the session's own non-matches (namesakes, in a session blocked on the
                // name) are not random pairs: people who share a name also share a city
                // more often. Held at random-pair u, EM takes those non-matches that agree
                // on such a field for matches (which halved m of e-mail agreement in the
                // social world); given their own u, they stay non-matches. This u only
                // serves the session and is dropped.
                u: true,
                lambda: true,
            },
        );
        iterations += session_model.iterations;
        // m is a share among matches, so sessions pool by the matches they saw: a rule
        // whose blocks hold almost none (its EM then fits some other cluster of pairs)
        // must not count as much as one that holds thousands
        let matches = session_model.lambda * sample.len() as f64;
        for k in (0..names.len()).filter(|k| !session.conditioned.contains(k)) {
            for (sum, m) in m_sum[k].iter_mut().zip(&session_model.comparisons[k].m) {
                *sum += matches * m;
            }
            learned[k] += matches;
        }
    }
    for (k, c) in model.comparisons.iter_mut().enumerate() {
        if learned[k] > 0.0 {
            c.m = m_sum[k].iter().map(|s| s / learned[k]).collect();
            c.m[0] = 1.0;
        }
    }
    // the prior: EM on λ alone over all pairs, where every pair that is not a candidate is
    // taken to be a non-match (blocking is designed to keep the matches)
    let lambda = match settings.prior {
        Some(p) => p,
        None => all_pairs_prior(&mut model, candidates, possible_pairs, settings),
    };
    model.lambda = lambda;
    refine_u(&mut model, &sample, candidates, possible_pairs, settings);
    model.iterations = iterations;
    model.converged = true;
    model
}

/// Precomputed weights for scoring many pairs.
pub(crate) struct Scorer {
    pub prior: f64,
    /// `weights[k][level]`.
    pub weights: Vec<Vec<f64>>,
    /// Per comparison with term frequencies: the adjustment by interned value id.
    pub tf: Vec<Option<FxHashMap<u32, f64>>>,
}

impl Scorer {
    pub(crate) fn new(model: &FsModel, tf: Vec<Option<FxHashMap<u32, f64>>>) -> Scorer {
        Scorer {
            prior: model.prior_weight(),
            weights: model.weight_table(),
            tf,
        }
    }

    /// The term-frequency adjustment of comparison `k` for value `id`.
    pub(crate) fn tf_adjustment(&self, k: usize, id: u32) -> f64 {
        if id == NONE {
            return 0.0;
        }
        match self.tf.get(k) {
            Some(Some(t)) => t.get(&id).copied().unwrap_or(0.0),
            _ => 0.0,
        }
    }

    /// Total weight in bits (prior included).
    pub(crate) fn weight(&self, pattern: Pattern, tf_ids: &[u32; MAX_COMPARISONS]) -> f64 {
        let mut w = self.prior;
        for (k, table) in self.weights.iter().enumerate() {
            w += table[pattern_level(pattern, k)] + self.tf_adjustment(k, tf_ids[k]);
        }
        w
    }

    /// Per comparison: (level, weight including the term-frequency adjustment).
    pub(crate) fn evidence(
        &self,
        pattern: Pattern,
        tf_ids: &[u32; MAX_COMPARISONS],
    ) -> Vec<(u8, f64)> {
        (0..self.weights.len())
            .map(|k| {
                let level = pattern_level(pattern, k);
                (
                    level as u8,
                    self.weights[k][level] + self.tf_adjustment(k, tf_ids[k]),
                )
            })
            .collect()
    }
}

/// Scores candidate pairs and keeps those with probability ≥ `threshold`, in pair order.
pub(crate) fn score_pairs(
    space: &dyn PairSpace,
    scorer: &Scorer,
    pairs: &[u64],
    threshold: f64,
) -> Vec<Scored> {
    score_each(pairs, threshold, |_, l, r| {
        let (pattern, tf) = space.compare(l, r);
        scorer.weight(pattern, &tf)
    })
}

/// A weight below which no probability can reach `threshold`, however it is rounded: the
/// threshold's log2-odds less a margin of 4 bits (a factor of 16 in the odds, far more than
/// the few ulps `probability_from_weight` may be off). Most candidate pairs are far below
/// the threshold, and rejecting them by weight skips an `exp2` each; the few within the
/// margin are decided on the probability as before, so results are exactly the same.
fn weight_cutoff(threshold: f64) -> f64 {
    if threshold.is_nan() || threshold <= 0.0 {
        return f64::NEG_INFINITY;
    }
    // a threshold of 1 is met by probabilities that round to 1: the largest one below it
    let t = threshold.min(1.0 - f64::EPSILON / 2.0);
    (t / (1.0 - t)).log2() - 4.0
}

/// The pairs whose weight (`weight_of(index, left, right)`, in bits) reaches `threshold` as a
/// probability, scored in parallel: shared by fresh comparisons and by those a fit cached.
pub(crate) fn score_each(
    pairs: &[u64],
    threshold: f64,
    weight_of: impl Fn(usize, u32, u32) -> f64 + Sync,
) -> Vec<Scored> {
    let cutoff = weight_cutoff(threshold);
    pairs
        .par_iter()
        .enumerate()
        .filter_map(|(i, &pair)| {
            let (left, right) = unpack(pair);
            let weight = weight_of(i, left, right);
            if weight < cutoff {
                return None;
            }
            let probability = probability_from_weight(weight);
            (probability >= threshold).then_some(Scored {
                left,
                right,
                probability,
                weight,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::block::pack;
    use crate::identity::model::with_level;
    use proptest::prelude::*;

    proptest! {
        /// The weight cutoff never drops a pair the probability test keeps, at any
        /// threshold: ordinary ones, 0 and 1, and thresholds equal to a pair's own
        /// probability (the boundary, where rounding matters).
        #[test]
        fn weight_cutoff_keeps_exactly_the_pairs_at_or_above_the_threshold(
            weights in prop::collection::vec(
                prop_oneof![-80.0f64..80.0, Just(0.0), Just(53.0), Just(60.0), Just(-1100.0)],
                1..200,
            ),
            pick in any::<prop::sample::Index>(),
            fixed in prop_oneof![0.0f64..=1.0, Just(0.0), Just(1.0), Just(0.5),
                Just(1.0 - f64::EPSILON / 2.0), Just(5e-324), Just(1e-300)],
            use_pick in any::<bool>(),
        ) {
            let threshold = if use_pick {
                probability_from_weight(weights[pick.index(weights.len())])
            } else {
                fixed
            };
            let pairs: Vec<u64> = (0..weights.len() as u32).map(|i| pack(i, i)).collect();
            let kept: Vec<u32> = score_each(&pairs, threshold, |i, _, _| weights[i])
                .into_iter()
                .map(|s| s.left)
                .collect();
            let naive: Vec<u32> = (0..weights.len() as u32)
                .filter(|&i| probability_from_weight(weights[i as usize]) >= threshold)
                .collect();
            prop_assert_eq!(kept, naive);
        }
    }

    fn settings(prior: Option<f64>) -> FitSettings {
        FitSettings {
            u_sample_pairs: 200_000,
            seed: 1,
            prior,
            max_em_iterations: 100,
            em_tolerance: 1e-9,
            estimate_u: false,
        }
    }

    /// One comparison: missing, agree, disagree.
    fn model(m_agree: f64, u_agree: f64, lambda: f64) -> FsModel {
        let labels = vec![vec!["missing".into(), "agree".into(), "different".into()]];
        let mut model = FsModel::initial(
            &["name".to_owned()],
            &labels,
            vec![vec![1.0, u_agree, 1.0 - u_agree]],
            lambda,
        );
        model.comparisons[0].m = vec![1.0, m_agree, 1.0 - m_agree];
        model.lambda = lambda; // `initial` keeps a starting λ at 1e-6 or more
        model
    }

    #[test]
    fn refine_u_counts_the_candidates_exactly() {
        // 10^10 possible pairs; the 30,000 that agree are all candidates (blocking on the
        // agreeing field), 10,000 of them matches. A sample of 200,000 random pairs saw
        // none of them, so it alone puts u(agree) at its smoothing, 1 in 200,000 = 5e-6,
        // where the truth is 20,000 / 10^10 = 2.0e-6 (3.0e-6 if the matches among the
        // candidates were not taken out).
        let agree = with_level(0, 0, 1);
        let candidates = [(agree, 30_000u64)];
        let sample = LevelSample {
            all: vec![vec![0.0, 0.0, 200_000.0]],
            outside: vec![vec![0.0, 0.0, 200_000.0]],
            outside_pairs: 200_000.0,
        };
        // the model knows agreement is what matches do (m = 0.999) and the prior is fixed
        // at the truth: the expected matches among the candidates come out near 10,000
        let lambda = 1e-6;
        let mut fitted = model(0.999, 5e-6, lambda);
        refine_u(
            &mut fitted,
            &sample,
            &candidates,
            1e10,
            &settings(Some(lambda)),
        );
        let u = fitted.comparisons[0].u[1];
        assert!((u - 2.0e-6).abs() < 0.1e-6, "u(agree) {u}");
        assert_eq!(fitted.lambda, lambda, "a given prior stays");

        // with λ to estimate, u and λ settle together on a fixed point that explains the
        // candidates: expected matches + expected non-matches at the level = 30,000
        let mut free = model(0.999, 5e-6, 1e-7);
        refine_u(&mut free, &sample, &candidates, 1e10, &settings(None));
        let (u, lambda) = (free.comparisons[0].u[1], free.lambda);
        let posterior = lambda * 0.999 / (lambda * 0.999 + (1.0 - lambda) * u);
        let explained = 30_000.0 * posterior + u * (1e10 - 30_000.0 * posterior);
        assert!(
            (explained - 30_000.0).abs() < 300.0,
            "u {u} λ {lambda}: {explained}"
        );
        assert!(u < 3.0e-6, "u {u}");

        // a level seen neither among candidates nor in the sample gets a finite weight
        let mut unseen = model(0.999, 5e-6, lambda);
        refine_u(
            &mut unseen,
            &sample,
            &[(with_level(0, 0, 2), 10)],
            1e10,
            &settings(None),
        );
        let u = unseen.comparisons[0].u[1];
        assert!(
            u > 0.0 && unseen.comparisons[0].weight(1).is_finite(),
            "{u}"
        );

        // nothing sampled outside the candidates: nothing to refine with
        let mut kept = model(0.9, 5e-6, lambda);
        let before = kept.comparisons[0].u.clone();
        let empty = LevelSample {
            all: vec![vec![0.0; 3]],
            outside: vec![vec![0.0; 3]],
            outside_pairs: 0.0,
        };
        refine_u(&mut kept, &empty, &candidates, 1e10, &settings(None));
        assert_eq!(kept.comparisons[0].u, before);
    }
}
