//! String comparators for record linkage: Jaro, Jaro–Winkler, Levenshtein, optimal string
//! alignment, Damerau–Levenshtein and token-set Jaccard.
//!
//! These are the field comparators of the Fellegi–Sunter matcher: each turns two field values
//! into a distance or a similarity in `0.0..=1.0`, which the model then bins into agreement
//! levels.
//!
//! ## What is compared
//!
//! Strings are compared as sequences of Unicode scalar values (`char`s), never bytes: `"Müller"`
//! has six characters, and `ü` against `u` is one substitution. Nothing is normalised here:
//! `"Müller"` and `"MUELLER"` are far apart. Apply the matching key first
//! ([`Normalizer::MATCHING_KEY`](crate::text::Normalizer::MATCHING_KEY): case folding plus
//! German transliteration), so that the comparators see `"mueller"` twice.
//!
//! ## Same numbers as rapidfuzz
//!
//! [`jaro`], [`jaro_winkler`], [`levenshtein`], [`osa_distance`] and [`damerau_levenshtein`]
//! return what `rapidfuzz.distance.{Jaro, JaroWinkler, Levenshtein, OSA,
//! DamerauLevenshtein}` return for inputs of at most [`MAX_COMPARE_CHARS`] characters, the
//! floating-point results bit for bit: the Jaro formula is evaluated in the same order, and
//! the greedy matching visits the characters in the same order (checked on the 200,000 name
//! pairs of the Jaro–Winkler benchmark: largest difference 0). Scores computed with rapidfuzz
//! (e.g. by Splink or in a notebook) and scores computed here can be mixed.
//!
//! ## Bounded time
//!
//! A field value can be anything a user typed, including a pasted 100 kB biography. The
//! character-level comparators therefore look at **only the first [`MAX_COMPARE_CHARS`]
//! characters of each input**; what follows is ignored. This bounds every comparison (the
//! worst, [`damerau_levenshtein`], at about a million cell updates) whatever the input.
//! [`token_set_jaccard`] reads its inputs whole: it is near-linear, and cutting would split a
//! token.
//!
//! | function | time (n ≤ m characters after the cut, w = 64) | allocates per call |
//! |---|---|---|
//! | [`jaro`], [`jaro_winkler`] | O(n + m) if both ≤ 64, else O(m·⌈n/w⌉ + n log n) | only past 64 characters |
//! | [`levenshtein`] | O(n + m) if n ≤ 64, else O(m·⌈n/w⌉ + n log n) (Myers/Hyyrö, blocked) | only past 64 characters |
//! | [`osa_distance`] | O(n + m) if n ≤ 64, else O(m·⌈n/w⌉ + n log n) (Hyyrö 2003, blocked) | only past 64 characters |
//! | [`damerau_levenshtein`] | O(n·m) (Lowrance–Wagner, Zhao–Sahni) | O(n + m), always |
//! | [`token_set_jaccard`] | O(t log t) for t tokens | only past 16 tokens on a side |
//!
//! Up to 64 characters per side, everything happens in stack buffers. Pure-ASCII pairs, the
//! common case for normalised names, are compared as bytes without decoding (and an ASCII
//! pattern of at most 64 bytes is searched in an ASCII text of any length without
//! allocating); other pairs are first coded into bytes, one per character (see
//! `encode_pair`), so the same small tables serve both. Past 64 characters, the pattern
//! tables and bit vectors go to the heap.

/// How many characters (Unicode scalar values) of each input the character-level
/// comparators look at; the rest of a longer input is ignored.
///
/// This makes the worst case of every comparison a constant, so that one pathological field
/// value cannot stall a batch. Names, e-mail addresses and handles are far shorter; for long
/// free text use [`token_set_jaccard`], which reads its inputs whole.
///
/// ```
/// use socialcrm::identity::compare::{levenshtein, MAX_COMPARE_CHARS};
/// let a = "x".repeat(MAX_COMPARE_CHARS) + "tail one";
/// let b = "x".repeat(MAX_COMPARE_CHARS) + "completely different tail";
/// assert_eq!(levenshtein(&a, &b), 0);
/// ```
pub const MAX_COMPARE_CHARS: usize = 1024;

/// Winkler's prefix scale: each common leading character (up to [`WINKLER_MAX_PREFIX`])
/// closes a tenth of the remaining gap to 1.
const WINKLER_PREFIX_SCALE: f64 = 0.1;
/// At most this many leading characters earn the Winkler boost (so the boost is at most 0.4
/// of the gap).
const WINKLER_MAX_PREFIX: usize = 4;
/// The boost applies only above this Jaro similarity: a shared prefix should not lift
/// unrelated strings.
const WINKLER_THRESHOLD: f64 = 0.7;

/// Strings of at most this many characters take the single-word bit-parallel paths.
const WORD: usize = 64;

// ---------------------------------------------------------------------------------------------
// Jaro and Jaro–Winkler
// ---------------------------------------------------------------------------------------------

/// The Jaro similarity of `a` and `b`, in `0.0..=1.0`.
///
/// Two characters *match* when they are equal and at most `max(|a|, |b|) / 2 − 1` positions
/// apart; each character matches at most once (greedily, in the order of `b`, each taking the
/// leftmost free partner in `a`). With `m` matches and `t` half the number of matched
/// characters that appear in a different order, the similarity is
/// `(m/|a| + m/|b| + (m − t)/m) / 3`, and 0 when `m = 0`.
///
/// Two empty strings are identical (1.0); an empty and a non-empty string share nothing (0.0).
/// Equal to `rapidfuzz.distance.Jaro.similarity`. Only the first [`MAX_COMPARE_CHARS`]
/// characters of each input are compared.
///
/// ```
/// use socialcrm::identity::compare::jaro;
/// // 6 matches, "th"/"ht" is one transposition: (6/6 + 6/6 + 5/6) / 3
/// assert!((jaro("martha", "marhta") - 17.0 / 18.0).abs() < 1e-15);
/// assert_eq!(jaro("", ""), 1.0);
/// assert_eq!(jaro("abc", ""), 0.0);
/// // characters, not bytes: 5 of 6 and 5 of 7 match
/// assert!((jaro("Müller", "Mueller") - 0.782540).abs() < 1e-6);
/// ```
pub fn jaro(a: &str, b: &str) -> f64 {
    dispatch(clip(a), clip(b), JaroOp { winkler: false })
}

/// The Jaro–Winkler similarity of `a` and `b`, in `0.0..=1.0`: [`jaro`], boosted for a common
/// prefix.
///
/// With Jaro similarity `j > 0.7` and `ℓ` equal leading characters (at most 4), the result is
/// `j + 0.1·ℓ·(1 − j)`; at or below 0.7 it is `j` unchanged. Typos in names tend to sit
/// towards the end, so agreement at the start is stronger evidence.
///
/// Equal to `rapidfuzz.distance.JaroWinkler.similarity` (default `prefix_weight=0.1`). Only
/// the first [`MAX_COMPARE_CHARS`] characters of each input are compared.
///
/// ```
/// use socialcrm::identity::compare::{jaro, jaro_winkler};
/// let (j, jw) = (jaro("martha", "marhta"), jaro_winkler("martha", "marhta"));
/// assert_eq!(jw, j + 0.3 * (1.0 - j)); // "mar" is a common prefix
/// assert!((jw - 0.961111).abs() < 1e-6);
/// assert_eq!(jaro_winkler("Jürgen", "Jürgen"), 1.0);
/// // below the 0.7 threshold the prefix earns nothing
/// assert_eq!(jaro_winkler("abcxyz", "abcpqr"), jaro("abcxyz", "abcpqr"));
/// ```
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    dispatch(clip(a), clip(b), JaroOp { winkler: true })
}

/// [`jaro`] or [`jaro_winkler`] on a pair in its cheapest representation.
struct JaroOp {
    winkler: bool,
}

impl PairOp for JaroOp {
    type Out = f64;

    fn bytes(self, a: &[u8], b: &[u8], codes: Codes) -> f64 {
        let sim = jaro_seq(a, b, |p, t, bound| {
            if p.len() <= WORD && t.len() <= WORD {
                with_pattern(p, codes, JaroWord { p, t, bound })
            } else {
                jaro_match_block(p, t, bound)
            }
        });
        self.finish(a, b, sim)
    }

    fn chars(self, a: &[char], b: &[char]) -> f64 {
        let sim = jaro_seq(a, b, jaro_match_block);
        self.finish(a, b, sim)
    }
}

impl JaroOp {
    fn finish<S: Eq>(self, a: &[S], b: &[S], sim: f64) -> f64 {
        if !self.winkler || sim <= WINKLER_THRESHOLD {
            return sim;
        }
        let prefix = a
            .iter()
            .zip(b)
            .take(WINKLER_MAX_PREFIX)
            .take_while(|(x, y)| x == y)
            .count();
        // Same operation order as rapidfuzz, so the results agree to the last bit.
        (sim + prefix as f64 * WINKLER_PREFIX_SCALE * (1.0 - sim)).min(1.0)
    }
}

/// Jaro on two symbol sequences; `p` plays rapidfuzz's "pattern", `t` its "text".
/// `matcher(p, t, bound)` finds the matches of the parts left after trimming and removing the
/// common prefix, and returns their number and the number of out-of-order matched characters.
fn jaro_seq<S: Copy + Eq>(
    p: &[S],
    t: &[S],
    matcher: impl FnOnce(&[S], &[S], usize) -> (usize, usize),
) -> f64 {
    let (p_len, t_len) = (p.len(), t.len());
    if p_len == 0 || t_len == 0 {
        return if p_len == t_len { 1.0 } else { 0.0 };
    }
    // Match window radius. Saturating: for two single characters the radius is 0.
    let bound = (p_len.max(t_len) / 2).saturating_sub(1);
    // Characters further right than the other length plus the radius have no partner in
    // reach; dropping them lets more pairs take the single-word path.
    let p = &p[..p_len.min(t_len + bound)];
    let t = &t[..t_len.min(p_len + bound)];
    // A common prefix matches position by position and never transposes.
    let prefix = common_prefix(p, t);
    let (p, t) = (&p[prefix..], &t[prefix..]);
    let (common, transposed) = if p.is_empty() || t.is_empty() {
        (0, 0)
    } else {
        matcher(p, t, bound)
    };
    let m = prefix + common;
    if m == 0 {
        return 0.0;
    }
    let m = m as f64;
    let t = (transposed / 2) as f64;
    // Evaluated in rapidfuzz's order: floating-point addition is not associative.
    let mut sim = m / p_len as f64;
    sim += m / t_len as f64;
    sim += (m - t) / m;
    sim / 3.0
}

/// Greedy Jaro matching for `p`, `t` of at most 64 bytes: finds the number of matches and the
/// number of matched characters that are out of order (twice the transpositions).
///
/// Bit `i` of `pm.get(c)` says "`p[i] == c`". For each `t[j]` the candidates are that mask
/// limited to the window and to unmatched positions; the lowest set bit is the leftmost free
/// partner. So the whole search is a few word operations per character of `t`.
struct JaroWord<'a> {
    p: &'a [u8],
    t: &'a [u8],
    bound: usize,
}

impl PatternUser for JaroWord<'_> {
    type Out = (usize, usize);

    fn run<P: PatternMatch>(self, pm: &P) -> (usize, usize) {
        let JaroWord { p, t, bound } = self;
        let mut window = low_bits(bound + 1); // positions 0..=bound are in reach of t[0]
        let mut p_flags = 0u64;
        let mut t_flags = 0u64;
        for (j, &c) in t.iter().enumerate() {
            let candidates = pm.get(c) & window & !p_flags;
            p_flags |= candidates & candidates.wrapping_neg(); // lowest set bit
            t_flags |= u64::from(candidates != 0) << j;
            // The window slides right by one; it grows on the left edge until it is full.
            window = if j < bound {
                (window << 1) | 1
            } else {
                window << 1
            };
        }
        // Walk both flag sets in order: the k-th matched character of `t` against the k-th
        // of `p`. The walk also counts the matches (cheaper than `count_ones` on targets
        // without POPCNT, where that is a dozen instructions).
        let (mut common, mut transposed) = (0, 0);
        while t_flags != 0 {
            common += 1;
            let i = p_flags.trailing_zeros() as usize;
            let j = t_flags.trailing_zeros() as usize;
            transposed += usize::from(p[i] != t[j]);
            p_flags &= p_flags - 1;
            t_flags &= t_flags - 1;
        }
        (common, transposed)
    }
}

/// [`JaroWord`] for longer inputs: the same greedy order, with the pattern masks and
/// flags spread over several words. Each character of `t` looks at the ⌈window/64⌉ words in
/// its window and stops at the first with a free candidate.
fn jaro_match_block<S: Copy + Ord>(p: &[S], t: &[S], bound: usize) -> (usize, usize) {
    let pm = BlockPatternMatch::new(p);
    let mut p_flags = vec![0u64; pm.words];
    let mut t_flags = vec![0u64; t.len().div_ceil(WORD)];
    for (j, &c) in t.iter().enumerate() {
        let lo = j.saturating_sub(bound);
        let hi = (j + bound).min(p.len() - 1);
        if lo > hi {
            break; // the window has left `p` and only moves further right
        }
        let row = pm.row(c);
        let (lo_word, hi_word) = (lo / WORD, hi / WORD);
        for w in lo_word..=hi_word {
            let mut candidates = row[w] & !p_flags[w];
            if w == lo_word {
                candidates &= !0u64 << (lo % WORD);
            }
            if w == hi_word {
                candidates &= low_bits(hi % WORD + 1);
            }
            if candidates != 0 {
                p_flags[w] |= candidates & candidates.wrapping_neg();
                t_flags[j / WORD] |= 1 << (j % WORD);
                break;
            }
        }
    }
    let common = p_flags.iter().map(|w| w.count_ones() as usize).sum();
    let transposed = set_bits(&p_flags)
        .zip(set_bits(&t_flags))
        .filter(|&(i, j)| p[i] != t[j])
        .count();
    (common, transposed)
}

// ---------------------------------------------------------------------------------------------
// Edit distances
// ---------------------------------------------------------------------------------------------

/// The Levenshtein distance: the least number of single-character insertions, deletions and
/// substitutions that turn `a` into `b`.
///
/// Computed with the bit-parallel algorithm of Myers (1999) in Hyyrö's formulation: when the
/// shorter string has at most 64 characters each character of the longer one costs a handful
/// of word operations; longer strings use the blocked variant (one word per 64 characters).
/// A common prefix and suffix are removed first, as they never change the distance. Equal to
/// `rapidfuzz.distance.Levenshtein.distance`. Only the first [`MAX_COMPARE_CHARS`] characters
/// of each input are compared.
///
/// ```
/// use socialcrm::identity::compare::levenshtein;
/// assert_eq!(levenshtein("kitten", "sitting"), 3);
/// assert_eq!(levenshtein("Müller", "Mueller"), 2); // ü→u, insert e
/// assert_eq!(levenshtein("ab", "ba"), 2); // a transposition costs two edits here
/// assert_eq!(levenshtein("", "abc"), 3);
/// ```
pub fn levenshtein(a: &str, b: &str) -> usize {
    edit_distance(a, b, Edit::Levenshtein)
}

/// The optimal string alignment distance (restricted Damerau–Levenshtein): like
/// [`levenshtein`], but swapping two adjacent characters costs one edit, provided no
/// substring is edited more than once.
///
/// The restriction makes it cheap (bit-parallel, Hyyrö 2003) but not a metric: the triangle
/// inequality can fail (`"ca"`→`"ac"`→`"abc"` is 1 + 1, yet `osa_distance("ca", "abc")` is 3).
/// Use [`damerau_levenshtein`] where that matters. Equal to `rapidfuzz.distance.OSA.distance`.
/// Only the first [`MAX_COMPARE_CHARS`] characters of each input are compared.
///
/// ```
/// use socialcrm::identity::compare::{levenshtein, osa_distance};
/// assert_eq!(osa_distance("ab", "ba"), 1);
/// assert_eq!(osa_distance("Jrügen", "Jürgen"), 1);
/// assert_eq!(osa_distance("ca", "abc"), 3);
/// assert_eq!(levenshtein("ca", "abc"), 3);
/// ```
pub fn osa_distance(a: &str, b: &str) -> usize {
    edit_distance(a, b, Edit::Osa)
}

/// The (unrestricted) Damerau–Levenshtein distance: insertions, deletions, substitutions and
/// transpositions of adjacent characters, each costing one, where characters may be edited
/// again after being transposed. A true metric.
///
/// Computed with the Lowrance–Wagner recurrence in the linear-space form of Zhao and Sahni:
/// O(n·m) time, O(n + m) memory, allocated per call (it is the comparator of last resort;
/// prefer [`osa_distance`] in hot loops). Equal to
/// `rapidfuzz.distance.DamerauLevenshtein.distance`. Only the first [`MAX_COMPARE_CHARS`]
/// characters of each input are compared.
///
/// ```
/// use socialcrm::identity::compare::{damerau_levenshtein, osa_distance};
/// assert_eq!(damerau_levenshtein("ca", "abc"), 2); // ca → ac → abc
/// assert_eq!(osa_distance("ca", "abc"), 3);
/// assert_eq!(damerau_levenshtein("Schmidt", "Schmitd"), 1);
/// ```
pub fn damerau_levenshtein(a: &str, b: &str) -> usize {
    edit_distance(a, b, Edit::Damerau)
}

/// `1 − levenshtein(a, b) / max(|a|, |b|)` in characters, in `0.0..=1.0`; 1.0 for two empty
/// strings. Equal to `rapidfuzz.distance.Levenshtein.normalized_similarity`.
///
/// ```
/// use socialcrm::identity::compare::levenshtein_similarity;
/// assert_eq!(levenshtein_similarity("kitten", "sitting"), 1.0 - 3.0 / 7.0);
/// assert_eq!(levenshtein_similarity("", ""), 1.0);
/// assert_eq!(levenshtein_similarity("abc", ""), 0.0);
/// ```
pub fn levenshtein_similarity(a: &str, b: &str) -> f64 {
    normalized(a, b, Edit::Levenshtein)
}

/// `1 − osa_distance(a, b) / max(|a|, |b|)` in characters, in `0.0..=1.0`; 1.0 for two empty
/// strings. Equal to `rapidfuzz.distance.OSA.normalized_similarity`.
///
/// ```
/// use socialcrm::identity::compare::osa_similarity;
/// assert_eq!(osa_similarity("Jrügen", "Jürgen"), 1.0 - 1.0 / 6.0);
/// ```
pub fn osa_similarity(a: &str, b: &str) -> f64 {
    normalized(a, b, Edit::Osa)
}

/// `1 − damerau_levenshtein(a, b) / max(|a|, |b|)` in characters, in `0.0..=1.0`; 1.0 for two
/// empty strings. Equal to `rapidfuzz.distance.DamerauLevenshtein.normalized_similarity`.
///
/// ```
/// use socialcrm::identity::compare::damerau_levenshtein_similarity;
/// assert_eq!(damerau_levenshtein_similarity("ca", "abc"), 1.0 - 2.0 / 3.0);
/// ```
pub fn damerau_levenshtein_similarity(a: &str, b: &str) -> f64 {
    normalized(a, b, Edit::Damerau)
}

#[derive(Clone, Copy)]
enum Edit {
    Levenshtein,
    Osa,
    Damerau,
}

fn normalized(a: &str, b: &str, kind: Edit) -> f64 {
    let (a, b) = (clip(a), clip(b));
    let longest = char_len(a).max(char_len(b));
    if longest == 0 {
        return 1.0;
    }
    // rapidfuzz's normalisation, in its order: 1 − (d / max).
    1.0 - edit_distance(a, b, kind) as f64 / longest as f64
}

fn edit_distance(a: &str, b: &str, kind: Edit) -> usize {
    let (a, b) = strip_common_affix(clip(a), clip(b));
    if a.is_empty() || b.is_empty() {
        return char_len(a) + char_len(b);
    }
    dispatch(a, b, kind)
}

/// An edit distance on non-empty sequences with no common prefix or suffix.
impl PairOp for Edit {
    type Out = usize;

    fn bytes(self, a: &[u8], b: &[u8], codes: Codes) -> usize {
        // Both bit-parallel distances are symmetric; the shorter string is the "pattern", so
        // that the single-word path is taken whenever one side is short.
        let (p, t) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        match self {
            Edit::Damerau => damerau_zhao(a, b),
            _ if p.len() <= WORD => with_pattern(
                p,
                codes,
                WordDistance {
                    osa: matches!(self, Edit::Osa),
                    m: p.len(),
                    t,
                },
            ),
            Edit::Levenshtein => levenshtein_block(p, t),
            Edit::Osa => osa_block(p, t),
        }
    }

    fn chars(self, a: &[char], b: &[char]) -> usize {
        let (p, t) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        match self {
            Edit::Damerau => damerau_zhao(a, b),
            Edit::Levenshtein => levenshtein_block(p, t),
            Edit::Osa => osa_block(p, t),
        }
    }
}

/// Levenshtein or OSA for a pattern of `m` (1..=64) bytes against `t`.
struct WordDistance<'a> {
    osa: bool,
    m: usize,
    t: &'a [u8],
}

impl PatternUser for WordDistance<'_> {
    type Out = usize;

    fn run<P: PatternMatch>(self, pm: &P) -> usize {
        if self.osa {
            osa_word(pm, self.m, self.t)
        } else {
            levenshtein_word(pm, self.m, self.t)
        }
    }
}

/// Myers/Hyyrö bit-parallel Levenshtein for a pattern of `m` (1..=64) symbols.
///
/// Bit `i` of `vp`/`vn` says that `D[i+1][j] − D[i][j]` (one column of the DP matrix, down the
/// pattern) is +1/−1; one column advances per text symbol. Only the bottom cell's value is
/// tracked, from the horizontal deltas at bit `m − 1`.
fn levenshtein_word<P: PatternMatch>(pm: &P, m: usize, t: &[u8]) -> usize {
    let last = 1u64 << (m - 1);
    let (mut vp, mut vn) = (!0u64, 0u64);
    let mut dist = m;
    for &c in t {
        let x = pm.get(c) | vn;
        let d0 = ((x & vp).wrapping_add(vp) ^ vp) | x;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        dist = dist + usize::from(hp & last != 0) - usize::from(hn & last != 0);
        let hp = (hp << 1) | 1; // the top row D[0][j] = j always steps by +1
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
    }
    dist
}

/// [`levenshtein_word`] over ⌈n/64⌉ words (any symbols, any pattern length). The horizontal deltas leaving the top bit of one
/// word enter the next word as carries (Hyyrö 2003); a negative carry also acts like a match
/// at bit 0, which stands in for the carry of the addition.
fn levenshtein_block<S: Copy + Ord>(p: &[S], t: &[S]) -> usize {
    let pm = BlockPatternMatch::new(p);
    let words = pm.words;
    let last = 1u64 << ((p.len() - 1) % WORD);
    let mut vp = vec![!0u64; words];
    let mut vn = vec![0u64; words];
    let mut dist = p.len();
    for &c in t {
        let row = pm.row(c);
        let (mut hp_carry, mut hn_carry) = (1u64, 0u64);
        for w in 0..words {
            let x = row[w] | hn_carry;
            let d0 = ((x & vp[w]).wrapping_add(vp[w]) ^ vp[w]) | x | vn[w];
            let hp = vn[w] | !(d0 | vp[w]);
            let hn = d0 & vp[w];
            let (hp_in, hn_in) = (hp_carry, hn_carry);
            if w + 1 < words {
                (hp_carry, hn_carry) = (hp >> 63, hn >> 63);
            } else {
                (hp_carry, hn_carry) = (u64::from(hp & last != 0), u64::from(hn & last != 0));
            }
            let hp = (hp << 1) | hp_in;
            let hn = (hn << 1) | hn_in;
            vp[w] = hn | !(d0 | hp);
            vn[w] = hp & d0;
        }
        dist = dist + hp_carry as usize - hn_carry as usize;
    }
    dist
}

/// Hyyrö's (2003) bit-parallel OSA distance for a pattern of `m` (1..=64) symbols: Myers'
/// recurrence plus a transposition term `tr`, set where the previous text symbol matched one
/// position further down the pattern and the current one matches here.
fn osa_word<P: PatternMatch>(pm: &P, m: usize, t: &[u8]) -> usize {
    let last = 1u64 << (m - 1);
    let (mut vp, mut vn) = (!0u64, 0u64);
    let (mut d0, mut pm_prev) = (0u64, 0u64);
    let mut dist = m;
    for &c in t {
        let pm_j = pm.get(c);
        let tr = ((!d0 & pm_j) << 1) & pm_prev;
        d0 = ((pm_j & vp).wrapping_add(vp) ^ vp) | pm_j | vn | tr;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        dist = dist + usize::from(hp & last != 0) - usize::from(hn & last != 0);
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        pm_prev = pm_j;
    }
    dist
}

/// [`osa_word`] over ⌈n/64⌉ words (any symbols, any pattern length). Besides the horizontal carries, the transposition term
/// needs bit 63 of the previous word's `d0` and match mask, so one row of state is kept per
/// word (with a zero word in front, for the first word's missing neighbour).
fn osa_block<S: Copy + Ord>(p: &[S], t: &[S]) -> usize {
    #[derive(Clone, Copy)]
    struct State {
        vp: u64,
        vn: u64,
        d0: u64,
        pm: u64,
    }
    const START: State = State {
        vp: !0,
        vn: 0,
        d0: 0,
        pm: 0,
    };
    let pm = BlockPatternMatch::new(p);
    let words = pm.words;
    let last = 1u64 << ((p.len() - 1) % WORD);
    let mut old = vec![START; words + 1];
    let mut new = vec![START; words + 1];
    let mut dist = p.len();
    for &c in t {
        let row = pm.row(c);
        let (mut hp_carry, mut hn_carry) = (1u64, 0u64);
        for w in 0..words {
            let State {
                vp,
                vn,
                d0,
                pm: pm_prev,
            } = old[w + 1];
            let d0_below = old[w].d0; // previous column, previous word
            let pm_below = new[w].pm; // this column, previous word
            let pm_j = row[w];
            let tr = (((!d0 & pm_j) << 1) | ((!d0_below & pm_below) >> 63)) & pm_prev;
            let x = pm_j | hn_carry;
            let d0 = ((x & vp).wrapping_add(vp) ^ vp) | x | vn | tr;
            let hp = vn | !(d0 | vp);
            let hn = d0 & vp;
            if w + 1 == words {
                dist = dist + usize::from(hp & last != 0) - usize::from(hn & last != 0);
            }
            let hp_out = hp >> 63;
            let hn_out = hn >> 63;
            let hp = (hp << 1) | hp_carry;
            let hn = (hn << 1) | hn_carry;
            (hp_carry, hn_carry) = (hp_out, hn_out);
            new[w + 1] = State {
                vp: hn | !(d0 | hp),
                vn: hp & d0,
                d0,
                pm: pm_j,
            };
        }
        std::mem::swap(&mut old, &mut new);
    }
    dist
}

/// Unrestricted Damerau–Levenshtein (Lowrance–Wagner) in linear space, after Zhao & Sahni,
/// "Linear space string correction algorithm using the Damerau-Levenshtein distance" (2020),
/// as in rapidfuzz. Rows follow `a`, columns `b`.
///
/// A transposition of `a[k]…a[i]` with `b[l]…b[j]` (`a[k] = b[j]`, `a[i] = b[l]`) is only
/// ever worth taking when `i − k = 1` or `j − l = 1`; `fr` keeps the needed cell of the row
/// of `k` for the first case, `t` the cell for the second, so two rows suffice.
fn damerau_zhao<S: Copy + Ord>(a: &[S], b: &[S]) -> usize {
    // Dense ids for the "last row in which this character of `a` occurred" table; characters
    // of `b` that `a` lacks share one id that is never written.
    let alphabet = Alphabet::new(a);
    let b_ids: Vec<usize> = b.iter().map(|&c| alphabet.id(c)).collect();
    let mut last_row = vec![-1isize; alphabet.len() + 1];

    let (len1, len2) = (a.len() as isize, b.len());
    let inf = len1.max(len2 as isize) + 1;
    // Index k + 1 holds column k, so that column −1 (always "infinite") is index 0.
    let mut r: Vec<isize> = (0..len2 + 2).map(|k| k as isize - 1).collect();
    r[0] = inf;
    let mut r1 = vec![inf; len2 + 2];
    let mut fr = vec![inf; len2 + 2];
    for (i, &ca) in (1isize..).zip(a) {
        std::mem::swap(&mut r, &mut r1);
        let mut last_col: isize = -1;
        let mut last_i2l1 = r[1];
        r[1] = i;
        let mut t = inf;
        for (j, &cb) in (1..=len2).zip(b) {
            let diag = r1[j] + isize::from(ca != cb);
            let left = r[j] + 1;
            let up = r1[j + 1] + 1;
            let mut cell = diag.min(left).min(up);
            if ca == cb {
                last_col = j as isize;
                fr[j + 1] = r1[j - 1];
                t = last_i2l1;
            } else {
                let k = last_row[b_ids[j - 1]];
                let l = last_col;
                if j as isize - l == 1 {
                    cell = cell.min(fr[j + 1] + (i - k));
                } else if i - k == 1 {
                    cell = cell.min(t + (j as isize - l));
                }
            }
            last_i2l1 = r[j + 1];
            r[j + 1] = cell;
        }
        last_row[alphabet.id(ca)] = i;
    }
    r[len2 + 1] as usize
}

// ---------------------------------------------------------------------------------------------
// Token sets
// ---------------------------------------------------------------------------------------------

/// The Jaccard similarity of the sets of whitespace-separated tokens: `|A ∩ B| / |A ∪ B|`.
///
/// Tokens are compared exactly (normalise first); a repeated token counts once, and token
/// order does not matter, so `"van der Berg"` equals `"Berg van der"`. Two inputs without any
/// token (empty or all whitespace) are identical: 1.0; one without tokens against one with
/// tokens: 0.0.
///
/// Up to 16 tokens per side are sorted in stack arrays (no allocation); longer inputs are
/// collected into vectors. O(t log t) for t tokens; the inputs are read whole (not cut at
/// [`MAX_COMPARE_CHARS`]).
///
/// ```
/// use socialcrm::identity::compare::token_set_jaccard;
/// assert_eq!(token_set_jaccard("Anna van der Berg", "van der Berg Anna"), 1.0);
/// assert_eq!(token_set_jaccard("jan de vries", "jan de jong"), 2.0 / 4.0);
/// assert_eq!(token_set_jaccard("a a a", "a"), 1.0);
/// assert_eq!(token_set_jaccard("  ", ""), 1.0);
/// assert_eq!(token_set_jaccard("a", ""), 0.0);
/// ```
pub fn token_set_jaccard(a: &str, b: &str) -> f64 {
    const STACK: usize = 16;
    let mut a_buf = [""; STACK];
    let mut b_buf = [""; STACK];
    match (fill_tokens(a, &mut a_buf), fill_tokens(b, &mut b_buf)) {
        (Some(na), Some(nb)) => jaccard_of(&mut a_buf[..na], &mut b_buf[..nb]),
        _ => {
            let mut a_tokens: Vec<&str> = a.split_whitespace().collect();
            let mut b_tokens: Vec<&str> = b.split_whitespace().collect();
            jaccard_of(&mut a_tokens, &mut b_tokens)
        }
    }
}

/// Puts the tokens of `s` into `buf`; `None` if there are more than fit.
fn fill_tokens<'a>(s: &'a str, buf: &mut [&'a str]) -> Option<usize> {
    let mut n = 0;
    for token in s.split_whitespace() {
        *buf.get_mut(n)? = token;
        n += 1;
    }
    Some(n)
}

fn jaccard_of(a: &mut [&str], b: &mut [&str]) -> f64 {
    let a = sort_dedup(a);
    let b = sort_dedup(b);
    let union_upper = a.len() + b.len();
    if union_upper == 0 {
        return 1.0;
    }
    // Merge the two sorted sets, counting the common tokens.
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (union_upper - common) as f64
}

/// Sorts in place and moves the distinct tokens to the front; returns them.
fn sort_dedup<'s, 'a>(tokens: &'s mut [&'a str]) -> &'s [&'a str] {
    tokens.sort_unstable();
    let mut n = 0;
    for k in 0..tokens.len() {
        if n == 0 || tokens[k] != tokens[n - 1] {
            tokens[n] = tokens[k];
            n += 1;
        }
    }
    &tokens[..n]
}

// ---------------------------------------------------------------------------------------------
// Shared machinery
// ---------------------------------------------------------------------------------------------

/// What to compute on a pair, once [`dispatch`] has put it in its cheapest representation.
trait PairOp {
    type Out;
    /// Both strings as bytes in which equal bytes mean equal characters: the strings
    /// themselves when both are ASCII (any length), else [`encode_pair`]'s codes (at most 64
    /// each).
    fn bytes(self, a: &[u8], b: &[u8], codes: Codes) -> Self::Out;
    /// Both strings as characters: the general path, for non-ASCII strings longer than 64.
    fn chars(self, a: &[char], b: &[char]) -> Self::Out;
}

/// Which byte values occur: ASCII only, or any (codes of [`encode_pair`]).
#[derive(Clone, Copy)]
enum Codes {
    Ascii,
    Coded,
}

/// Runs `op` on the cheapest representation of `a` and `b`: their bytes if both are ASCII,
/// byte codes on the stack if both have at most 64 characters, vectors of `char` otherwise.
fn dispatch<O: PairOp>(a: &str, b: &str, op: O) -> O::Out {
    if a.is_ascii() && b.is_ascii() {
        return op.bytes(a.as_bytes(), b.as_bytes(), Codes::Ascii);
    }
    let (mut a_codes, mut b_codes) = ([0u8; WORD], [0u8; WORD]);
    match encode_pair(a, b, &mut a_codes, &mut b_codes) {
        Some((na, nb)) => op.bytes(&a_codes[..na], &b_codes[..nb], Codes::Coded),
        None => {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            op.chars(&a, &b)
        }
    }
}

/// Writes the characters of `a` and `b` as one byte each: ASCII as itself, every other
/// distinct character as the next free code in 128..=255. Two strings of at most 64
/// characters hold at most 128 distinct non-ASCII characters, so the codes always fit, and
/// two codes are equal exactly when the characters are. This lets non-ASCII names share the
/// byte paths (and their small tables) instead of hashing `char`s.
///
/// Returns the two lengths, or `None` if either string has more than 64 characters.
fn encode_pair(
    a: &str,
    b: &str,
    a_codes: &mut [u8; WORD],
    b_codes: &mut [u8; WORD],
) -> Option<(usize, usize)> {
    let mut seen = ['\0'; 2 * WORD];
    let mut n_seen = 0;
    let mut encode = |s: &str, out: &mut [u8; WORD]| -> Option<usize> {
        let mut n = 0;
        for c in s.chars() {
            let slot = out.get_mut(n)?;
            *slot = if c.is_ascii() {
                c as u8
            } else {
                // Names hold few distinct non-ASCII characters: a linear search is short.
                let k = match seen[..n_seen].iter().position(|&x| x == c) {
                    Some(k) => k,
                    None => {
                        seen[n_seen] = c;
                        n_seen += 1;
                        n_seen - 1
                    }
                };
                0x80 | k as u8
            };
            n += 1;
        }
        Some(n)
    };
    Some((encode(a, a_codes)?, encode(b, b_codes)?))
}

/// For each byte `c`, the mask whose bit `i` is set where `pattern[i] == c`.
trait PatternMatch {
    fn get(&self, c: u8) -> u64;
}

/// Something to run with the pattern-match masks of a short pattern, whatever their table
/// type (a generic closure, in effect).
trait PatternUser {
    type Out;
    fn run<P: PatternMatch>(self, pm: &P) -> Self::Out;
}

/// The masks of a pattern of at most 64 bytes as a direct table: one load per lookup.
///
/// The table is built (zeroed) for every comparison, and at 8 bytes × 256 entries zeroing
/// it would cost more than comparing a pair of names. So the entries are only as wide as the
/// pattern is long (most names fit `u16`), and only 128 entries are needed for ASCII.
struct BytePatternMatch<M, const N: usize>([M; N]);

/// An unsigned integer holding the masks of [`BytePatternMatch`].
trait Mask: Copy {
    const ZERO: Self;
    fn set(&mut self, bit: usize);
    fn widen(self) -> u64;
}

macro_rules! impl_mask {
    ($($t:ty),*) => {$(
        impl Mask for $t {
            const ZERO: Self = 0;
            #[inline(always)]
            fn set(&mut self, bit: usize) {
                *self |= 1 << bit;
            }
            #[inline(always)]
            fn widen(self) -> u64 {
                u64::from(self)
            }
        }
    )*};
}
impl_mask!(u16, u32, u64);

impl<M: Mask, const N: usize> BytePatternMatch<M, N> {
    fn new(p: &[u8]) -> Self {
        debug_assert!(p.len() <= 8 * size_of::<M>());
        let mut table = [M::ZERO; N];
        for (i, &c) in p.iter().enumerate() {
            table[usize::from(c) % N].set(i);
        }
        BytePatternMatch(table)
    }
}

impl<M: Mask, const N: usize> PatternMatch for BytePatternMatch<M, N> {
    #[inline(always)]
    fn get(&self, c: u8) -> u64 {
        // `% N` is a no-op on the bytes that occur (ASCII for N = 128); it spares the bounds
        // check.
        self.0[usize::from(c) % N].widen()
    }
}

/// Builds the narrowest table for the pattern `p` (at most 64 bytes) and runs `user` on it.
fn with_pattern<U: PatternUser>(p: &[u8], codes: Codes, user: U) -> U::Out {
    match (codes, p.len()) {
        (Codes::Ascii, 0..=16) => user.run(&BytePatternMatch::<u16, 128>::new(p)),
        (Codes::Ascii, 17..=32) => user.run(&BytePatternMatch::<u32, 128>::new(p)),
        (Codes::Ascii, _) => user.run(&BytePatternMatch::<u64, 128>::new(p)),
        (Codes::Coded, 0..=16) => user.run(&BytePatternMatch::<u16, 256>::new(p)),
        (Codes::Coded, 17..=32) => user.run(&BytePatternMatch::<u32, 256>::new(p)),
        (Codes::Coded, _) => user.run(&BytePatternMatch::<u64, 256>::new(p)),
    }
}

/// The sorted distinct symbols of a sequence, giving each a dense id; symbols outside it get
/// the id `len()`.
struct Alphabet<S> {
    symbols: Vec<S>,
}

impl<S: Copy + Ord> Alphabet<S> {
    fn new(s: &[S]) -> Self {
        let mut symbols = s.to_vec();
        symbols.sort_unstable();
        symbols.dedup();
        Alphabet { symbols }
    }

    fn len(&self) -> usize {
        self.symbols.len()
    }

    fn id(&self, c: S) -> usize {
        self.symbols.binary_search(&c).unwrap_or(self.symbols.len())
    }
}

/// Match masks for a pattern longer than 64 symbols: `words` words per distinct symbol, plus
/// an all-zero row for symbols the pattern lacks.
struct BlockPatternMatch<S> {
    alphabet: Alphabet<S>,
    words: usize,
    masks: Vec<u64>,
}

impl<S: Copy + Ord> BlockPatternMatch<S> {
    fn new(p: &[S]) -> Self {
        let alphabet = Alphabet::new(p);
        let words = p.len().div_ceil(WORD);
        let mut masks = vec![0u64; (alphabet.len() + 1) * words];
        for (i, &c) in p.iter().enumerate() {
            masks[alphabet.id(c) * words + i / WORD] |= 1 << (i % WORD);
        }
        BlockPatternMatch {
            alphabet,
            words,
            masks,
        }
    }

    fn row(&self, c: S) -> &[u64] {
        let start = self.alphabet.id(c) * self.words;
        &self.masks[start..start + self.words]
    }
}

/// The lowest `n` bits set (all 64 for `n >= 64`).
fn low_bits(n: usize) -> u64 {
    if n >= WORD { !0 } else { (1u64 << n) - 1 }
}

/// Positions of the set bits of a multi-word bit set, in increasing order.
fn set_bits(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(w, &bits)| {
        let mut bits = bits;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                w * WORD + bit
            })
        })
    })
}

fn common_prefix<S: Eq>(a: &[S], b: &[S]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The prefix of `s` holding its first [`MAX_COMPARE_CHARS`] characters.
fn clip(s: &str) -> &str {
    if s.len() <= MAX_COMPARE_CHARS {
        return s; // no more characters than bytes
    }
    match s.char_indices().nth(MAX_COMPARE_CHARS) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Removes the longest common prefix and suffix (whole characters), which never change an
/// edit distance. Works on bytes: where two UTF-8 strings agree byte for byte up to a
/// character boundary of one, that is a character boundary of the other too.
fn strip_common_affix<'a, 'b>(a: &'a str, b: &'b str) -> (&'a str, &'b str) {
    let mut prefix = common_prefix(a.as_bytes(), b.as_bytes());
    while !a.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let mut suffix = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    while !a.is_char_boundary(a.len() - suffix) {
        suffix -= 1;
    }
    (&a[..a.len() - suffix], &b[..b.len() - suffix])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{HashMap, HashSet};

    // Computed with rapidfuzz 3.14.6 (Python): (a, b, Jaro.similarity, JaroWinkler.similarity,
    // Levenshtein.distance, OSA.distance, DamerauLevenshtein.distance); `repr` of the floats.
    #[rustfmt::skip]
    const RAPIDFUZZ: [(&str, &str, f64, f64, usize, usize, usize); 90] = [
        ("", "", 1.0, 1.0, 0, 0, 0),
        ("", "a", 0.0, 0.0, 1, 1, 1),
        ("abc", "", 0.0, 0.0, 3, 3, 3),
        ("a", "a", 1.0, 1.0, 0, 0, 0),
        ("a", "b", 0.0, 0.0, 1, 1, 1),
        ("ab", "ba", 0.0, 0.0, 2, 1, 1),
        ("abc", "abc", 1.0, 1.0, 0, 0, 0),
        ("martha", "marhta", 0.9444444444444445, 0.9611111111111111, 2, 1, 1),
        ("dwayne", "duane", 0.8222222222222223, 0.8400000000000001, 2, 2, 2),
        ("dixon", "dicksonx", 0.7666666666666666, 0.8133333333333332, 4, 4, 4),
        ("jellyfish", "smellyfish", 0.8962962962962964, 0.8962962962962964, 2, 2, 2),
        ("crate", "trace", 0.7333333333333334, 0.7333333333333334, 2, 2, 2),
        ("ca", "abc", 0.0, 0.0, 3, 3, 2),
        ("kitten", "sitting", 0.746031746031746, 0.746031746031746, 3, 3, 3),
        ("Müller", "Mueller", 0.7825396825396825, 0.8042857142857143, 2, 2, 2),
        ("Müller", "Muller", 0.888888888888889, 0.9, 1, 1, 1),
        ("müller", "mueller", 0.7825396825396825, 0.8042857142857143, 2, 2, 2),
        ("Jürgen", "Jurgen", 0.888888888888889, 0.9, 1, 1, 1),
        ("Jürgen", "Juergen", 0.7825396825396825, 0.8042857142857143, 2, 2, 2),
        ("Jrügen", "Jürgen", 0.9444444444444445, 0.9500000000000001, 2, 1, 1),
        ("Straße", "Strasse", 0.8492063492063492, 0.9095238095238095, 2, 2, 2),
        ("Schmidt", "Schmitd", 0.9523809523809524, 0.9714285714285714, 2, 1, 1),
        ("Schmidt", "Smith", 0.7071428571428572, 0.7364285714285714, 4, 4, 4),
        ("Jan de Vries", "Jan de Vries", 1.0, 1.0, 0, 0, 0),
        ("Jan de Vries", "J. de Vries", 0.914141414141414, 0.9227272727272726, 2, 2, 2),
        ("van der Meer", "van der Meer ", 0.9743589743589745, 0.9846153846153847, 1, 1, 1),
        ("Anna-Lena Müller-Lüdenscheidt", "Anna Lena Mueller", 0.7109758846067162, 0.8265855307640297, 16, 16, 16),
        ("Sophie Kok", "Sopnhie Kok", 0.9696969696969697, 0.9787878787878788, 1, 1, 1),
        ("Björn Weiß", "Bjoern Weiss", 0.7388888888888889, 0.7911111111111111, 4, 4, 4),
        ("Ørsted", "Orsted", 0.888888888888889, 0.888888888888889, 1, 1, 1),
        ("Łódź", "Lodz", 0.5, 0.5, 3, 3, 3),
        ("Ελένη", "Ελενη", 0.8666666666666667, 0.8933333333333333, 1, 1, 1),
        ("Дмитрий", "Дмитрии", 0.9047619047619048, 0.9428571428571428, 1, 1, 1),
        ("王小明", "王晓明", 0.7777777777777777, 0.7999999999999999, 1, 1, 1),
        ("😀", "😀", 1.0, 1.0, 0, 0, 0),
        ("😀", "😃", 0.0, 0.0, 1, 1, 1),
        ("😀😃", "😃😀", 0.0, 0.0, 2, 1, 1),
        ("👍🏽 Jan", "👍 Jan", 0.9444444444444445, 0.9500000000000001, 1, 1, 1),
        ("Jan 🇳🇱", "Jan 🇩🇪", 0.7777777777777777, 0.8666666666666666, 2, 2, 2),
        ("👨\u{200d}👩\u{200d}👧", "👨\u{200d}👩\u{200d}👦", 0.8666666666666667, 0.92, 1, 1, 1),
        ("cafe\u{301}", "café", 0.7833333333333333, 0.8483333333333334, 2, 2, 2),
        ("abcdef", "fedcba", 0.38888888888888884, 0.38888888888888884, 6, 5, 5),
        ("aaaa", "aaa", 0.9166666666666666, 0.9416666666666667, 1, 1, 1),
        ("abcxyz", "abcpqr", 0.6666666666666666, 0.6666666666666666, 3, 3, 3),
        ("Johnathan", "Jonathan", 0.8796296296296297, 0.9037037037037037, 1, 1, 1),
        ("Katharina", "Catharina", 0.9259259259259259, 0.9259259259259259, 1, 1, 1),
        ("@jan_devries", "jan.devries@example.nl", 0.7626262626262627, 0.7626262626262627, 13, 13, 13),
        ("Maximilian Alexander von und zu Hohenzollern-Sigmaringen-Lüdenscheidt", "tdiehcsnedüL-negniramgiS-nrelloznehoH uz dnu nov rednaxelA nailimixaM", 0.7442945194069631, 0.7442945194069631, 64, 63, 63),
        ("Maximilian Alexander von und zu Hohenzollern-Sigmaringen-Lüdenscheidt", "Maximilian Alexander von und zu Hohenzollern-Sigmaringen-Luedenscheidt", 0.9709393902488532, 0.9825636341493119, 2, 2, 2),
        ("Maximilian Alexander von und zu Hohenzollern-Sigmaringen-LüdenscheidtMaximilian Alexander von und zu Hohenzollern-Sigmaringen-Lüdenscheidt", "Maximilian Alexander von und zu Hohenzollern-Sigmaringen-Lüdenscheidt", 0.8333333333333334, 0.9, 69, 69, 69),
        ("Maximilian Alexander von und zu Hohenzollern-Sigmaringen-Lüdenscheidt", "Maximilian Alexander von und zu Hohenzollern-Sigmaringen-Lüd", 0.9565217391304347, 0.9739130434782608, 9, 9, 9),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 0.9711399711399711, 0.9826839826839826, 5, 5, 5),
        ("abababababababababababababababababababababababababababababababababababababababab", "babababababababababababababababababababababababababababababababababababababababa", 0.8333333333333334, 0.8333333333333334, 2, 2, 2),
        ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "yxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0.9966666666666667, 0.9966666666666667, 1, 1, 1),
        ("b", "bbcabb", 0.7222222222222223, 0.7500000000000001, 5, 5, 5),
        ("bcb", "b", 0.7777777777777777, 0.7999999999999999, 2, 2, 2),
        ("bccbaa", "ccbacbccca", 0.7555555555555555, 0.7555555555555555, 6, 6, 6),
        ("cbbabccaba", "bbbaabaac", 0.7712962962962964, 0.7712962962962964, 6, 6, 6),
        ("bbabcbacb", "b", 0.7037037037037037, 0.7333333333333334, 8, 8, 8),
        ("baaaa", "cbbcca", 0.5777777777777778, 0.5777777777777778, 4, 4, 4),
        ("adbebceddddbbac", "dccbbdecbbdeebede", 0.7241830065359477, 0.7241830065359477, 13, 13, 12),
        ("dacdebadccdcdaa", "cdbaaa", 0.5888888888888889, 0.5888888888888889, 9, 9, 9),
        ("eabdceccebbdaedaedb", "eacceebdaabbdcec", 0.7978801169590644, 0.8383040935672514, 11, 11, 11),
        ("eececabd", "caaebababd", 0.6416666666666667, 0.6416666666666667, 6, 6, 6),
        ("eecbcdbcabbeee", "bdbcecdeaeccdcedce", 0.7023809523809524, 0.7023809523809524, 12, 12, 12),
        ("ddcdceceabc", "bebeacbdbad", 0.5303030303030303, 0.5303030303030303, 10, 10, 10),
        (" ü ü aa 😀😀😀", "😀a ", 0.44949494949494945, 0.44949494949494945, 9, 9, 9),
        ("üa😀 😀", "aüaüüa😀 ", 0.5472222222222222, 0.5472222222222222, 5, 5, 5),
        ("😀aa ü   ", "😀", 0.7083333333333334, 0.7375, 7, 7, 7),
        ("aa ü😀a ü", "ü ", 0.5833333333333334, 0.5833333333333334, 6, 6, 6),
        (" 😀ü 😀😀😀 ", " 😀😀😀üa a😀 😀 ", 0.8055555555555555, 0.8444444444444443, 5, 5, 5),
        ("  ü😀ü😀ü aüü😀", "ü 😀 ", 0.6944444444444443, 0.6944444444444443, 9, 9, 9),
        ("fbaagbbehfaagebdfecgeffbecgbgdgcdedddhahcbchccbffhefgdfah", "deaebfhdgdcceggbggfgecefhhbadabfdffbbfdgfbbgfbefafdghabhe", 0.7860337117303061, 0.7860337117303061, 44, 44, 44),
        ("hdebcgfhcgcdbcffgcfgbhbafbdbdffaechhgafadegghfeaghebachh", "eeedfceagcfdaggebdahbfcbbfeahfbbdgbahfefdcaefchgbech", 0.7654411191645235, 0.7654411191645235, 40, 39, 39),
        ("abdacfcaaebggghcbcbaagggebfgcfdfdceabgbhdcgfcfhafcfegfcaahfdffahhc", "cgcgfbcggcffgbgggehgdghfbgbfcfhacfbabebabgcghfcdffecagefbea", 0.7551295220786747, 0.7551295220786747, 46, 45, 44),
        ("ccccfdcgafgbcecegaecfahcccdcgehfcaedbfgbcagfagbcggehfafeabgb", "ceacedeagadcafgfeeefgdeadcgcbhffaedeehbefbbdfgeacghc", 0.7234654234654235, 0.7511188811188811, 40, 40, 40),
        ("cebbcbbaheadbecdfcahgecadfghehafefchhdccahddhdaecddaeceffedhafggebbgbgbhcc", "gagcbcdbdbcdeghabadbfabfdgdgeghbdfhhcddeecagbhahfhfhhebb", 0.7428941744979481, 0.7428941744979481, 51, 51, 51),
        ("hbgbddabafadggdhgeeaeheahbcegfabdghaeedhabehffaeadfffbfeggffhbbfcgcdgfcefcag", "fgbgafhaacfcgfbggfdeaaahabdbffhgggeaaebggbcfafceefeadahgddbccebhafhahhadg", 0.7988006973065458, 0.7988006973065458, 55, 55, 55),
        ("üüüüüüaaaaüaübübbaübabaüübüüüaaaabbabbüababaüaüüübbübbübübaaabbüaaabüaaaabüaaüaübbabaabaübaabaaüübabbbabüüaüübüaaüüaüaüüüübüababaaübabbüüaü", "aaabaüaaaübaüüüabübabüüüübbüabübüüababbüaabüabübbüübbüaabaaabbaaüaaaaabaüüaübbabbüüüüaüaübbübaabaabaabbüaübaüabüb", 0.8255554848156873, 0.8255554848156873, 61, 61, 61),
        ("üüüübbübbüüübbüüüübaüaüabaabüabaüübbaübaüübaabüaabaüaübüübaabaaababbbbaübbüaa", "aüaübaüüübbüabaüaübabübabübübabüübabbübbbüaaüabbbabaaaübabüabaaabaabbbbabaaüüüüüabübaabaübbaüübaaabübbüaabbaabüüaaaüaüü", 0.7871148459383753, 0.7871148459383753, 59, 58, 58),
        ("übübaaübbbüaaababüabbbabbbaaüübbbbbbüüüaüaabaabbüüabaübbabübaabaaababüaübbüabaübaaaüaaübüaaaüübüaüüaüübbüüüüüaaaaüabüüübbüüüaabüb", "abbbabbbbüüababbübaüüaübübbbababaüabüübübüaaüababüaübübaaaübbaaüaübüüabbbüüabüüaabbüüüaübaüübü", 0.8173621419539282, 0.8173621419539282, 59, 58, 58),
        ("üübüaaabübbüababüüübüabbüüüaüaüübaaaüüabaabbaaüüaübaüüüüabüaübbbübaaaaabbbüaaüüübaababbaübbbübaüaaüaüübaabüüaa", "baaabbübaaüabüaabübübabaabbbaübbbüaüaübüaaüüübbabbbübbabbbübüabbübbaabbübüaübaaabüaüüübübaüaü", 0.7861922899742698, 0.7861922899742698, 48, 47, 47),
        ("übüabüaübbbaübüübbbüabüaaabüabbüaababbbaabübübaaübbüaübabübbaüaüaübüaüaaübaaüabaaüüabaüüaübüüaüaüüaaaaa", "abübbüaaabübaüaaübaüüaüübbüüüaaaüaaüüübabbbüüübabübbübaüüüabbaaübbbaüb", 0.7789181692094314, 0.7789181692094314, 53, 53, 53),
        ("abübbaüaüabüabüabbaababbbbübbüübüübübbüaabüaabaabübbabbaüüaaaüaabbaüüaabaaübüübbbababaababübbbüaübaü", "übüabaüüüabaüüaüüaaaaüüaübaabbbaabüabbabbaüüabüabababababaüübabbbaaaaabaübüaübbbüaaba", 0.8356022408963586, 0.8356022408963586, 42, 41, 41),
        ("abaaabaaaaaabbabaababbaaaabaabababbababaaaabbbbbaaaaaabaabbabbbaabababbaaaabaaaababbabaabbbbbbbbaabababbaababaabbababaaaaaabbbbabbbabaabbbbbbabaabbababbbaaaabbbbbbabbbbbbababbbbbbbabbaaaaabb", "abbabaaaababababaaabaabbbbbaabaaabbbbaaaaaabaaababbbbababbbabbaaaabbbbaabaaabaabbabaaaaaabbaaabbaaaaaaabaaabbaaaabbaabbababaabbbbabbbabbabaabbbba", 0.8451905626134302, 0.8761524500907442, 63, 63, 63),
        ("bbbabbababbabbbababbabbbabaaaaabaaabaaababbbbabababbbabbbbabbabbaabaaaababaaababbabbabaaabbbbbabbbbabbbabaaaabaaaaabbbbaabbbbbbaabababbaabbaabaabaaaaaabbbaaabbaabbabaababbbbabbbbababbbbbbabab", "bababaabbabaabbbaaabbbaaabaabbbaabaabbbaababbbbbabbbbbabbbaabbaaaabaaabbaaababbabbabbbababaaababbabbbaabbabbababaabaaabbabbbbbbaaaaaaaaaaabbaabababbabbaabababbbaabaaabbbbbbaabbaabbabaabbbabbabbbaaaaaabaababbbaaaabaababbbaabbbaabbbababbabaabbbabbaabaaaaabbabaaaaabbababaabbbbbaa", 0.8232117993208208, 0.8408906193887387, 105, 104, 104),
        ("aaabaabbbbabbaabbbbabbbbaaaaabbbaaaababbaaababaaabababbaabbbbababbbbbbaaaabaabaaabbaaabbabbbaaaaaabaabbabbbbbabbababaaaabaaabbbaabaabaaabbaabaaaa", "baaaaaaabbabbbbaaababbabaaabbbabbabbababbaabbbabbaaaababbbbabbbabbbbbbbaababbbbaabaabbbbbaaaaabbaaaabbbaababbaaabaabbbbaaaabbbababb", 0.8725567857769588, 0.8725567857769588, 46, 45, 45),
        ("abbaaaabaaabbabbaaabababbbbaaaaaaababababbbaaabaabbabaababbabbabbaabaaaabaaabbaabbabbaabaaabbaabababaabababababaaababaabbbabbaaaaabbbbaababbbbbbaabaababaabaaababbbbbaabaabaaabaababaabaaabbaababababbaabbbaabbbbaabababbabaaaaaabbaababbbbaabbbabbabaaa", "babbbbaaaaaabbbaaaababbabababaabbbaabaabbabbaaaabbbbbbbbbbaabaabbbaabababbaaabaaabbbbbbbbbbbbaaabbaaaabbbabba", 0.7397775475979086, 0.7397775475979086, 139, 139, 139),
        ("babaabaaaaaababaabbabbbaaabbabbbaaaaaabbababbbabaabbbabbaabbaaabbabbabbabababbaaabbbbbabaaaabbaabbabaaaaaabaaaababbabbaaaababbbbbbba", "abbabbabbaaabbabbaaabbbabaaabbbaaaabaabbababaabaabaababbbbaabbbaaaaaaabbaaaaababbbbabbbbbabbbaaaaaaaabbbaabaababaababbaaabbaababaaaababbaabaabababbaaabaabbbabbbbbbbbbbabbbbbaabababbbbbabbbaabbaababaabaabbbb", 0.8045013239187998, 0.8045013239187998, 86, 86, 86),
        ("abbbbbaabaaaabbbbaaababaabbaaabbbaaaaaaaaababaaaababbbabaabbbabbbabbbababaaaababaaaabaaabaaaaabbaaaaaaabbaaababaaabaaaababbbbbbabbababbbbabbabaaababbabababbaaaabbaabbaaaaaaabbaaaaabbbaabbabbababbbaaaabbbabaabbaaabababbbbaaabbbbbbaaaabbabbbaabbb", "baaabbbabaaaaaabaaabbaabaaaabaababaabababaabaababababbbbaabbaaababbbbabaabbaaaabbbbbbaaaabbabbaaabaababbbbbbaabaababababaaaabaaabbbaabaaabbbbabbaababbabbbbbaabbabababaaabbbbbbbaaaaabbabbbabbbbabbbababababbbaababbabbaabbaaaababbaaaabaaabbaabaabbaabbbbbbaababbbaaabbbabbbbababbbaaaaaaababaaaaabbbbaabaa", 0.8558105646630237, 0.8558105646630237, 98, 98, 98),
    ];

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// Textbook Levenshtein: the full dynamic-programming matrix.
    fn ref_levenshtein(a: &[char], b: &[char]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, &ca) in a.iter().enumerate() {
            let mut row = vec![i + 1; b.len() + 1];
            for (j, &cb) in b.iter().enumerate() {
                row[j + 1] = (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(row[j] + 1);
            }
            prev = row;
        }
        prev[b.len()]
    }

    /// Textbook optimal string alignment: Levenshtein plus adjacent transpositions of
    /// untouched characters.
    fn ref_osa(a: &[char], b: &[char]) -> usize {
        let (n, m) = (a.len(), b.len());
        let mut d = vec![vec![0usize; m + 1]; n + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        d[0] = (0..=m).collect();
        for i in 1..=n {
            for j in 1..=m {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        d[n][m]
    }

    /// Textbook Lowrance–Wagner: the full (n+2)×(m+2) matrix and the last row of each
    /// character.
    fn ref_damerau(a: &[char], b: &[char]) -> usize {
        let (n, m) = (a.len(), b.len());
        let inf = n + m + 1;
        let mut d = vec![vec![0usize; m + 2]; n + 2];
        d[0][0] = inf;
        for i in 0..=n {
            d[i + 1][0] = inf;
            d[i + 1][1] = i;
        }
        for j in 0..=m {
            d[0][j + 1] = inf;
            d[1][j + 1] = j;
        }
        let mut last_row: HashMap<char, usize> = HashMap::new();
        for i in 1..=n {
            let mut last_col = 0;
            for j in 1..=m {
                let k = last_row.get(&b[j - 1]).copied().unwrap_or(0);
                let l = last_col;
                let cost = if a[i - 1] == b[j - 1] {
                    last_col = j;
                    0
                } else {
                    1
                };
                d[i + 1][j + 1] = (d[i][j] + cost)
                    .min(d[i + 1][j] + 1)
                    .min(d[i][j + 1] + 1)
                    .min(d[k][l] + (i - k - 1) + 1 + (j - l - 1));
            }
            last_row.insert(a[i - 1], i);
        }
        d[n + 1][m + 1]
    }

    /// Textbook Jaro (Winkler's strcmp95 order: each character of `a` takes the leftmost
    /// free partner in `b`), with the formula evaluated as rapidfuzz does.
    fn ref_jaro(a: &[char], b: &[char]) -> f64 {
        if a.is_empty() || b.is_empty() {
            return if a.len() == b.len() { 1.0 } else { 0.0 };
        }
        let bound = (a.len().max(b.len()) / 2).saturating_sub(1);
        let mut a_flag = vec![false; a.len()];
        let mut b_flag = vec![false; b.len()];
        for i in 0..a.len() {
            let lo = i.saturating_sub(bound);
            let hi = (i + bound + 1).min(b.len());
            for j in lo..hi {
                if !b_flag[j] && a[i] == b[j] {
                    a_flag[i] = true;
                    b_flag[j] = true;
                    break;
                }
            }
        }
        let a_matched: Vec<char> = (0..a.len()).filter(|&i| a_flag[i]).map(|i| a[i]).collect();
        let b_matched: Vec<char> = (0..b.len()).filter(|&j| b_flag[j]).map(|j| b[j]).collect();
        let m = a_matched.len();
        if m == 0 {
            return 0.0;
        }
        let t = a_matched
            .iter()
            .zip(&b_matched)
            .filter(|(x, y)| x != y)
            .count()
            / 2;
        let m = m as f64;
        let mut sim = m / a.len() as f64;
        sim += m / b.len() as f64;
        sim += (m - t as f64) / m;
        sim / 3.0
    }

    #[test]
    fn equals_rapidfuzz_on_pinned_pairs() {
        for (a, b, jaro_rf, jw_rf, lev, osa, dl) in RAPIDFUZZ {
            for (x, y) in [(a, b), (b, a)] {
                assert!((jaro(x, y) - jaro_rf).abs() <= 1e-12, "jaro {x:?} {y:?}");
                assert!(
                    (jaro_winkler(x, y) - jw_rf).abs() <= 1e-12,
                    "jw {x:?} {y:?}"
                );
                assert_eq!(levenshtein(x, y), lev, "levenshtein {x:?} {y:?}");
                assert_eq!(osa_distance(x, y), osa, "osa {x:?} {y:?}");
                assert_eq!(damerau_levenshtein(x, y), dl, "damerau {x:?} {y:?}");
            }
        }
    }

    #[test]
    fn jaro_is_bit_identical_to_rapidfuzz() {
        // Same formula, same evaluation order: not just close, equal.
        for (a, b, jaro_rf, jw_rf, ..) in RAPIDFUZZ {
            assert_eq!(jaro(a, b).to_bits(), jaro_rf.to_bits(), "{a:?} {b:?}");
            assert_eq!(jaro_winkler(a, b).to_bits(), jw_rf.to_bits(), "{a:?} {b:?}");
        }
    }

    #[test]
    fn normalized_similarities_follow_the_distances() {
        for (a, b, _, _, lev, osa, dl) in RAPIDFUZZ {
            let longest = a.chars().count().max(b.chars().count());
            let expect = |d: usize| {
                if longest == 0 {
                    1.0
                } else {
                    1.0 - d as f64 / longest as f64
                }
            };
            assert_eq!(levenshtein_similarity(a, b), expect(lev));
            assert_eq!(osa_similarity(a, b), expect(osa));
            assert_eq!(damerau_levenshtein_similarity(a, b), expect(dl));
        }
    }

    #[test]
    fn empty_strings() {
        assert_eq!(jaro("", ""), 1.0);
        assert_eq!(jaro_winkler("", ""), 1.0);
        assert_eq!(jaro("", "x"), 0.0);
        assert_eq!(jaro_winkler("x", ""), 0.0);
        assert_eq!(levenshtein("", "Jürgen"), 6);
        assert_eq!(osa_distance("😀😀", ""), 2);
        assert_eq!(damerau_levenshtein("", ""), 0);
        assert_eq!(levenshtein_similarity("", ""), 1.0);
        assert_eq!(osa_similarity("a", ""), 0.0);
        assert_eq!(token_set_jaccard("", ""), 1.0);
        assert_eq!(token_set_jaccard(" \t\n", "x"), 0.0);
    }

    #[test]
    fn characters_not_bytes() {
        // "ü" is two bytes but one character: one substitution, not two
        assert_eq!(levenshtein("Müller", "Mxller"), 1);
        assert_eq!(levenshtein("😀", "😃"), 1); // four bytes, three of them equal
        assert_eq!(osa_distance("😀😃", "😃😀"), 1);
        // affix stripping must not split a character: the last bytes of 😀 and 😃 differ,
        // the first three are equal
        assert_eq!(levenshtein("a😀", "a😃"), 1);
        assert_eq!(damerau_levenshtein("ab😀", "ba😃"), 2);
        // a combining mark is a character of its own
        assert_eq!(levenshtein("cafe\u{301}", "café"), 2);
    }

    #[test]
    fn winkler_boost_rules() {
        let (j, jw) = (
            jaro("Johnathan", "Jonathan"),
            jaro_winkler("Johnathan", "Jonathan"),
        );
        assert!(j > 0.7);
        assert_eq!(jw, j + 2.0 * 0.1 * (1.0 - j)); // "Jo"
        // the prefix is capped at four characters
        let (j, jw) = (
            jaro("abcdefgh", "abcdefhg"),
            jaro_winkler("abcdefgh", "abcdefhg"),
        );
        assert_eq!(jw, j + 4.0 * 0.1 * (1.0 - j));
        // no boost at or below 0.7
        assert_eq!(jaro_winkler("abcxyz", "abcpqr"), jaro("abcxyz", "abcpqr"));
    }

    #[test]
    fn token_set_jaccard_counts_sets() {
        assert_eq!(token_set_jaccard("a b c", "c b a"), 1.0);
        assert_eq!(token_set_jaccard("a b", "b c"), 1.0 / 3.0);
        assert_eq!(token_set_jaccard("a a b", "a b b b"), 1.0);
        assert_eq!(token_set_jaccard("a\tb\n c", "a  b"), 2.0 / 3.0);
        assert_eq!(token_set_jaccard("Jan", "jan"), 0.0); // exact: normalise first
        // past 16 tokens on one side the vector path takes over, with the same answer
        let many: String = (0..40).map(|i| format!("t{} ", i % 20)).collect();
        let few = "t0 t1 t2 t3 t4 nope";
        assert_eq!(token_set_jaccard(&many, few), 5.0 / 21.0);
        assert_eq!(token_set_jaccard(few, &many), 5.0 / 21.0);
    }

    #[test]
    fn inputs_are_cut_at_max_compare_chars() {
        // 100 kB inputs: each comparator looks at the first MAX_COMPARE_CHARS characters only
        let a = "Jürgen Müller ".repeat(100_000 / 14);
        let b = "Juergen Mueller ".repeat(100_000 / 16);
        assert!(a.len() >= 100_000 && b.len() >= 95_000);
        let (ca, cb): (String, String) = (
            a.chars().take(MAX_COMPARE_CHARS).collect(),
            b.chars().take(MAX_COMPARE_CHARS).collect(),
        );
        assert_eq!(levenshtein(&a, &b), levenshtein(&ca, &cb));
        assert_eq!(osa_distance(&a, &b), osa_distance(&ca, &cb));
        assert_eq!(damerau_levenshtein(&a, &b), damerau_levenshtein(&ca, &cb));
        assert_eq!(jaro(&a, &b), jaro(&ca, &cb));
        assert_eq!(jaro_winkler(&a, &b), jaro_winkler(&ca, &cb));
        assert_eq!(
            levenshtein_similarity(&a, &b),
            levenshtein_similarity(&ca, &cb)
        );
        // a difference beyond the cut is invisible
        let tail = a.clone() + "different";
        assert_eq!(levenshtein(&a, &tail), 0);
        assert_eq!(jaro(&a, &tail), 1.0);
        // Jaccard reads the whole input
        assert!(token_set_jaccard(&a, &b) < 1.0);
        assert_eq!(token_set_jaccard(&a, &a.repeat(2)), 1.0);
    }

    #[test]
    fn long_inputs_match_the_references() {
        // Every path past 64 characters, on inputs up to the cut.
        let pieces = ["Jürgen ", "Müller ", "abab", "😀", "x", "van der ", "aaaa"];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..24 {
            let len_a = next(250);
            let len_b = next(250);
            let a: String = (0..len_a).map(|_| pieces[next(pieces.len())]).collect();
            let b: String = (0..len_b).map(|_| pieces[next(pieces.len())]).collect();
            let (ac, bc) = (chars(&a), chars(&b));
            let (ac, bc) = (
                &ac[..ac.len().min(MAX_COMPARE_CHARS)],
                &bc[..bc.len().min(MAX_COMPARE_CHARS)],
            );
            assert_eq!(levenshtein(&a, &b), ref_levenshtein(ac, bc));
            assert_eq!(osa_distance(&a, &b), ref_osa(ac, bc));
            assert_eq!(damerau_levenshtein(&a, &b), ref_damerau(ac, bc));
            assert_eq!(jaro(&a, &b), ref_jaro(ac, bc));
        }
    }

    #[test]
    fn transpositions_across_word_boundaries() {
        // A swap at every position of patterns spanning several 64-bit words, the first
        // character changed too so that no common prefix is stripped away.
        let alphabet: Vec<char> = ('a'..='z')
            .chain('A'..='Z')
            .chain("äöüß😀".chars())
            .collect();
        for len in [64, 65, 127, 128, 129, 200] {
            let s: Vec<char> = (0..len).map(|i| alphabet[i % alphabet.len()]).collect();
            for k in 0..len - 1 {
                let mut swapped = s.clone();
                swapped.swap(k, k + 1);
                swapped[0] = '#';
                let (a, b): (String, String) = (s.iter().collect(), swapped.iter().collect());
                assert_eq!(
                    osa_distance(&a, &b),
                    ref_osa(&s, &swapped),
                    "len {len}, swap at {k}"
                );
                assert_eq!(levenshtein(&a, &b), ref_levenshtein(&s, &swapped));
                assert_eq!(damerau_levenshtein(&a, &b), ref_damerau(&s, &swapped));
                assert_eq!(jaro(&a, &b).to_bits(), ref_jaro(&s, &swapped).to_bits());
            }
        }
    }

    /// Strings that stress the bit-parallel paths: few distinct characters (many matches and
    /// carries), ASCII or not, short or past one word.
    fn stressing() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ab]{0,12}",
            "[abc ]{0,70}",
            "[a-f]{55,75}",
            "[ab]{60,200}",
            "[aüb😀]{0,80}",
            "[aü😀Ω]{60,150}",
            "\\PC{0,40}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn bit_parallel_paths_match_reference_dps(a in stressing(), b in stressing()) {
            let (ac, bc) = (chars(&a), chars(&b));
            prop_assert_eq!(levenshtein(&a, &b), ref_levenshtein(&ac, &bc));
            prop_assert_eq!(osa_distance(&a, &b), ref_osa(&ac, &bc));
            prop_assert_eq!(damerau_levenshtein(&a, &b), ref_damerau(&ac, &bc));
            // the same formula in the same order: equal, not merely close
            prop_assert_eq!(jaro(&a, &b).to_bits(), ref_jaro(&ac, &bc).to_bits());
        }

        #[test]
        fn similarities_are_symmetric_and_in_range(a in stressing(), b in stressing()) {
            let fns: [fn(&str, &str) -> f64; 6] = [
                jaro, jaro_winkler, levenshtein_similarity, osa_similarity,
                damerau_levenshtein_similarity, token_set_jaccard,
            ];
            for (k, f) in fns.iter().enumerate() {
                let (ab, ba) = (f(&a, &b), f(&b, &a));
                prop_assert!((0.0..=1.0).contains(&ab), "fn {}: {}", k, ab);
                prop_assert_eq!(ab.to_bits(), ba.to_bits(), "fn {} not symmetric", k);
            }
            prop_assert!(jaro_winkler(&a, &b) >= jaro(&a, &b));
        }

        #[test]
        fn identity_is_perfect(a in stressing()) {
            prop_assert_eq!(jaro(&a, &a), 1.0);
            prop_assert_eq!(jaro_winkler(&a, &a), 1.0);
            prop_assert_eq!(levenshtein(&a, &a), 0);
            prop_assert_eq!(osa_distance(&a, &a), 0);
            prop_assert_eq!(damerau_levenshtein(&a, &a), 0);
            prop_assert_eq!(levenshtein_similarity(&a, &a), 1.0);
            prop_assert_eq!(token_set_jaccard(&a, &a), 1.0);
        }

        #[test]
        fn distances_are_ordered_and_bounded(a in stressing(), b in stressing()) {
            let (la, lb) = (a.chars().count(), b.chars().count());
            let (lev, osa, dl) = (levenshtein(&a, &b), osa_distance(&a, &b), damerau_levenshtein(&a, &b));
            // more kinds of edit can only shorten the cheapest script; none beats the length gap
            prop_assert!(la.max(lb) >= lev);
            prop_assert!(lev >= osa);
            prop_assert!(osa >= dl);
            prop_assert!(dl >= la.abs_diff(lb));
            // a different string needs at least one edit
            prop_assert_eq!(dl == 0, a == b);
        }

        #[test]
        fn levenshtein_and_damerau_are_metrics(a in stressing(), b in stressing(), c in stressing()) {
            prop_assert!(levenshtein(&a, &c) <= levenshtein(&a, &b) + levenshtein(&b, &c));
            prop_assert!(
                damerau_levenshtein(&a, &c) <= damerau_levenshtein(&a, &b) + damerau_levenshtein(&b, &c)
            );
        }

        #[test]
        fn token_set_jaccard_matches_hash_sets(
            a in "([abcd]{1,2}[ \t]{1,2}){0,24}",
            b in "([abcd]{1,2}[ \t]{1,2}){0,24}",
        ) {
            let sa: HashSet<&str> = a.split_whitespace().collect();
            let sb: HashSet<&str> = b.split_whitespace().collect();
            let union = sa.union(&sb).count();
            let expect = if union == 0 {
                1.0
            } else {
                sa.intersection(&sb).count() as f64 / union as f64
            };
            prop_assert_eq!(token_set_jaccard(&a, &b), expect);
        }
    }
}
