//! Per-kind preparation of field values and their comparison levels.
//!
//! Each [`FieldKind`] turns one raw value into a few *sub-columns* (normalised strings or
//! numbers) once, when records are prepared; comparing two prepared values is then integer
//! comparisons plus at most a few string similarities. The comparison of two values falls
//! into one *level*: level 0 is always "missing" (no evidence either way), level 1 the
//! strongest agreement, the last level "different".

use super::compare::{jaro_winkler, osa_distance};
use super::kind::FieldKind;
use super::normalize::{
    DateOrder, cologne_phonetic, double_metaphone, normalize_date, normalize_email,
    normalize_handle, normalize_name, normalize_number, normalize_phone, normalize_postcode,
    normalize_text, normalize_url, within_limit,
};
use super::table::{Column, Interner, NONE, RowTable};
use crate::text::normalize;

/// One prepared item: an interned string or a raw number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    Str(String),
    Raw(u32),
}

/// The prepared form of one raw value: items per sub-column (`subs[i]` for sub-column `i`).
pub(crate) type SubValues = Vec<Vec<Item>>;

/// Options that influence preparation.
#[derive(Debug, Clone)]
pub(crate) struct PrepareOptions {
    pub default_country: Option<String>,
    pub date_order: DateOrder,
}

impl Default for PrepareOptions {
    fn default() -> Self {
        PrepareOptions {
            default_country: None,
            date_order: DateOrder::DayFirst,
        }
    }
}

// Sub-column layout per kind. Sub-column 0 is always the value's exact key: equality of
// sub-column 0 is the "exact" level, and term frequencies are counted on it.
pub(crate) const NAME_FULL: usize = 0;
pub(crate) const NAME_CANONICAL: usize = 1;
pub(crate) const NAME_INITIALS: usize = 2;
pub(crate) const NAME_PHONETIC: usize = 3;
pub(crate) const NAME_WORDS: usize = 4;
pub(crate) const TEXT_TOKENS: usize = 1;
pub(crate) const DATE_DIGITS: usize = 0;
pub(crate) const DATE_YMD: usize = 1;
pub(crate) const EMAIL_ADDRESS: usize = 0;
pub(crate) const EMAIL_LOCAL: usize = 1;
pub(crate) const HANDLE_HANDLE: usize = 0;
pub(crate) const HANDLE_LETTERS: usize = 1;
pub(crate) const URL_HOSTPATH: usize = 0;
pub(crate) const URL_DOMAIN: usize = 1;

/// Number of sub-columns a kind prepares into.
pub(crate) fn width(kind: FieldKind) -> usize {
    match kind {
        FieldKind::Name => 5,
        FieldKind::Date
        | FieldKind::Email
        | FieldKind::Handle
        | FieldKind::Url
        | FieldKind::Text => 2,
        FieldKind::Exact | FieldKind::Phone | FieldKind::Postcode | FieldKind::Number => 1,
    }
}

/// Splits a cell that may hold several e-mail addresses or phone numbers.
fn split_multi(raw: &str) -> impl Iterator<Item = &str> {
    raw.split([';', '|', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(within_limit)
}

/// Prepares one raw value of `kind`. `None` when nothing usable is left (no evidence).
pub(crate) fn prepare(kind: FieldKind, raw: &str, options: &PrepareOptions) -> Option<SubValues> {
    // an over-long value is no evidence (see `MAX_FIELD_BYTES`); a field of several values
    // (e-mails, phones: "a@x.de; b@y.de") is held to the limit value by value, and padding
    // does not count
    let raw = raw.trim();
    let multi = matches!(kind, FieldKind::Email | FieldKind::Phone);
    let raw = if multi { raw } else { within_limit(raw)? };
    let mut subs: SubValues = vec![Vec::new(); width(kind)];
    match kind {
        FieldKind::Name => {
            let n = normalize_name(raw)?;
            let compact: String = n.words.concat();
            subs[NAME_FULL].push(Item::Str(n.full.clone()));
            subs[NAME_CANONICAL].push(Item::Str(n.canonical.join(" ")));
            subs[NAME_INITIALS].push(Item::Str(n.initials.clone()));
            if !compact.is_empty() {
                subs[NAME_PHONETIC].push(Item::Str(cologne_phonetic(&compact)));
                let (primary, _) = double_metaphone(&compact);
                if !primary.is_empty() {
                    subs[NAME_PHONETIC].push(Item::Str(format!("m:{primary}")));
                }
            }
            subs[NAME_WORDS].extend(n.canonical.into_iter().map(Item::Str));
        }
        FieldKind::Text => {
            let key = normalize_text(raw)?;
            // distinct words, interned: word-set agreement becomes integer comparisons
            let mut words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
            words.sort_unstable();
            words.dedup();
            subs[TEXT_TOKENS].extend(words.into_iter().map(|w| Item::Str(w.to_owned())));
            subs[0].push(Item::Str(key));
        }
        FieldKind::Exact => {
            let key = normalize(raw.trim());
            if key.is_empty() {
                return None;
            }
            subs[0].push(Item::Str(key));
        }
        FieldKind::Date => {
            let d = normalize_date(raw, options.date_order)?;
            subs[DATE_DIGITS].push(Item::Str(d.digits.clone()));
            if d.valid {
                subs[DATE_YMD].push(Item::Raw(
                    u32::from(d.year) * 10_000 + u32::from(d.month) * 100 + u32::from(d.day),
                ));
            }
        }
        FieldKind::Email => {
            for part in split_multi(raw) {
                if let Some(e) = normalize_email(part) {
                    subs[EMAIL_ADDRESS].push(Item::Str(e.address));
                    subs[EMAIL_LOCAL].push(Item::Str(e.local));
                }
            }
        }
        FieldKind::Phone => {
            for part in split_multi(raw) {
                if let Some(p) = normalize_phone(part, options.default_country.as_deref()) {
                    subs[0].push(Item::Str(p));
                }
            }
        }
        FieldKind::Postcode => subs[0].push(Item::Str(normalize_postcode(raw)?)),
        FieldKind::Handle => {
            let h = normalize_handle(raw)?;
            subs[HANDLE_HANDLE].push(Item::Str(h.handle));
            if !h.letters.is_empty() {
                subs[HANDLE_LETTERS].push(Item::Str(h.letters));
            }
        }
        FieldKind::Url => {
            let u = normalize_url(raw)?;
            subs[URL_HOSTPATH].push(Item::Str(format!("{}{}", u.host, u.path)));
            subs[URL_DOMAIN].push(Item::Str(u.domain));
        }
        FieldKind::Number => subs[0].push(Item::Str(normalize_number(raw)?)),
    }
    if subs[0].is_empty() {
        return None;
    }
    Some(subs)
}

/// Appends a row of prepared sub-values (one list of items per column) to a row-major
/// table, interning its strings.
pub(crate) fn push_prepared_row(table: &mut RowTable, row: SubValues, interner: &mut Interner) {
    let mut ids: Vec<u32> = Vec::new();
    let mut ends: Vec<usize> = Vec::with_capacity(row.len());
    for items in row {
        ids.extend(items.into_iter().map(|item| match item {
            Item::Str(s) => interner.intern(&s),
            Item::Raw(n) => n,
        }));
        ends.push(ids.len());
    }
    let mut start = 0;
    table.push_row(ends.into_iter().map(|end| {
        let column = ids[start..end].iter().copied();
        start = end;
        column
    }));
}

/// The level labels of a kind; index 0 is "missing" and the last is "different".
pub(crate) fn level_labels(kind: FieldKind) -> &'static [&'static str] {
    match kind {
        FieldKind::Name => &[
            "missing",
            "exact",
            "same after nicknames or word order",
            "jaro-winkler >= 0.94",
            "jaro-winkler >= 0.88",
            "same sound (phonetic code)",
            "initial agrees",
            "different",
        ],
        FieldKind::Text => &[
            "missing",
            "exact",
            "jaro-winkler >= 0.94 or same words",
            "jaro-winkler >= 0.85 or most words",
            "different",
        ],
        FieldKind::Exact => &["missing", "exact", "different"],
        FieldKind::Date => &[
            "missing",
            "exact",
            "day and month swapped",
            "one typo",
            "within a year",
            "different",
        ],
        FieldKind::Email => &["missing", "exact", "same local part", "different"],
        FieldKind::Phone => &[
            "missing",
            "exact",
            "one typo or same last 8 digits",
            "different",
        ],
        FieldKind::Postcode => &["missing", "exact", "one typo", "same area", "different"],
        FieldKind::Handle => &[
            "missing",
            "exact",
            "same letters",
            "jaro-winkler >= 0.9",
            "different",
        ],
        FieldKind::Url => &["missing", "same host and path", "same domain", "different"],
        FieldKind::Number => &["missing", "exact", "one typo", "different"],
    }
}

/// A read-only view of one prepared field of one record.
#[derive(Clone, Copy)]
pub(crate) struct FieldView<'a> {
    pub columns: &'a [Column],
    /// The first item of each of `columns` in this row ([`NONE`] for an empty one), a slice
    /// of the side's row-major table (see [`row_major_firsts`]). Most comparisons decide on
    /// these alone, and a pair then reads one or two cache lines per side instead of two
    /// scattered loads per sub-column: comparing candidate pairs is bound by memory latency.
    pub firsts: &'a [u32],
    pub row: u32,
}

impl<'a> FieldView<'a> {
    pub(crate) fn get(&self, sub: usize) -> &'a [u32] {
        self.columns[sub].get(self.row)
    }

    pub(crate) fn first(&self, sub: usize) -> u32 {
        self.firsts[sub]
    }

    pub(crate) fn is_missing(&self) -> bool {
        // column 0 holds interned ids (never NONE), so NONE means "no item"
        self.firsts[0] == NONE
    }
}

/// The first item of every column per row, row by row: `out[row * columns.len() + c]`, with
/// [`NONE`] for a row without items in column `c`.
pub(crate) fn row_major_firsts(columns: &[Column]) -> Vec<u32> {
    let rows = columns.first().map_or(0, Column::rows);
    let mut out = Vec::with_capacity(rows * columns.len());
    for row in 0..rows as u32 {
        out.extend(columns.iter().map(|c| c.first(row).unwrap_or(NONE)));
    }
    out
}

/// Compares two prepared values of `kind`: `(level, exact_value)` where `exact_value` is the
/// interned key both share when the level is "exact" (for term-frequency adjustment), else
/// [`NONE`].
pub(crate) fn compare(
    kind: FieldKind,
    a: FieldView<'_>,
    b: FieldView<'_>,
    strings: &Interner,
) -> (u8, u32) {
    if a.is_missing() || b.is_missing() {
        return (0, NONE);
    }
    let s = |id: u32| strings.resolve(id);
    match kind {
        FieldKind::Name => {
            let (fa, fb) = (a.first(NAME_FULL), b.first(NAME_FULL));
            if fa == fb {
                return (1, fa);
            }
            if a.first(NAME_CANONICAL) == b.first(NAME_CANONICAL)
                || same_word_set(a.get(NAME_WORDS), b.get(NAME_WORDS))
            {
                return (2, NONE);
            }
            if let Some(jw) = jaro_winkler_if_at_least(fa, fb, 0.88, strings) {
                return if jw >= 0.94 { (3, NONE) } else { (4, NONE) };
            }
            if intersects(a.get(NAME_PHONETIC), b.get(NAME_PHONETIC)) {
                return (5, NONE);
            }
            if initials_agree(
                s(a.first(NAME_INITIALS)),
                s(b.first(NAME_INITIALS)),
                a.get(NAME_WORDS).len(),
                b.get(NAME_WORDS).len(),
            ) {
                return (6, NONE);
            }
            (7, NONE)
        }
        FieldKind::Text => {
            let (ka, kb) = (a.first(0), b.first(0));
            if ka == kb {
                return (1, ka);
            }
            let jw = jaro_winkler_if_at_least(ka, kb, 0.85, strings).unwrap_or(0.0);
            let jaccard = id_set_jaccard(a.get(TEXT_TOKENS), b.get(TEXT_TOKENS));
            if jw >= 0.94 || jaccard >= 0.999 {
                (2, NONE)
            } else if jw >= 0.85 || jaccard >= 0.5 {
                (3, NONE)
            } else {
                (4, NONE)
            }
        }
        FieldKind::Exact => {
            let (ka, kb) = (a.first(0), b.first(0));
            if ka == kb { (1, ka) } else { (2, NONE) }
        }
        FieldKind::Date => {
            let (da, db) = (a.first(DATE_DIGITS), b.first(DATE_DIGITS));
            if da == db {
                return (1, da);
            }
            let (ya, yb) = (a.first(DATE_YMD), b.first(DATE_YMD));
            if ya != NONE && yb != NONE {
                let (y1, m1, d1) = (ya / 10_000, ya / 100 % 100, ya % 100);
                let (y2, m2, d2) = (yb / 10_000, yb / 100 % 100, yb % 100);
                if y1 == y2 && m1 == d2 && d1 == m2 {
                    return (2, NONE);
                }
            }
            if within_one_edit(s(da), s(db)) {
                return (3, NONE);
            }
            if ya != NONE && yb != NONE && days_apart(ya, yb) <= 365 {
                return (4, NONE);
            }
            (5, NONE)
        }
        FieldKind::Email => {
            if let Some(id) = common(a.get(EMAIL_ADDRESS), b.get(EMAIL_ADDRESS)) {
                return (1, id);
            }
            if common(a.get(EMAIL_LOCAL), b.get(EMAIL_LOCAL)).is_some() {
                return (2, NONE);
            }
            (3, NONE)
        }
        FieldKind::Phone => {
            if let Some(id) = common(a.get(0), b.get(0)) {
                return (1, id);
            }
            for &pa in a.get(0) {
                for &pb in b.get(0) {
                    let (x, y) = (s(pa), s(pb));
                    if within_one_edit(x, y)
                        || (x.len() >= 8 && y.len() >= 8 && x[x.len() - 8..] == y[y.len() - 8..])
                    {
                        return (2, NONE);
                    }
                }
            }
            (3, NONE)
        }
        FieldKind::Postcode => {
            let (ka, kb) = (a.first(0), b.first(0));
            if ka == kb {
                return (1, ka);
            }
            let (x, y) = (s(ka), s(kb));
            if within_one_edit(x, y) {
                return (2, NONE);
            }
            let prefix = 3.min(x.len()).min(y.len());
            if prefix >= 2 && x.as_bytes()[..prefix] == y.as_bytes()[..prefix] {
                return (3, NONE);
            }
            (4, NONE)
        }
        FieldKind::Handle => {
            let (ha, hb) = (a.first(HANDLE_HANDLE), b.first(HANDLE_HANDLE));
            if ha == hb {
                return (1, ha);
            }
            let (la, lb) = (a.first(HANDLE_LETTERS), b.first(HANDLE_LETTERS));
            if la != NONE && la == lb {
                return (2, NONE);
            }
            if jaro_winkler_if_at_least(ha, hb, 0.9, strings).is_some() {
                return (3, NONE);
            }
            (4, NONE)
        }
        FieldKind::Url => {
            let (ua, ub) = (a.first(URL_HOSTPATH), b.first(URL_HOSTPATH));
            if ua == ub {
                return (1, ua);
            }
            if a.first(URL_DOMAIN) == b.first(URL_DOMAIN) {
                return (2, NONE);
            }
            (3, NONE)
        }
        FieldKind::Number => {
            let (ka, kb) = (a.first(0), b.first(0));
            if ka == kb {
                return (1, ka);
            }
            if within_one_edit(s(ka), s(kb)) {
                (2, NONE)
            } else {
                (3, NONE)
            }
        }
    }
}

/// Whether two strings are at most one edit apart (one substitution, insertion, deletion or
/// adjacent transposition): the only question the digit-like kinds ask, answered in one
/// linear pass instead of a distance computation.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() {
        return osa_distance(
            std::str::from_utf8(a).unwrap_or(""),
            std::str::from_utf8(b).unwrap_or(""),
        ) <= 1;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if prefix == short.len() {
        return true; // equal, or one extra character at the end
    }
    if short.len() == long.len() {
        // one substitution, or a transposition of positions prefix and prefix + 1
        (short[prefix + 1..] == long[prefix + 1..])
            || (prefix + 1 < short.len()
                && short[prefix] == long[prefix + 1]
                && short[prefix + 1] == long[prefix]
                && short[prefix + 2..] == long[prefix + 2..])
    } else {
        // one character inserted into the shorter at `prefix`
        short[prefix..] == long[prefix + 1..]
    }
}

/// Jaccard similarity of two small sets of distinct ids (word ids of a text): quadratic, but
/// addresses and names have a handful of words, so this beats sorting or hashing.
fn id_set_jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.iter().filter(|x| b.contains(x)).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Jaro–Winkler of two interned strings if it can reach `threshold`, else `None` (then it
/// is certainly below): the letter-count bound rules out most clearly different pairs
/// without running the algorithm.
fn jaro_winkler_if_at_least(a: u32, b: u32, threshold: f64, strings: &Interner) -> Option<f64> {
    let signatures = (strings.signature(a), strings.signature(b));
    if let (Some(sa), Some(sb)) = signatures {
        // the bound for the longest prefix the Winkler boost counts needs no string loads
        if !sa.may_reach(sb, 4, threshold) {
            return None;
        }
    }
    let (x, y) = (strings.resolve(a), strings.resolve(b));
    if let (Some(sa), Some(sb)) = signatures {
        let prefix = x
            .chars()
            .zip(y.chars())
            .take(4)
            .take_while(|(p, q)| p == q)
            .count();
        if !sa.may_reach(sb, prefix, threshold) {
            return None;
        }
    }
    let jw = jaro_winkler(x, y);
    (jw >= threshold).then_some(jw)
}

/// The first id both sorted-or-not slices share.
fn common(a: &[u32], b: &[u32]) -> Option<u32> {
    a.iter().copied().find(|x| b.contains(x))
}

fn intersects(a: &[u32], b: &[u32]) -> bool {
    common(a, b).is_some()
}

/// Same words in any order ("de Vries Jan" vs "Jan de Vries").
fn same_word_set(a: &[u32], b: &[u32]) -> bool {
    a.len() == b.len()
        && a.len() > 1
        && a.iter().all(|x| b.contains(x))
        && b.iter().all(|x| a.contains(x))
}

/// An initial agrees with a name: "J" vs "Jan", or "JW" vs "Jan Willem". At least one side
/// must be only initials (one-letter words produce no `words`), otherwise two different
/// names that happen to share a first letter would count as agreement.
fn initials_agree(a: &str, b: &str, words_a: usize, words_b: usize) -> bool {
    if a.is_empty() || b.is_empty() || (words_a > 0 && words_b > 0) {
        return false;
    }
    a.starts_with(b) || b.starts_with(a)
}

/// Days between two `yyyymmdd` numbers (both valid dates).
fn days_apart(a: u32, b: u32) -> u64 {
    day_number(a).abs_diff(day_number(b))
}

/// Days since 0000-03-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm):
/// exact, branch-light, no calendar library needed for one subtraction.
fn day_number(ymd: u32) -> i64 {
    let (y, m, d) = (
        i64::from(ymd / 10_000),
        i64::from(ymd / 100 % 100),
        i64::from(ymd % 100),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends prepared sub-values (or a missing value) to the columns of one field.
    fn push_prepared(columns: &mut [Column], value: Option<SubValues>, interner: &mut Interner) {
        match value {
            None => columns.iter_mut().for_each(|c| c.push_row([])),
            Some(subs) => {
                for (c, items) in columns.iter_mut().zip(subs) {
                    c.push_row(items.into_iter().map(|item| match item {
                        Item::Str(s) => interner.intern(&s),
                        Item::Raw(n) => n,
                    }));
                }
            }
        }
    }

    fn view_of(kind: FieldKind, raws: &[&str], strings: &mut Interner) -> Vec<Vec<Column>> {
        raws.iter()
            .map(|raw| {
                let mut cols = vec![Column::default(); width(kind)];
                push_prepared(
                    &mut cols,
                    prepare(kind, raw, &PrepareOptions::default()),
                    strings,
                );
                cols
            })
            .collect()
    }

    fn level(kind: FieldKind, a: &str, b: &str) -> &'static str {
        let mut strings = Interner::default();
        let cols = view_of(kind, &[a, b], &mut strings);
        let (fa, fb) = (row_major_firsts(&cols[0]), row_major_firsts(&cols[1]));
        let (l, _) = compare(
            kind,
            FieldView {
                columns: &cols[0],
                firsts: &fa,
                row: 0,
            },
            FieldView {
                columns: &cols[1],
                firsts: &fb,
                row: 0,
            },
            &strings,
        );
        level_labels(kind)[l as usize]
    }

    #[test]
    fn name_levels() {
        assert_eq!(level(FieldKind::Name, "Müller", "MÜLLER"), "exact");
        assert_eq!(level(FieldKind::Name, "Müller", "Mueller"), "exact");
        assert_eq!(
            level(FieldKind::Name, "Jan de Vries", "Jan De Vries"),
            "exact"
        );
        assert_eq!(
            level(FieldKind::Name, "Jonathan", "Jonathon"),
            "jaro-winkler >= 0.94"
        );
        assert_eq!(level(FieldKind::Name, "", "Jan"), "missing");
        assert_eq!(level(FieldKind::Name, "J.", "Jan"), "initial agrees");
        assert_eq!(level(FieldKind::Name, "Schmidt", "Bakker"), "different");
    }

    #[test]
    fn date_levels() {
        assert_eq!(level(FieldKind::Date, "1982-03-14", "14.03.1982"), "exact");
        assert_eq!(
            level(FieldKind::Date, "1982-03-04", "1982-04-03"),
            "day and month swapped"
        );
        assert_eq!(level(FieldKind::Date, "19820314", "19820315"), "one typo");
        assert_eq!(
            level(FieldKind::Date, "1982-03-14", "1982-11-30"),
            "within a year"
        );
        assert_eq!(
            level(FieldKind::Date, "1982-03-14", "1990-07-01"),
            "different"
        );
    }

    #[test]
    fn other_levels() {
        assert_eq!(
            level(FieldKind::Email, "Jan+shop@Example.nl", "jan@example.nl"),
            "exact"
        );
        assert_eq!(
            level(FieldKind::Email, "jan@example.nl", "jan@other.de"),
            "same local part"
        );
        assert_eq!(level(FieldKind::Exact, "NSW", "nsw"), "exact");
        assert_eq!(level(FieldKind::Exact, "nsw", "vic"), "different");
        assert_eq!(level(FieldKind::Number, "4711", "4771"), "one typo");
        assert_eq!(level(FieldKind::Postcode, "1234 AB", "1234ab"), "exact");
        assert_eq!(
            level(
                FieldKind::Url,
                "https://www.example.de/team/",
                "example.de/jobs"
            ),
            "same domain"
        );
    }

    #[test]
    fn one_edit_agrees_with_osa() {
        let words = [
            "", "a", "ab", "ba", "abc", "acb", "abd", "abcd", "xbc", "19820314", "19820341",
            "1982031", "29820314",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    within_one_edit(a, b),
                    osa_distance(a, b) <= 1,
                    "{a:?} {b:?}"
                );
            }
        }
        assert!(within_one_edit("Müller", "Muller"));
    }

    #[test]
    fn days_between_dates() {
        assert_eq!(days_apart(20000228, 20000301), 2); // leap year
        assert_eq!(days_apart(19000228, 19000301), 1); // not a leap year
        assert_eq!(days_apart(19820314, 19830314), 365);
    }
}
