//! Unicode normalisation: compatibility composition (NFKC), case folding and accent folding.
//!
//! Social text arrives in every Unicode spelling of the same word: full-width letters,
//! ligatures, decomposed umlauts, mathematical bold letters used as "fonts". NFKC maps all of
//! them to one form; case folding (not mere lower-casing: `ß` folds to `ss`, final sigma to
//! sigma) makes comparisons case-insensitive. Accent folding is optional because it loses
//! information: it is right for matching keys ("Müller" = "Mueller"), wrong for display.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// What to do with accents and other diacritics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AccentFolding {
    /// Keep them: `"Müller"` stays `"müller"` (after case folding).
    #[default]
    Keep,
    /// Remove diacritics and spell out letters without a decomposition:
    /// `"Müller"` → `"muller"`, `"Ørsted"` → `"orsted"`, `"Straße"` → `"strasse"`.
    Strip,
    /// German transliteration first (`ä`→`ae`, `ö`→`oe`, `ü`→`ue`, `ß`→`ss`), then
    /// [`AccentFolding::Strip`] for everything else: `"Müller"` → `"mueller"`,
    /// `"Gödel"` → `"goedel"`, `"Réne"` → `"rene"`. The usual choice for matching keys of
    /// German names, where "Mueller" is the spelling of "Müller" on an ASCII keyboard.
    Transliterate,
}

impl AccentFolding {
    /// Every option, in the order of their numeric codes in C.
    pub const ALL: [AccentFolding; 3] = [
        AccentFolding::Keep,
        AccentFolding::Strip,
        AccentFolding::Transliterate,
    ];

    /// The lower-case name used in C, Python and configurations: `keep`, `strip`,
    /// `transliterate`.
    pub const fn name(self) -> &'static str {
        match self {
            AccentFolding::Keep => "keep",
            AccentFolding::Strip => "strip",
            AccentFolding::Transliterate => "transliterate",
        }
    }

    /// Looks an option up by [name](AccentFolding::name).
    ///
    /// ```
    /// use socialcrm::text::AccentFolding;
    /// assert_eq!(AccentFolding::from_name("strip").unwrap(), AccentFolding::Strip);
    /// assert!(AccentFolding::from_name("remove").is_err());
    /// ```
    pub fn from_name(name: &str) -> crate::Result<AccentFolding> {
        AccentFolding::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                crate::Error::InvalidArgument(format!(
                    "unknown accent folding {name:?}; expected one of: keep, strip, transliterate"
                ))
            })
    }
}

/// A configurable normaliser. [`Normalizer::default()`] is NFKC plus case folding, accents
/// kept; [`Normalizer::MATCHING_KEY`] also transliterates accents.
///
/// Every configuration is idempotent: normalising normalised text changes nothing.
///
/// ```
/// use socialcrm::text::{AccentFolding, Normalizer};
/// let n = Normalizer::default();
/// assert_eq!(n.apply("ＳＴＲＡẞＥ"), "strasse");
/// let key = Normalizer { case_fold: true, accents: AccentFolding::Transliterate };
/// assert_eq!(key.apply("Jürgen Müller-Lüdenscheidt"), "juergen mueller-luedenscheidt");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Normalizer {
    /// Apply Unicode default case folding.
    pub case_fold: bool,
    /// What to do with diacritics.
    pub accents: AccentFolding,
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer {
            case_fold: true,
            accents: AccentFolding::Keep,
        }
    }
}

impl Normalizer {
    /// Case folding plus German transliteration: the key under which names are compared.
    pub const MATCHING_KEY: Normalizer = Normalizer {
        case_fold: true,
        accents: AccentFolding::Transliterate,
    };

    /// Returns the normalised form of `text`.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.apply_into(text, &mut out);
        out
    }

    /// Appends the normalised form of `text` to `out`; reusing `out` avoids an allocation per
    /// call in loops.
    pub fn apply_into(&self, text: &str, out: &mut String) {
        // ASCII is already NFKC and has no diacritics: only case folding can change it. Most
        // social text is mostly ASCII, so this path carries the bulk of the work.
        if text.is_ascii() {
            if self.case_fold {
                out.extend(text.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                out.push_str(text);
            }
            return;
        }
        let mut current: String = text.nfkc().collect();
        // Case folding and NFKC do not commute for a handful of characters (e.g. U+0345,
        // U+1E9E), so the pair is applied until nothing changes; two rounds always suffice in
        // Unicode 15 and the loop is bounded anyway.
        for _ in 0..4 {
            let mut next = current.clone();
            if self.case_fold {
                next = next.chars().default_case_fold().nfkc().collect();
            }
            next = match self.accents {
                AccentFolding::Keep => next,
                AccentFolding::Strip => strip_accents(&next, false),
                AccentFolding::Transliterate => strip_accents(&next, true),
            };
            if next == current {
                break;
            }
            current = next;
        }
        out.push_str(&current);
    }
}

/// NFKC plus case folding, accents kept: the form in which words are compared and stemmed.
///
/// ```
/// assert_eq!(socialcrm::text::normalize("Ｓｃｈöｎ"), "schön");
/// ```
pub fn normalize(text: &str) -> String {
    Normalizer::default().apply(text)
}

/// Removes diacritics (and, with `german`, transliterates umlauts and ß first). Output is NFKC.
fn strip_accents(text: &str, german: bool) -> String {
    let mut spelled = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if german {
            if let Some(s) = german_transliteration(c) {
                spelled.push_str(s);
                continue;
            }
        }
        match special_letter(c) {
            Some(s) => spelled.push_str(s),
            None => spelled.push(c),
        }
    }
    spelled
        .nfkd()
        .filter(|&c| !is_combining_mark(c))
        .nfkc()
        .collect()
}

/// German transliteration of umlauts and sharp s, in both cases. Combining-diaeresis forms
/// never reach here because the text is NFKC (composed) already.
fn german_transliteration(c: char) -> Option<&'static str> {
    Some(match c {
        'ä' => "ae",
        'ö' => "oe",
        'ü' => "ue",
        'Ä' => "Ae",
        'Ö' => "Oe",
        'Ü' => "Ue",
        'ß' => "ss",
        'ẞ' => "SS",
        _ => return None,
    })
}

/// Latin letters that carry a "diacritic" which Unicode does not decompose, so removing
/// combining marks alone would keep them.
fn special_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'ẞ' => "SS",
        'ø' => "o",
        'Ø' => "O",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ł' => "l",
        'Ł' => "L",
        'đ' => "d",
        'Đ' => "D",
        'ð' => "d",
        'Ð' => "D",
        'þ' => "th",
        'Þ' => "TH",
        'ı' => "i",
        'ħ' => "h",
        'Ħ' => "H",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ALL: [Normalizer; 6] = [
        Normalizer {
            case_fold: true,
            accents: AccentFolding::Keep,
        },
        Normalizer {
            case_fold: true,
            accents: AccentFolding::Strip,
        },
        Normalizer {
            case_fold: true,
            accents: AccentFolding::Transliterate,
        },
        Normalizer {
            case_fold: false,
            accents: AccentFolding::Keep,
        },
        Normalizer {
            case_fold: false,
            accents: AccentFolding::Strip,
        },
        Normalizer {
            case_fold: false,
            accents: AccentFolding::Transliterate,
        },
    ];

    #[test]
    fn nfkc_and_case_folding() {
        assert_eq!(normalize("ﬁne"), "fine"); // ligature
        assert_eq!(normalize("Ｈｅｌｌｏ"), "hello"); // full width
        assert_eq!(normalize("𝐁𝐨𝐥𝐝"), "bold"); // mathematical bold "font"
        assert_eq!(normalize("STRASSE"), normalize("Straße"));
        assert_eq!(normalize("ὈΔΥΣΣΕΎΣ"), "ὀδυσσεύσ"); // final sigma folds to sigma
        // a decomposed umlaut composes
        assert_eq!(normalize("Mu\u{308}ller"), "müller");
    }

    #[test]
    fn accent_folding_variants() {
        let strip = Normalizer {
            case_fold: true,
            accents: AccentFolding::Strip,
        };
        let translit = Normalizer::MATCHING_KEY;
        assert_eq!(strip.apply("Müller"), "muller");
        assert_eq!(translit.apply("Müller"), "mueller");
        assert_eq!(translit.apply("Mu\u{308}ller"), "mueller");
        assert_eq!(strip.apply("Ørsted Æbelø"), "orsted aebelo");
        assert_eq!(translit.apply("Françoise Ruïne"), "francoise ruine");
        assert_eq!(translit.apply("Łódź"), "lodz");
        // without case folding, capitals stay capitals
        let keep_case = Normalizer {
            case_fold: false,
            accents: AccentFolding::Transliterate,
        };
        assert_eq!(keep_case.apply("Ärger"), "Aerger");
    }

    #[test]
    fn apply_into_appends() {
        let mut buf = String::from("x:");
        Normalizer::default().apply_into("ÄB", &mut buf);
        assert_eq!(buf, "x:äb");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn every_configuration_is_idempotent(s in "\\PC{0,40}") {
            for n in ALL {
                let once = n.apply(&s);
                let twice = n.apply(&once);
                prop_assert_eq!(&once, &twice, "{:?}", n);
            }
        }

        #[test]
        fn idempotent_on_tricky_characters(
            s in proptest::collection::vec(
                proptest::sample::select(vec![
                    'ß', 'ẞ', 'ͅ', 'ΐ', 'ǰ', 'İ', 'ı', 'ﬀ', 'ﬅ', 'Å', 'K', 'Ω', '\u{308}', '\u{301}',
                    'ϐ', 'ς', 'Σ', 'ᾈ', 'ǅ', 'ŉ', '½', '㎏', 'Ⅻ', 'a', 'A', 'u', 'ü', 'Ü', 'ø', ' ',
                ]),
                0..16,
            )
        ) {
            let s: String = s.into_iter().collect();
            for n in ALL {
                let once = n.apply(&s);
                prop_assert_eq!(&once, &n.apply(&once), "{:?} on {:?}", n, s);
            }
        }

        #[test]
        fn folded_output_has_no_marks(s in "\\PC{0,40}") {
            let out = Normalizer { case_fold: true, accents: AccentFolding::Strip }.apply(&s);
            prop_assert!(!out.chars().any(|c| matches!(c, 'ä' | 'ö' | 'ü' | 'é' | 'ß')));
        }
    }
}
