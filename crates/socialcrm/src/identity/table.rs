//! Input records, string interning and the compact prepared form the matcher works on.
//!
//! Matching a million records against a million profiles touches tens of millions of pairs.
//! Normalised values are therefore interned once: every distinct string gets a `u32` id shared
//! by both sides, exact agreement is an integer comparison, term frequencies are counts per
//! id, and a prepared record is a few integers rather than a bundle of strings.

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashSet};

use crate::error::{Error, Result};

/// A table of records to match: an id per row and named string fields.
///
/// Empty and whitespace-only values count as missing. Rows are kept in the order they were
/// added; results refer to rows by id.
///
/// ```
/// use socialcrm::identity::Records;
/// let mut people = Records::new(["first_name", "last_name", "dob"]);
/// people.push("c1", [Some("Jan"), Some("de Vries"), Some("1982-03-14")])?;
/// people.push("c2", [Some("Petra"), Some("Müller"), None])?;
/// assert_eq!(people.len(), 2);
/// assert_eq!(people.value(1, "last_name"), Some("Müller"));
/// # Ok::<(), socialcrm::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    fields: Vec<String>,
    ids: Vec<String>,
    /// Row-major: `values[row * fields.len() + field]`.
    values: Vec<Option<String>>,
}

impl Records {
    /// An empty table with the given field names.
    pub fn new<I, S>(fields: I) -> Records
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Records {
            fields: fields.into_iter().map(Into::into).collect(),
            ids: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Builds a table from an id column and named value columns of equal length (the shape
    /// of a DataFrame).
    pub fn from_columns(
        ids: Vec<String>,
        columns: Vec<(String, Vec<Option<String>>)>,
    ) -> Result<Records> {
        let rows = ids.len();
        for (name, column) in &columns {
            if column.len() != rows {
                return Err(Error::InvalidArgument(format!(
                    "column {name:?} has {} values but there are {rows} ids",
                    column.len()
                )));
            }
        }
        let fields: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
        let width = fields.len();
        let mut values = vec![None; rows * width];
        for (f, (_, column)) in columns.into_iter().enumerate() {
            for (row, value) in column.into_iter().enumerate() {
                values[row * width + f] = value;
            }
        }
        Ok(Records {
            fields,
            ids,
            values,
        })
    }

    /// Appends a row. `values` must have one entry per field, in field order.
    pub fn push<I, V>(&mut self, id: impl Into<String>, values: I) -> Result<()>
    where
        I: IntoIterator<Item = Option<V>>,
        V: Into<String>,
    {
        let before = self.values.len();
        self.values
            .extend(values.into_iter().map(|v| v.map(Into::into)));
        let given = self.values.len() - before;
        if given != self.fields.len() {
            self.values.truncate(before);
            return Err(Error::InvalidArgument(format!(
                "a row needs {} values (one per field: {}), got {given}",
                self.fields.len(),
                self.fields.join(", ")
            )));
        }
        self.ids.push(id.into());
        Ok(())
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// `true` when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The field names, in column order.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// The ids, in row order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The column index of a field.
    pub fn field_index(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == field)
    }

    /// The value of `field` in `row`; `None` when missing, empty or whitespace-only, or when
    /// the field or row does not exist.
    pub fn value(&self, row: usize, field: &str) -> Option<&str> {
        let f = self.field_index(field)?;
        self.value_at(row, f)
    }

    pub(crate) fn value_at(&self, row: usize, field: usize) -> Option<&str> {
        self.values
            .get(row * self.fields.len() + field)?
            .as_deref()
            .filter(|v| !v.trim().is_empty())
    }

    /// Appends the rows of `other`, which must have the same fields.
    pub(crate) fn append(&mut self, other: &Records) -> Result<()> {
        if other.fields != self.fields {
            return Err(Error::InvalidArgument(format!(
                "records have fields ({}) but the index has ({})",
                other.fields.join(", "),
                self.fields.join(", ")
            )));
        }
        self.ids.extend(other.ids.iter().cloned());
        self.values.extend(other.values.iter().cloned());
        Ok(())
    }

    /// Removes the row with `id`; returns whether it existed.
    pub(crate) fn remove(&mut self, id: &str) -> bool {
        let Some(row) = self.ids.iter().position(|x| x == id) else {
            return false;
        };
        let width = self.fields.len();
        self.ids.remove(row);
        self.values.drain(row * width..(row + 1) * width);
        true
    }

    /// Fails with [`Error::DuplicateId`] naming the first repeated id.
    pub(crate) fn check_unique_ids(&self, table: &str) -> Result<()> {
        let mut seen = FxHashSet::with_capacity_and_hasher(self.ids.len(), FxBuildHasher);
        for id in &self.ids {
            if !seen.insert(id.as_str()) {
                return Err(Error::DuplicateId {
                    id: id.clone(),
                    table: table.to_owned(),
                });
            }
        }
        Ok(())
    }
}

/// Marks a missing value in a [`Column`] of ids.
pub(crate) const NONE: u32 = u32::MAX;

/// `n` as a `u32` index or offset (below [`NONE`]). Tables index rows, values and their
/// parts with `u32` to halve their memory; past 2³² − 1 entries (tens of GiB of input) a
/// silent wrap would give wrong columns, so this stops with a message naming `what`.
#[inline]
pub(crate) fn index32(n: usize, what: &str) -> u32 {
    match u32::try_from(n) {
        Ok(i) if i != NONE => i,
        _ => panic!("more than 2^32 - 2 {what}: too large for one table"),
    }
}

/// Distinct strings, each with a dense `u32` id; ids are shared by the two sides of a match.
///
/// With [`Interner::with_signatures`], each string also gets a [`Signature`] (its letter
/// counts), which bounds Jaro–Winkler from above so that most comparisons of clearly
/// different strings never run the full algorithm.
///
/// The strings live end to end in one arena, so that resolving an id while comparing pairs
/// costs one load for its span and one for its bytes (a set of boxed strings costs one more,
/// to a scattered allocation): comparing candidate pairs is bound by memory latency.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    /// Every string, end to end: string `id` is `text[ends[id - 1]..ends[id]]`.
    text: String,
    ends: Vec<usize>,
    /// The ids, looked up by the hash of their string.
    table: hashbrown::HashTable<u32>,
    signatures: Option<Vec<Signature>>,
}

/// Letter counts of a string in 30 buckets, four bits each, and its length in characters:
/// enough to bound Jaro–Winkler from above without touching the string.
///
/// Sixteen bytes, so that a pair's two signatures are one aligned load each: comparing
/// candidate pairs is bound by memory latency, and a smaller table stays in cache (it was
/// 34 bytes with 8-bit counts; FEBRL's 50k distinct strings then overflowed L2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(align(16))]
pub(crate) struct Signature {
    /// Bytes 0..15: two counts each (low nibble, high nibble). Byte 15: the length, or
    /// [`Signature::NO_BOUND`] for a string a nibble cannot describe (a letter 16 or more
    /// times, or 255 or more characters).
    packed: [u8; 16],
}

impl Signature {
    const NO_BOUND: u8 = u8::MAX;

    pub(crate) fn of(s: &str) -> Signature {
        let mut counts = [0u32; 30];
        let mut len = 0usize;
        for c in s.chars() {
            // any fixed map from characters to buckets gives a valid bound: equal characters
            // always land in the same bucket
            let bucket = match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + (c as usize - '0' as usize) % 2,
                _ => 28 + (c as usize) % 2,
            };
            counts[bucket] += 1;
            len += 1;
        }
        let mut packed = [0u8; 16];
        if len >= usize::from(Signature::NO_BOUND) || counts.iter().any(|&c| c > 15) {
            packed[15] = Signature::NO_BOUND;
            return Signature { packed };
        }
        for (i, pair) in counts.chunks_exact(2).enumerate() {
            packed[i] = (pair[0] | pair[1] << 4) as u8;
        }
        packed[15] = len as u8;
        Signature { packed }
    }

    /// The letters both strings have, counted with multiplicity: an upper bound on Jaro's
    /// matching characters. At most the shorter length (< 255), so a `u8` cannot overflow,
    /// and the loop is a handful of vector instructions.
    fn shared(&self, other: &Signature) -> u8 {
        let mut shared = 0u8;
        for i in 0..15 {
            let (a, b) = (self.packed[i], other.packed[i]);
            shared = shared
                .wrapping_add((a & 15).min(b & 15))
                .wrapping_add((a >> 4).min(b >> 4));
        }
        shared
    }

    /// Whether Jaro–Winkler of the two strings can reach `threshold` (at most 1), given
    /// their common prefix length (at most 4 counts). Jaro's matches `m` cannot exceed the
    /// shared letter counts and its transposition term is at most 1, so with lengths `a`,
    /// `b` and Winkler's `q = 0.1 × prefix`:
    /// `jw ≤ ((m·(a+b) + a·b) / 3ab)·(1 − q) + q`. The test is that inequality multiplied
    /// out, without a division (two of them were a tenth of the comparing time).
    #[inline]
    pub(crate) fn may_reach(
        &self,
        other: &Signature,
        common_prefix: usize,
        threshold: f64,
    ) -> bool {
        let (la, lb) = (self.packed[15], other.packed[15]);
        if la == Signature::NO_BOUND || lb == Signature::NO_BOUND {
            return true;
        }
        if la == 0 || lb == 0 {
            // Jaro–Winkler of an empty string is 1 against an empty one, else 0
            return la == lb || threshold <= 0.0;
        }
        let m = f64::from(self.shared(other));
        if m == 0.0 {
            return threshold <= 0.0;
        }
        let (a, b) = (f64::from(la), f64::from(lb));
        let q = common_prefix.min(4) as f64 * 0.1;
        // a small slack: rounding must never rule out a pair that reaches the threshold
        (m * (a + b) + a * b) * (1.0 - q) + 1e-9 * a * b >= (threshold - q) * 3.0 * a * b
    }

    /// The bound [`Signature::may_reach`] tests, as a number (for tests).
    #[cfg(test)]
    fn jaro_winkler_bound(&self, other: &Signature, common_prefix: usize) -> f64 {
        let (la, lb) = (self.packed[15], other.packed[15]);
        if la == Signature::NO_BOUND || lb == Signature::NO_BOUND {
            return 1.0;
        }
        if la == 0 || lb == 0 {
            return if la == lb { 1.0 } else { 0.0 };
        }
        let m = f64::from(self.shared(other));
        if m == 0.0 {
            return 0.0;
        }
        let (a, b) = (f64::from(la), f64::from(lb));
        let jaro = ((m / a + m / b + 1.0) / 3.0).min(1.0);
        let q = common_prefix.min(4) as f64 * 0.1;
        (jaro + q * (1.0 - jaro)).min(1.0)
    }
}

impl Interner {
    /// An interner that also keeps a [`Signature`] per string.
    pub(crate) fn with_signatures() -> Interner {
        Interner {
            signatures: Some(Vec::new()),
            ..Interner::default()
        }
    }

    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        self.intern_hashed(s, Interner::hash(s))
    }

    /// The hash [`Interner::intern_hashed`] wants: computable on any thread.
    pub(crate) fn hash(s: &str) -> u64 {
        FxBuildHasher.hash_one(s)
    }

    /// Whether this interner keeps a [`Signature`] per string.
    pub(crate) fn keeps_signatures(&self) -> bool {
        self.signatures.is_some()
    }

    /// Room for `strings` more strings of `bytes` bytes in all, so that interning a known
    /// batch does not grow (and rehash) the table step by step.
    pub(crate) fn reserve(&mut self, strings: usize, bytes: usize) {
        let Interner {
            text, ends, table, ..
        } = self;
        table.reserve(strings, |&id| FxBuildHasher.hash_one(span(text, ends, id)));
        ends.reserve(strings);
        text.reserve(bytes);
        if let Some(sigs) = &mut self.signatures {
            sigs.reserve(strings);
        }
    }

    /// [`Interner::intern`] with the string's [`Interner::hash`] already computed.
    pub(crate) fn intern_hashed(&mut self, s: &str, hash: u64) -> u32 {
        self.intern_prepared(s, hash, || Signature::of(s))
    }

    /// [`Interner::intern_hashed`] with the signature, if a new string needs one, from
    /// `signature` (computed ahead on any thread, so the serial interning pass stays short).
    pub(crate) fn intern_prepared(
        &mut self,
        s: &str,
        hash: u64,
        signature: impl FnOnce() -> Signature,
    ) -> u32 {
        let Interner {
            text, ends, table, ..
        } = self;
        let span = |id: u32| span(text, ends, id);
        if let Some(&id) = table.find(hash, |&id| span(id) == s) {
            return id;
        }
        let id = u32::try_from(ends.len())
            .ok()
            .filter(|&id| id != NONE)
            .expect("fewer than 2^32 - 1 distinct strings");
        table.insert_unique(hash, id, |&id| FxBuildHasher.hash_one(span(id)));
        text.push_str(s);
        ends.push(text.len());
        if let Some(sigs) = &mut self.signatures {
            sigs.push(signature());
        }
        id
    }

    /// The signature of a string, when this interner keeps them.
    pub(crate) fn signature(&self, id: u32) -> Option<&Signature> {
        self.signatures.as_ref()?.get(id as usize)
    }

    /// The id of `s`, if it was interned.
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        let hash = Interner::hash(s);
        self.table.find(hash, |&id| self.resolve(id) == s).copied()
    }

    /// The string of `id` ("" for an id this interner never gave out).
    #[inline]
    pub(crate) fn resolve(&self, id: u32) -> &str {
        span(&self.text, &self.ends, id)
    }
}

#[inline]
fn span<'a>(text: &'a str, ends: &[usize], id: u32) -> &'a str {
    let id = id as usize;
    let Some(&end) = ends.get(id) else {
        return "";
    };
    let start = if id == 0 { 0 } else { ends[id - 1] };
    // the spans are the arena's own char boundaries
    text.get(start..end).unwrap_or("")
}

/// Prepared values stored row by row: all of a row's items, of every column, sit together in
/// one block, so that reading many columns of one row costs one or two cache misses instead
/// of two per column. For tables read at random rows across many columns (the social
/// profiles, whose rows a sorted candidate list visits at random).
///
/// Row `r`'s block is `data[starts[r]..starts[r + 1]]`: `width` column ends (relative to the
/// block's items), then the items.
#[derive(Debug, Clone)]
pub(crate) struct RowTable {
    width: usize,
    starts: Vec<usize>,
    data: Vec<u32>,
}

impl RowTable {
    pub(crate) fn new(width: usize) -> RowTable {
        RowTable {
            width,
            starts: vec![0],
            data: Vec::new(),
        }
    }

    /// Appends a row: the items of each column in turn. Columns past the table's width are
    /// a caller's bug (the social tables' widths are constants): caught in debug builds,
    /// dropped in release rather than written over the row's header.
    pub(crate) fn push_row<I: IntoIterator<Item = u32>>(
        &mut self,
        columns: impl IntoIterator<Item = I>,
    ) {
        let base = self.data.len();
        let items = base + self.width;
        self.data.resize(items, 0);
        let mut col = 0;
        let mut columns = columns.into_iter();
        for column in columns.by_ref().take(self.width) {
            self.data.extend(column);
            self.data[base + col] = (self.data.len() - items) as u32;
            col += 1;
        }
        debug_assert!(
            columns.next().is_none(),
            "more columns than the table's width"
        );
        // columns not given are empty
        let end = (self.data.len() - items) as u32;
        for c in col..self.width {
            self.data[base + c] = end;
        }
        self.starts.push(self.data.len());
    }

    /// The items of column `col` in `row` (none for a row or column out of range).
    #[inline]
    pub(crate) fn get(&self, col: usize, row: u32) -> &[u32] {
        let row = row as usize;
        let (Some(&base), Some(_)) = (self.starts.get(row), self.starts.get(row + 1)) else {
            return &[];
        };
        if col >= self.width {
            return &[];
        }
        let head = &self.data[base..base + self.width];
        let start = if col == 0 { 0 } else { head[col - 1] as usize };
        let items = base + self.width;
        &self.data[items + start..items + head[col] as usize]
    }

    pub(crate) fn rows(&self) -> usize {
        self.starts.len() - 1
    }
}

/// A column of prepared values in compressed-sparse-row form: each row has zero or more
/// `u32` items (interned string ids, or raw numbers for numeric sub-columns).
#[derive(Debug, Clone)]
pub(crate) struct Column {
    offsets: Vec<u32>,
    items: Vec<u32>,
}

impl Default for Column {
    fn default() -> Self {
        Column {
            offsets: vec![0],
            items: Vec::new(),
        }
    }
}

impl Column {
    pub(crate) fn push_row(&mut self, items: impl IntoIterator<Item = u32>) {
        self.items.extend(items);
        self.offsets.push(self.items.len() as u32);
    }

    pub(crate) fn get(&self, row: u32) -> &[u32] {
        let row = row as usize;
        match (self.offsets.get(row), self.offsets.get(row + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }

    pub(crate) fn first(&self, row: u32) -> Option<u32> {
        self.get(row).first().copied()
    }

    /// Appends all rows of `other`.
    pub(crate) fn extend_from(&mut self, other: &Column) {
        let base = self.items.len() as u32;
        self.items.extend_from_slice(&other.items);
        self.offsets
            .extend(other.offsets[1..].iter().map(|&o| o + base));
    }

    pub(crate) fn rows(&self) -> usize {
        self.offsets.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A row-major table gives back exactly the items pushed, per column and row, as
        /// the column-major form does; columns not given and rows or columns out of range
        /// are empty.
        #[test]
        fn row_table_reads_back_what_was_pushed(
            rows in prop::collection::vec(
                prop::collection::vec(prop::collection::vec(any::<u32>(), 0..4), 0..=5),
                0..20,
            ),
        ) {
            const WIDTH: usize = 5;
            let mut table = RowTable::new(WIDTH);
            let mut columns = vec![Column::default(); WIDTH];
            for row in &rows {
                table.push_row(row.iter().map(|items| items.iter().copied()));
                for (c, column) in columns.iter_mut().enumerate() {
                    column.push_row(row.get(c).into_iter().flatten().copied());
                }
            }
            prop_assert_eq!(table.rows(), rows.len());
            for r in 0..rows.len() as u32 + 2 {
                for c in 0..WIDTH + 1 {
                    let want = columns.get(c).map_or(&[][..], |column| column.get(r));
                    prop_assert_eq!(table.get(c, r), want, "column {} row {}", c, r);
                }
            }
        }
    }

    #[test]
    fn push_checks_width() {
        let mut r = Records::new(["a", "b"]);
        assert!(r.push("1", [Some("x")]).is_err());
        assert_eq!(r.len(), 0);
        r.push("1", [Some("x"), None]).unwrap();
        assert_eq!(r.value(0, "a"), Some("x"));
        assert_eq!(r.value(0, "b"), None);
        assert_eq!(r.value(0, "zzz"), None);
    }

    #[test]
    fn blank_values_are_missing() {
        let mut r = Records::new(["a"]);
        r.push("1", [Some("   ")]).unwrap();
        assert_eq!(r.value(0, "a"), None);
    }

    #[test]
    fn duplicate_ids_are_named() {
        let mut r = Records::new(["a"]);
        r.push("x", [Some("1")]).unwrap();
        r.push("y", [Some("1")]).unwrap();
        r.push("x", [Some("2")]).unwrap();
        let err = r.check_unique_ids("left").unwrap_err().to_string();
        assert_eq!(err, "duplicate id \"x\" in left");
    }

    #[test]
    fn from_columns_checks_lengths() {
        let ok = Records::from_columns(
            vec!["1".into(), "2".into()],
            vec![("a".into(), vec![Some("x".into()), None])],
        )
        .unwrap();
        assert_eq!(ok.value(0, "a"), Some("x"));
        assert!(Records::from_columns(vec!["1".into()], vec![("a".into(), vec![])]).is_err());
    }

    #[test]
    fn signature_bounds_jaro_winkler() {
        use crate::identity::compare::jaro_winkler;
        let words = [
            "",
            "a",
            "martha",
            "marhta",
            "stanley street",
            "pinkerton circuit",
            "müller",
            "mueller",
            "dwayne",
            "duane",
            "12345",
            "54321",
            "jones",
            "johnson",
            "aaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaa",
            "a-b c.d/e",
            "Ärger",
        ];
        for a in words {
            for b in words {
                let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
                let (sa, sb) = (Signature::of(a), Signature::of(b));
                let bound = sa.jaro_winkler_bound(&sb, prefix);
                let jw = jaro_winkler(a, b);
                assert!(jw <= bound + 1e-12, "{a:?} {b:?}: jw {jw} > bound {bound}");
                // the division-free test agrees with the bound, and never rules out a pair
                // whose similarity reaches the threshold, even exactly
                for t in [0.0, 0.5, 0.7, 0.85, 0.88, 0.9, 0.94, 1.0, jw, bound] {
                    let reach = sa.may_reach(&sb, prefix, t);
                    assert!(reach || jw < t, "{a:?} {b:?} at {t}: ruled out, jw {jw}");
                    if bound < t - 1e-6 {
                        assert!(!reach, "{a:?} {b:?} at {t}: bound {bound} but may reach");
                    }
                }
            }
        }
        // a letter 16 times, or 255 characters, fit no nibble: no bound, never ruled out
        let many = "a".repeat(16);
        let long = "ab".repeat(200);
        for s in [&many, &long] {
            assert!(Signature::of(s).may_reach(&Signature::of("zzz"), 0, 0.99));
            assert!(Signature::of("zzz").may_reach(&Signature::of(s), 0, 0.99));
        }
        assert!(!Signature::of(&"a".repeat(15)).may_reach(&Signature::of("zzz"), 0, 0.1));
        // clearly different strings are ruled out without running Jaro-Winkler
        let bound = Signature::of("stanley street")
            .jaro_winkler_bound(&Signature::of("pinkerton circuit"), 0);
        assert!(bound < 0.85, "{bound}");
    }

    #[test]
    fn interner_and_columns() {
        let mut i = Interner::default();
        let a = i.intern("müller");
        assert_eq!(i.intern("müller"), a);
        assert_ne!(i.intern("mueller"), a);
        assert_eq!(i.resolve(a), "müller");
        let mut c = Column::default();
        c.push_row([a]);
        c.push_row([]);
        c.push_row([1, 2]);
        assert_eq!(c.rows(), 3);
        assert_eq!(c.get(0), &[a]);
        assert_eq!(c.first(1), None);
        assert_eq!(c.get(2), &[1, 2]);
        assert_eq!(c.get(9), &[] as &[u32]);
    }
}
