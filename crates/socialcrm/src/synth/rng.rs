//! The randomness of the generator: a hand-written SplitMix64, integer-weighted tables and
//! a keyed permutation.
//!
//! Why hand-written: the output of the generator is a test fixture. The same seed must give
//! byte-identical worlds on every platform and with every future version of this crate's
//! dependencies. `rand`'s `StdRng` explicitly reserves the right to change its algorithm
//! between versions, and its distributions may change their sampling methods; SplitMix64 is
//! ten lines that will never change under us.
//!
//! Why no floating-point transcendental functions (`powf`, `ln`, `exp`): their last bit is
//! not specified across platforms and libm versions. Everything here is integer arithmetic
//! or the exactly-rounded IEEE operations (`*`, `/`, comparisons), so results are the same
//! everywhere.

/// SplitMix64 (Steele, Lea, Flood 2014; the constants of Vigna's reference `splitmix64.c`).
///
/// Statistically solid for simulation, one add and a few multiply-xorshifts per value, and
/// any 64-bit state is valid, which makes keyed sub-streams (`keyed`) trivial.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64 {
    state: u64,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function: a bijection on `u64` with good avalanche.
#[inline]
pub(crate) const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SplitMix64 {
    /// A generator whose first output is that of the reference implementation seeded with
    /// `seed`. Only the tests need it: the generator uses keyed streams.
    #[cfg(test)]
    pub(crate) const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// An independent stream for one `(seed, purpose, a, b)`: every record of the world is
    /// drawn from its own stream, so any record can be generated without generating the
    /// ones before it (random access, streaming, parallel generation all agree).
    #[inline]
    pub(crate) const fn keyed(seed: u64, purpose: u64, a: u64, b: u64) -> Self {
        // Each step is a bijection of the previous hash xor one input; chaining through mix64
        // keeps (purpose, a, b) = (1, 2, 3) and (2, 1, 3) apart.
        let mut h = mix64(seed.wrapping_add(GOLDEN));
        h = mix64(h ^ purpose.wrapping_mul(GOLDEN));
        h = mix64(h ^ a);
        h = mix64(h ^ b.wrapping_mul(0xD1B5_4A32_D192_ED03));
        SplitMix64 { state: h }
    }

    /// The next 64 random bits.
    #[inline]
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix64(self.state)
    }

    /// A uniform integer in `0..n` (`n > 0`), by Lemire's multiply-high. The bias is below
    /// `n / 2^64`, invisible for the table sizes used here, and the method needs no loop,
    /// so one call always consumes exactly one value (which keeps streams aligned).
    #[inline]
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A uniform integer in `lo..=hi`.
    #[inline]
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// A uniform `f64` in `[0, 1)` with 53 random bits (exact, platform-independent).
    #[inline]
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `true` with probability `p` (`p <= 0` never, `p >= 1` always). Always consumes one
    /// value, for the same stream-alignment reason as `below`.
    #[inline]
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniformly chosen element.
    #[inline]
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An element of `(value, weight)` pairs, drawn by weight (linear scan; for short lists).
    #[inline]
    pub(crate) fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (v, w) in items {
            let w = u64::from(*w);
            if x < w {
                return v;
            }
            x -= w;
        }
        unreachable!("x < total")
    }

    /// An index in `0..n` skewed towards 0 (density ∝ x^-1/2): for company sizes, where a
    /// few employers have many customers and most have one or two.
    #[inline]
    pub(crate) fn skewed(&mut self, n: u64) -> u64 {
        let u = self.unit();
        ((u * u * n as f64) as u64).min(n - 1)
    }
}

/// Cumulative integer weights for drawing ranked items.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    cumulative: Vec<u64>,
}

impl Table {
    /// A Zipf–Mandelbrot table over `len` ranks: rank `r` (0-based) has weight
    /// `2^32 / (r + 1 + q)`. The exponent is 1, which is roughly what surname and given-name
    /// frequencies show at the top of the list; `q` flattens the head so the most common
    /// entry gets a plausible share (with `q = 10` over 150–200 names: about 3 %).
    pub(crate) fn zipf(len: usize, q: u64) -> Self {
        Table::from_weights((0..len as u64).map(|r| (1u64 << 32) / (r + 1 + q)))
    }

    /// A table from explicit weights.
    pub(crate) fn from_weights(weights: impl IntoIterator<Item = u64>) -> Self {
        let mut acc = 0u64;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                acc += w;
                acc
            })
            .collect();
        Table { cumulative }
    }

    /// The share (0..=1) of rank `i`, for tests and documentation.
    #[cfg(test)]
    pub(crate) fn share(&self, i: usize) -> f64 {
        let prev = if i == 0 { 0 } else { self.cumulative[i - 1] };
        (self.cumulative[i] - prev) as f64 / *self.cumulative.last().unwrap() as f64
    }

    /// A rank drawn by weight (binary search).
    #[inline]
    pub(crate) fn sample(&self, rng: &mut SplitMix64) -> usize {
        let total = *self.cumulative.last().expect("non-empty table");
        let x = rng.below(total);
        self.cumulative.partition_point(|&c| c <= x)
    }
}

/// A keyed pseudo-random permutation of `0..n`: a 4-round balanced Feistel network on the
/// smallest even number of bits that covers `n`, with cycle walking to stay inside `0..n`.
///
/// It lets the generator hand out shuffled ids ("c0" is some random person) and pick exact
/// random subsets ("the persons whose rank is below D have a duplicate") in O(1) memory and
/// O(1) time per element, in both directions, which is what makes 10M-record streaming
/// possible without a shuffled index array. Not cryptographic, and it need not be: the only
/// goal is that ids and person numbers look unrelated.
#[derive(Debug, Clone)]
pub(crate) struct Permutation {
    n: u64,
    half_bits: u32,
    mask: u64,
    keys: [u64; 4],
}

impl Permutation {
    pub(crate) fn new(n: u64, seed: u64, purpose: u64) -> Self {
        // Domain 4^h >= n, so at most 4n: cycle walking takes < 4 steps on average.
        let mut half_bits = 1;
        while half_bits < 32 && (1u64 << (2 * half_bits)) < n {
            half_bits += 1;
        }
        let mut rng = SplitMix64::keyed(seed, purpose, 0xFE15_7E11, n);
        let keys = [
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64(),
        ];
        Permutation {
            n,
            half_bits,
            mask: (1u64 << half_bits) - 1,
            keys,
        }
    }

    #[inline]
    fn round(&self, x: u64, key: u64) -> u64 {
        mix64(x ^ key) & self.mask
    }

    #[inline]
    fn encrypt(&self, x: u64) -> u64 {
        let (mut l, mut r) = (x >> self.half_bits, x & self.mask);
        for &k in &self.keys {
            (l, r) = (r, l ^ self.round(r, k));
        }
        (l << self.half_bits) | r
    }

    #[inline]
    fn decrypt(&self, x: u64) -> u64 {
        let (mut l, mut r) = (x >> self.half_bits, x & self.mask);
        for &k in self.keys.iter().rev() {
            (l, r) = (r ^ self.round(l, k), l);
        }
        (l << self.half_bits) | r
    }

    /// The image of `x` (`x < n`).
    #[inline]
    pub(crate) fn forward(&self, x: u64) -> u64 {
        debug_assert!(x < self.n);
        // Cycle walking: the Feistel network permutes the whole 4^h domain, so following it
        // from x must come back into 0..n (at the latest at x itself).
        let mut y = self.encrypt(x);
        while y >= self.n {
            y = self.encrypt(y);
        }
        y
    }

    /// The preimage of `y` (`y < n`): `inverse(forward(x)) == x`.
    #[inline]
    pub(crate) fn inverse(&self, y: u64) -> u64 {
        debug_assert!(y < self.n);
        let mut x = self.decrypt(y);
        while x >= self.n {
            x = self.decrypt(x);
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_implementation() {
        // Vigna's splitmix64.c with x = 1234567 (values computed independently of this code).
        let mut rng = SplitMix64::new(1_234_567);
        let got: Vec<u64> = (0..5).map(|_| rng.next_u64()).collect();
        assert_eq!(
            got,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
    }

    #[test]
    fn keyed_streams_differ_by_every_key_part() {
        let a = SplitMix64::keyed(1, 2, 3, 4).next_u64();
        assert_ne!(a, SplitMix64::keyed(0, 2, 3, 4).next_u64());
        assert_ne!(a, SplitMix64::keyed(1, 3, 3, 4).next_u64());
        assert_ne!(a, SplitMix64::keyed(1, 2, 4, 4).next_u64());
        assert_ne!(a, SplitMix64::keyed(1, 2, 3, 5).next_u64());
        assert_ne!(a, SplitMix64::keyed(1, 3, 2, 4).next_u64());
        assert_eq!(a, SplitMix64::keyed(1, 2, 3, 4).next_u64());
    }

    #[test]
    fn below_and_chance_stay_in_range() {
        let mut rng = SplitMix64::new(7);
        for n in 1..200 {
            assert!(rng.below(n) < n);
        }
        assert!(!(0..1000).any(|_| rng.chance(0.0)));
        assert!((0..1000).all(|_| rng.chance(1.0)));
        let hits = (0..100_000).filter(|_| rng.chance(0.3)).count();
        assert!((29_000..31_000).contains(&hits), "{hits}");
    }

    #[test]
    fn permutation_is_a_bijection_both_ways() {
        for n in [1u64, 2, 3, 5, 16, 17, 100, 1000, 4097] {
            let p = Permutation::new(n, 42, 9);
            let mut seen = vec![false; n as usize];
            for x in 0..n {
                let y = p.forward(x);
                assert!(y < n);
                assert!(!seen[y as usize], "n={n}: {y} hit twice");
                seen[y as usize] = true;
                assert_eq!(p.inverse(y), x);
            }
        }
    }

    #[test]
    fn permutation_depends_on_the_key() {
        let a: Vec<u64> = (0..50)
            .map(|x| Permutation::new(50, 1, 1).forward(x))
            .collect();
        let b: Vec<u64> = (0..50)
            .map(|x| Permutation::new(50, 2, 1).forward(x))
            .collect();
        assert_ne!(a, b);
        // and it actually shuffles: few fixed points
        assert!(
            a.iter()
                .enumerate()
                .filter(|&(i, &y)| i as u64 == y)
                .count()
                < 5
        );
    }

    #[test]
    fn zipf_head_share() {
        let t = Table::zipf(180, 10);
        let top = t.share(0);
        assert!((0.02..0.04).contains(&top), "{top}");
        let mut rng = SplitMix64::new(3);
        let mut counts = [0usize; 180];
        for _ in 0..100_000 {
            counts[t.sample(&mut rng)] += 1;
        }
        assert!(counts[0] > counts[10] && counts[10] > counts[100]);
        assert!(counts.iter().all(|&c| c > 0));
    }
}
