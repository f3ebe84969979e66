//! Decisions on scored pairs: one-to-one assignment for linking two tables, and clustering
//! with a guard against chaining for deduplicating one table.

use rustc_hash::FxHashSet;

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
    b.weight
        .total_cmp(&a.weight)
        .then(a.left.cmp(&b.left))
        .then(a.right.cmp(&b.right))
}

/// Greedy one-to-one assignment: the best remaining pair is accepted when neither record is
/// taken. `group_of_right` partitions the right side (e.g. by platform): a left record may be
/// linked once per group, a right record once. Returns the accepted pairs, best first.
///
/// Greedy by weight is what Splink calls "single best link"; unlike an optimal assignment it
/// never trades a certain link for two likely ones, which is the right bias for identity.
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
