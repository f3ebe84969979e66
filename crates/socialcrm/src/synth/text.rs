//! String habits: ASCII folding for handles and e-mail addresses, transliteration,
//! typos, particles.

use super::rng::SplitMix64;

/// Concatenates string parts: `format!` without the formatting machinery. A record is made
/// of dozens of short strings, and `core::fmt` was a fifth of the generator's time.
pub(crate) fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        s.push_str(part);
    }
    s
}

/// Appends `n` in decimal, zero-padded to at least `width` digits.
pub(crate) fn push_num(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    i = i.min(buf.len().saturating_sub(width));
    out.extend(buf[i..].iter().map(|&b| char::from(b)));
}

/// `n` in decimal, zero-padded to at least `width` digits.
pub(crate) fn num(n: u64, width: usize) -> String {
    let mut s = String::with_capacity(width.max(20));
    push_num(&mut s, n, width);
    s
}

/// How umlauts become ASCII. German convention is "ü" → "ue"; many people (and many
/// systems) just drop the dots ("muller"), which a matcher must also survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Umlaut {
    /// "ü" → "ue", "ß" → "ss".
    Expand,
    /// "ü" → "u", "ß" → "ss".
    Strip,
}

fn ascii_of(c: char, umlaut: Umlaut) -> Option<&'static str> {
    let expand = umlaut == Umlaut::Expand;
    Some(match c {
        'ä' | 'Ä' => {
            if expand {
                "ae"
            } else {
                "a"
            }
        }
        'ö' | 'Ö' => {
            if expand {
                "oe"
            } else {
                "o"
            }
        }
        'ü' | 'Ü' => {
            if expand {
                "ue"
            } else {
                "u"
            }
        }
        'ß' => "ss",
        'é' | 'è' | 'ê' | 'ë' | 'É' => "e",
        'á' | 'à' | 'â' | 'å' => "a",
        'í' | 'ì' | 'î' | 'ï' | 'ı' | 'İ' => "i",
        'ó' | 'ò' | 'ô' | 'ø' => "o",
        'ú' | 'ù' | 'û' => "u",
        'ç' | 'Ç' => "c",
        'ş' | 'Ş' => "s",
        'ğ' => "g",
        'ñ' => "n",
        _ => return None,
    })
}

/// Appends `s` lower-cased and folded to ASCII letters and digits; everything else (spaces,
/// hyphens, apostrophes, dots) is dropped. "de Vries" → "devries", "Müller" → "mueller".
pub(crate) fn fold_into(out: &mut String, s: &str, umlaut: Umlaut) {
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(a) = ascii_of(c, umlaut) {
            out.push_str(a);
        }
    }
}

/// [`fold_into`] into a new string.
pub(crate) fn fold(s: &str, umlaut: Umlaut) -> String {
    // Folding can grow a string ("ü" is 2 bytes, "ue" too, but "ß" → "ss" after "Ä" → "ae").
    let mut out = String::with_capacity(s.len() + 4);
    fold_into(&mut out, s, umlaut);
    out
}

/// Keeps case and spacing but replaces non-ASCII letters: "Müller" → "Mueller",
/// "Weiß" → "Weiss", "Şahin" → "Sahin" (what old CRM imports and some users do).
pub(crate) fn transliterate(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match ascii_of(c, Umlaut::Expand) {
            Some(a) if c.is_uppercase() => {
                let mut chars = a.chars();
                if let Some(first) = chars.next() {
                    out.push(first.to_ascii_uppercase());
                    out.push_str(chars.as_str());
                }
            }
            Some(a) => out.push_str(a),
            None => out.push(c),
        }
    }
    out
}

/// Whether the string has letters that [`transliterate`] would change.
pub(crate) fn has_non_ascii(s: &str) -> bool {
    !s.is_ascii()
}

/// Surname particles: Dutch tussenvoegsels and German nobiliary particles. They are
/// lower-case after a given name ("Jan van der Berg") and capitalised when the surname
/// stands alone ("Van der Berg"), and many people get that wrong in both directions.
const PARTICLES: &[&str] = &[
    "de", "van", "der", "den", "het", "'t", "ter", "ten", "te", "in", "von", "zu", "vom", "el",
];

/// Splits "van der Berg" into ("van der", "Berg"); ("", "Müller") without particles.
pub(crate) fn split_particles(surname: &str) -> (&str, &str) {
    if !surname.contains(' ') {
        return ("", surname); // most surnames: no particle, no work
    }
    let mut end = 0;
    for word in surname.split(' ') {
        if PARTICLES.iter().any(|p| p.eq_ignore_ascii_case(word)) {
            end += word.len() + 1;
        } else {
            break;
        }
    }
    if end == 0 || end >= surname.len() {
        ("", surname)
    } else {
        (&surname[..end - 1], &surname[end..])
    }
}

/// Upper-cases the first character: "van der Berg" → "Van der Berg".
pub(crate) fn capitalize_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const QWERTZ: [&str; 3] = ["qwertzuiopü", "asdfghjklöä", "yxcvbnm"];
const QWERTY: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

fn neighbour(c: char, german_keyboard: bool, rng: &mut SplitMix64) -> Option<char> {
    let rows = if german_keyboard { QWERTZ } else { QWERTY };
    let lower = c.to_lowercase().next()?;
    for row in rows {
        let keys: Vec<char> = row.chars().collect();
        if let Some(i) = keys.iter().position(|&k| k == lower) {
            let j = if i == 0 {
                1
            } else if i + 1 == keys.len() || rng.chance(0.5) {
                i - 1
            } else {
                i + 1
            };
            let n = keys[j];
            return Some(if c.is_uppercase() {
                n.to_uppercase().next().unwrap_or(n)
            } else {
                n
            });
        }
    }
    None
}

/// One typing error of the kinds that dominate real data entry: two adjacent letters
/// swapped, a letter dropped, a letter doubled, or a neighbouring key hit (QWERTZ for German
/// records, QWERTY otherwise). The first letter is hit rarely (one time in ten), as in real
/// typo statistics; strings of fewer than three letters are left alone.
pub(crate) fn typo(s: &str, german_keyboard: bool, rng: &mut SplitMix64) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n < 3 {
        return s.to_owned();
    }
    // Typos hit letters; a few tries find one (names are mostly letters).
    let mut pos = 0;
    for _ in 0..4 {
        pos = if rng.chance(0.1) {
            0
        } else {
            1 + rng.below(n as u64 - 1) as usize
        };
        if chars[pos].is_alphabetic() {
            break;
        }
    }
    match rng.below(4) {
        0 if pos + 1 < n && chars[pos] != chars[pos + 1] && chars[pos + 1].is_alphabetic() => {
            chars.swap(pos, pos + 1)
        }
        0 | 1 => {
            chars.remove(pos);
        }
        2 => chars.insert(pos, chars[pos]),
        _ => match neighbour(chars[pos], german_keyboard, rng) {
            Some(c) => chars[pos] = c,
            None => {
                chars.remove(pos);
            }
        },
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_concatenation() {
        assert_eq!(num(0, 0), "0");
        assert_eq!(num(7, 2), "07");
        assert_eq!(num(1067, 5), "01067");
        assert_eq!(num(123_456, 2), "123456");
        assert_eq!(num(u64::MAX, 0), u64::MAX.to_string());
        assert_eq!(cat(&["a", "", "bc"]), "abc");
    }

    #[test]
    fn folding() {
        assert_eq!(fold("de Vries", Umlaut::Expand), "devries");
        assert_eq!(fold("Müller", Umlaut::Expand), "mueller");
        assert_eq!(fold("Müller", Umlaut::Strip), "muller");
        assert_eq!(fold("Weiß", Umlaut::Strip), "weiss");
        assert_eq!(fold("van 't Hof", Umlaut::Expand), "vanthof");
        assert_eq!(fold("O'Brien", Umlaut::Expand), "obrien");
        assert_eq!(fold("Yılmaz", Umlaut::Expand), "yilmaz");
    }

    #[test]
    fn transliteration_keeps_case() {
        assert_eq!(transliterate("Müller"), "Mueller");
        assert_eq!(transliterate("Özdemir"), "Oezdemir");
        assert_eq!(transliterate("Strauß"), "Strauss");
        assert_eq!(transliterate("Şahin"), "Sahin");
        assert_eq!(transliterate("de Vries"), "de Vries");
    }

    #[test]
    fn particles() {
        assert_eq!(split_particles("van der Berg"), ("van der", "Berg"));
        assert_eq!(split_particles("van 't Hof"), ("van 't", "Hof"));
        assert_eq!(split_particles("Müller"), ("", "Müller"));
        assert_eq!(split_particles("von der Heyde"), ("von der", "Heyde"));
        assert_eq!(split_particles("Van Dijk"), ("Van", "Dijk"));
        assert_eq!(capitalize_first("van der Berg"), "Van der Berg");
    }

    #[test]
    fn typos_change_a_little() {
        let mut rng = SplitMix64::new(5);
        let mut changed = 0;
        for _ in 0..500 {
            let t = typo("Schneider", true, &mut rng);
            let len = t.chars().count() as i64;
            assert!((8..=10).contains(&len), "{t}");
            if t != "Schneider" {
                changed += 1;
            }
        }
        assert!(changed > 400, "{changed}");
        assert_eq!(typo("Li", false, &mut rng), "Li");
    }
}
