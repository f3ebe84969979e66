//! Decisions on scored pairs: one-to-one assignment for linking two tables, and clustering
//! with a guard against chaining for deduplicating one table.

use rustc_hash::{FxHashMap, FxHashSet};

/// A scored candidate pair, by row number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scored {
    pub left: u32,
    pub right: u32,
    pub probability: f64,
    pub weight: f64,
}

/// Orders pairs best first, ties broken by row numbers so the result never depends on
/// thread scheduling or input order of equal scores.
fn best_first(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    // probability first: after `contest` it also weighs the rivals (pairwise it is a
    // monotone function of the weight, which then breaks its ties at 1.0)
    b.probability
        .total_cmp(&a.probability)
        .then(b.weight.total_cmp(&a.weight))
        .then(a.left.cmp(&b.left))
        .then(a.right.cmp(&b.right))
}

/// Greedy one-to-one assignment: the best remaining pair is accepted when neither record is
/// taken. `group_of_right` partitions the right side (e.g. by platform): a left record may be
/// linked once per group, a right record once. Returns the accepted pairs, best first.
///
/// Greedy by probability (then weight) is what Splink calls "single best link"; unlike an
/// optimal assignment it never trades a certain link for two likely ones, which is the
/// right bias for identity.
pub(crate) fn one_to_one(
    mut pairs: Vec<Scored>,
    group_of_right: impl Fn(u32) -> u32,
) -> Vec<Scored> {
    pairs.sort_unstable_by(best_first);
    let mut left_taken: FxHashSet<(u32, u32)> = FxHashSet::default();
    let mut right_taken: FxHashSet<u32> = FxHashSet::default();
    pairs.retain(|p| {
        let group = group_of_right(p.right);
        if left_taken.contains(&(p.left, group)) || right_taken.contains(&p.right) {
            return false;
        }
        left_taken.insert((p.left, group));
        right_taken.insert(p.right);
        true
    });
    pairs
}

/// Replaces each pair's probability by the probability that it is the right link *given
/// its competitors*, for a one-to-one link (a right record links at most once, a left record
/// at most once per group of `group_of_right`).
///
/// A pair's weight is the log2-odds of "these two are one person" from the pair's evidence
/// alone, rivals aside. But a profile that three namesake contacts match equally well
/// belongs to at most one of them, and a profile with no rival at all is more likely linked than the pairwise
/// prior says: that prior spreads the chance of having a match over every possible pair,
/// while a right record's match, if it has one among the candidates, is one of *its*
/// candidates. Per right record the hypotheses are "left record j", with weight `o_j`, the
/// pair's odds times `odds_scale` (which puts the prior per right record in place of the
/// pairwise prior), and "none of them", with weight `unmatched` = 1 − the chance that the
/// match is among the candidates (both from [`one_to_one_prior`]). So
///
/// `p_j = o_j / (o_j + Σ rivals' o + unmatched)`,
///
/// where the rivals are the other candidates of the same right record and of the same left
/// record within the group (the left side's constraint counts alike). Asserted pairs
/// (weight +∞) keep probability 1 and leave their rivals 0. Weights are unchanged.
pub(crate) fn contest(
    pairs: &mut [Scored],
    unmatched: f64,
    odds_scale: f64,
    group_of_right: impl Fn(u32) -> u32,
) {
    let unmatched = if unmatched.is_finite() {
        unmatched.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let mut by_right: FxHashMap<u32, f64> = FxHashMap::default();
    let mut by_left: FxHashMap<(u32, u32), f64> = FxHashMap::default();
    for p in pairs.iter() {
        debug_assert!(!p.weight.is_nan(), "a NaN weight: {p:?}");
        let odds = p.weight.exp2() * odds_scale;
        *by_right.entry(p.right).or_default() += odds;
        *by_left
            .entry((p.left, group_of_right(p.right)))
            .or_default() += odds;
    }
    for p in pairs.iter_mut() {
        if p.weight == f64::INFINITY {
            p.probability = 1.0; // asserted
            continue;
        }
        let odds = p.weight.exp2() * odds_scale;
        let right = by_right[&p.right];
        let left = by_left[&(p.left, group_of_right(p.right))];
        if right == f64::INFINITY || left == f64::INFINITY {
            // a rival is asserted (finite weights are far below exp2's overflow: they are
            // sums of a few dozen bits)
            p.probability = 0.0;
            continue;
        }
        // both sums hold the pair's own odds; rounding may leave a hair below zero
        let rivals = ((right - odds) + (left - odds)).max(0.0);
        let rest = rivals + unmatched;
        p.probability = if odds == 0.0 {
            0.0
        } else {
            1.0 / (1.0 + rest / odds)
        };
    }
}

/// The terms [`contest`] needs for a one-to-one link, estimated from the scored pairs:
/// `(unmatched, odds_scale)`.
///
/// Per right record, the prior chance that its match is one of its candidates is
/// `ρ × blocking_recall`, where ρ is the share of right records that have a match at all.
/// The pairwise prior λ (the chance per possible pair) implies ρ = λ × left records, but λ
/// is fitted pair by pair, blind to the constraint that each right record has at most one
/// match; so ρ is re-estimated here by EM on that constraint: given ρ, a right record with
/// candidate odds summing to `S` has a match among them with probability
/// `S·c / (S·c + 1 − ρ·recall)` (`c` rescales the pairwise odds to the prior ρ / left
/// records), and ρ is the mean of that over all right records, divided by the recall.
/// Pairs with infinite weight (assertions) are left out of the estimate.
pub(crate) fn one_to_one_prior(
    pairs: &[Scored],
    lambda: f64,
    left_records: usize,
    right_records: usize,
    blocking_recall: f64,
) -> (f64, f64) {
    if left_records == 0 || right_records == 0 || !(lambda > 0.0 && lambda < 1.0) {
        return (1.0, 1.0);
    }
    let recall = if blocking_recall.is_finite() {
        blocking_recall.clamp(0.05, 1.0)
    } else {
        1.0
    };
    let (n_left, n_right) = (left_records as f64, right_records as f64);
    let pair_odds = lambda / (1.0 - lambda);
    let mut by_right: FxHashMap<u32, f64> = FxHashMap::default();
    for p in pairs.iter().filter(|p| p.weight.is_finite()) {
        *by_right.entry(p.right).or_default() += p.weight.exp2();
    }
    // sums in right-record order: the same result on any run
    let mut sums: Vec<(u32, f64)> = by_right.into_iter().collect();
    sums.sort_unstable_by_key(|&(r, _)| r);
    // ρ is a share of right records; and 1 − ρ × recall ≥ 0.01 keeps `contest`'s "no
    // match" term positive
    let max_rho = (0.99 / recall).min(1.0);
    let mut rho = (lambda * n_left).clamp(1e-9, max_rho);
    for _ in 0..500 {
        let scale = rho / n_left / pair_odds;
        let rest = 1.0 - rho * recall;
        let matched: f64 = sums
            .iter()
            .map(|&(_, s)| {
                let s = s * scale;
                if s.is_finite() { s / (s + rest) } else { 1.0 }
            })
            .sum();
        let next = (matched / n_right / recall).clamp(1e-9, max_rho);
        let done = (next - rho).abs() <= 1e-9 * rho.max(1e-9);
        rho = next;
        if done {
            break;
        }
    }
    (1.0 - rho * recall, rho / n_left / pair_odds)
}

/// Union–find over row numbers, with cluster sizes.
struct Clusters {
    parent: Vec<u32>,
    members: Vec<Vec<u32>>,
}

impl Clusters {
    fn new(n: usize) -> Clusters {
        Clusters {
            parent: (0..n as u32).collect(),
            members: (0..n as u32).map(|i| vec![i]).collect(),
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        // the root with the lower row number survives: cluster ids follow input order
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        self.parent[gone as usize] = keep;
        let moved = std::mem::take(&mut self.members[gone as usize]);
        self.members[keep as usize].extend(moved);
    }
}

/// Settings of [`cluster`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClusterGuard {
    /// Two clusters merge only if the mean match probability over all pairs across them is
    /// at least this.
    pub min_average_probability: f64,
    /// No cluster grows beyond this many records.
    pub max_cluster_size: usize,
}

/// Clusters `n` records from pairs above the threshold, best pairs first.
///
/// Plain connected components chain: A~B and B~C put A and C together even when A and C are
/// clearly different people (a shared e-mail address of a household, a typo that makes two
/// namesakes look alike). Before two multi-record clusters merge, the mean probability over
/// *all* pairs across them is computed with `score` (pairs that were never candidates are
/// scored on the spot) and must reach the guard. Returns the cluster root (the lowest row
/// number in the cluster) of every record.
pub(crate) fn cluster(
    n: usize,
    mut pairs: Vec<Scored>,
    guard: ClusterGuard,
    score: impl Fn(u32, u32) -> f64,
) -> Vec<u32> {
    pairs.sort_unstable_by(best_first);
    let mut c = Clusters::new(n);
    for p in pairs {
        let (a, b) = (c.find(p.left), c.find(p.right));
        if a == b {
            continue;
        }
        let (size_a, size_b) = (c.members[a as usize].len(), c.members[b as usize].len());
        if size_a + size_b > guard.max_cluster_size {
            continue;
        }
        if size_a > 1 || size_b > 1 {
            let mut sum = 0.0;
            for &x in &c.members[a as usize] {
                for &y in &c.members[b as usize] {
                    sum += score(x, y);
                }
            }
            if sum / ((size_a * size_b) as f64) < guard.min_average_probability {
                continue;
            }
        }
        c.union(a, b);
    }
    (0..n as u32).map(|i| c.find(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(left: u32, right: u32, probability: f64) -> Scored {
        Scored {
            left,
            right,
            probability,
            weight: (probability / (1.0 - probability)).log2(),
        }
    }

    /// A pair with the given odds (weight = log2 odds).
    fn odds(left: u32, right: u32, odds: f64) -> Scored {
        Scored {
            left,
            right,
            probability: odds / (1.0 + odds),
            weight: odds.log2(),
        }
    }

    #[test]
    fn contest_weighs_rivals_on_both_sides() {
        let mut pairs = vec![
            odds(0, 0, 4.0), // profile 0: two namesake contacts, equally good
            odds(1, 0, 4.0),
            odds(2, 1, 4.0), // profile 1: no rival
            odds(3, 2, 3.0), // contact 3: two profiles, in different groups
            odds(3, 3, 3.0),
        ];
        let group = |r: u32| if r == 3 { 1 } else { 0 };
        contest(&mut pairs, 0.5, 1.0, group);
        let p: Vec<f64> = pairs.iter().map(|p| p.probability).collect();
        assert!((p[0] - 4.0 / 8.5).abs() < 1e-12, "{p:?}");
        assert_eq!(p[0], p[1]);
        assert!((p[2] - 4.0 / 4.5).abs() < 1e-12, "{p:?}");
        // more sure than the pairwise 0.8: the profile's match, if any, is one of its few
        // candidates, not one of all possible pairs
        assert!(p[2] > 0.8);
        // different groups (platforms) do not compete
        assert!((p[3] - 3.0 / 3.5).abs() < 1e-12 && p[3] == p[4], "{p:?}");
        // in one group they do
        let mut same = vec![odds(3, 2, 3.0), odds(3, 3, 3.0)];
        contest(&mut same, 0.5, 1.0, |_| 0);
        assert!((same[0].probability - 3.0 / 6.5).abs() < 1e-12);
        // the scale multiplies every pair's odds; weights stay as they were
        let mut scaled = vec![odds(0, 0, 4.0)];
        contest(&mut scaled, 1.0, 0.25, |_| 0);
        assert!((scaled[0].probability - 0.5).abs() < 1e-12);
        assert_eq!(scaled[0].weight, 2.0);
    }

    #[test]
    fn contest_keeps_assertions_and_silences_their_rivals() {
        let mut pairs = vec![
            Scored {
                left: 0,
                right: 0,
                probability: 1.0,
                weight: f64::INFINITY,
            },
            odds(1, 0, 1e6),
            odds(2, 1, 0.0),
        ];
        contest(&mut pairs, 0.5, 1.0, |_| 0);
        assert_eq!(pairs[0].probability, 1.0);
        assert_eq!(pairs[1].probability, 0.0);
        assert_eq!(pairs[2].probability, 0.0);
        // an asserted pair silences rivals of its left record in its group, not in others
        let asserted = Scored {
            left: 0,
            right: 0,
            probability: 1.0,
            weight: f64::INFINITY,
        };
        let mut left_side = vec![asserted, odds(0, 1, 9.0), odds(0, 2, 9.0)];
        contest(&mut left_side, 1.0, 1.0, |r| u32::from(r == 2));
        assert_eq!(left_side[1].probability, 0.0);
        assert!(
            (left_side[2].probability - 0.9).abs() < 1e-12,
            "{left_side:?}"
        );
        for p in &pairs {
            assert!((0.0..=1.0).contains(&p.probability));
        }
    }

    #[test]
    fn one_to_one_prior_finds_the_share_of_matched_right_records() {
        // 1,000 profiles among 2,000 contacts; 400 have one candidate that is clearly
        // theirs, the other 600 one weak candidate each. The pairwise prior claims 80 % of
        // the profiles have a match; EM on the candidates brings that to about 40 %.
        let lambda = 0.8 / 2000.0;
        let pair_odds = lambda / (1.0 - lambda);
        let mut pairs = Vec::new();
        for r in 0..1000u32 {
            let likelihood_ratio = if r < 400 { 1e7 } else { 1.0 };
            pairs.push(odds(r, r, pair_odds * likelihood_ratio));
        }
        let (unmatched, scale) = one_to_one_prior(&pairs, lambda, 2000, 1000, 1.0);
        let rho = 1.0 - unmatched;
        assert!((rho - 0.4).abs() < 0.01, "rho {rho}");
        // the pairwise odds rescaled from the prior λ to ρ per profile
        assert!(
            (scale - rho / 2000.0 / pair_odds).abs() < 1e-9,
            "scale {scale}"
        );
        // with blocking recall 0.5, half of the matched profiles have their match elsewhere
        let (unmatched, _) = one_to_one_prior(&pairs, lambda, 2000, 1000, 0.5);
        assert!((1.0 - unmatched - 0.4).abs() < 0.01, "{unmatched}");
        // nothing to estimate from: no change
        assert_eq!(one_to_one_prior(&[], lambda, 0, 1000, 1.0), (1.0, 1.0));
        assert_eq!(
            one_to_one_prior(&pairs, f64::NAN, 2000, 1000, 1.0),
            (1.0, 1.0)
        );
    }

    #[test]
    fn one_to_one_takes_the_best_pair_first() {
        let pairs = vec![s(0, 0, 0.9), s(0, 1, 0.95), s(1, 1, 0.8), s(1, 0, 0.7)];
        let got = one_to_one(pairs, |_| 0);
        let kept: Vec<_> = got.iter().map(|p| (p.left, p.right)).collect();
        assert_eq!(kept, [(0, 1), (1, 0)]);
    }

    #[test]
    fn one_link_per_group() {
        // right 0 and 1 are on different platforms: left 0 may take both
        let pairs = vec![s(0, 0, 0.9), s(0, 1, 0.9), s(0, 2, 0.8)];
        let got = one_to_one(pairs, |r| if r == 1 { 1 } else { 0 });
        let kept: Vec<_> = got.iter().map(|p| (p.left, p.right)).collect();
        assert_eq!(kept, [(0, 0), (0, 1)]);
    }

    #[test]
    fn ties_are_broken_by_row() {
        let a = one_to_one(vec![s(1, 0, 0.9), s(0, 0, 0.9)], |_| 0);
        let b = one_to_one(vec![s(0, 0, 0.9), s(1, 0, 0.9)], |_| 0);
        assert_eq!(a, b);
        assert_eq!((a[0].left, a[0].right), (0, 0));
    }

    #[test]
    fn chaining_is_guarded() {
        // 0~1 strongly, 1~2 strongly, but 0 and 2 are clearly different
        let score = |x: u32, y: u32| match (x.min(y), x.max(y)) {
            (0, 1) | (1, 2) => 0.99,
            _ => 0.01,
        };
        let guard = ClusterGuard {
            min_average_probability: 0.6,
            max_cluster_size: 100,
        };
        // {0,1} + {2}: mean of p(0,2) = 0.01 and p(1,2) = 0.99 is 0.5 < 0.6
        let roots = cluster(3, vec![s(0, 1, 0.99), s(1, 2, 0.98)], guard, score);
        assert_eq!(roots, [0, 0, 2]);
        // without the guard's objection, all three join
        let roots = cluster(3, vec![s(0, 1, 0.99), s(1, 2, 0.98)], guard, |_, _| 0.9);
        assert_eq!(roots, [0, 0, 0]);
    }

    #[test]
    fn cluster_size_is_capped() {
        let guard = ClusterGuard {
            min_average_probability: 0.0,
            max_cluster_size: 2,
        };
        let roots = cluster(3, vec![s(0, 1, 0.99), s(1, 2, 0.98)], guard, |_, _| 1.0);
        assert_eq!(roots, [0, 0, 2]);
    }
}
