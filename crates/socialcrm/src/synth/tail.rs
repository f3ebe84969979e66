//! The long tail of surnames: thousands of plausible, rarer surnames per country, composed
//! from native name elements ("Eich" + "hoff", "van der " + "Broek" + "man", "Thorn" + "ley").
//!
//! Why: the hand-written lists in [`super::names`] hold the 150–200 most common surnames of
//! each country, but in real populations those cover only a fraction of people (the most
//! common German surname, Müller, is about 0.3 % of Germans; the 100 most common surnames in
//! Germany, the Netherlands, Britain or the USA cover roughly 10–20 % of people). A world
//! drawn only from the head lists gives a 1M-person CRM a few thousand full names with
//! hundreds of bearers each, which no real CRM has; matching quality and blocking cost
//! measured on it would say more about the generator than about the matcher. The tail keeps
//! namesakes (the head stays common) and gives most people the rarer names they really have.
//!
//! The elements are combined in every allowed way, names already in the head list are left
//! out, and the result is shuffled with a fixed seed so that frequency rank does not follow
//! the alphabet of the elements. The lists are a pure function of this file.

use std::collections::HashSet;

use super::Country;
use super::rng::SplitMix64;

const DE_ROOTS: &[&str] = &[
    "Hol", "Brand", "Eich", "Lind", "Rosen", "Stein", "Wald", "Berg", "Kirch", "Hag", "Mühl",
    "Lang", "Ober", "Alt", "Neu", "Groß", "Klein", "Hart", "Bach", "Feld", "Hell", "Schön", "Rot",
    "Weiß", "Schwarz", "Frank", "Kuhn", "Wend", "Diet", "Gers", "Hein", "Werl", "Arn", "Ehr",
    "Gott", "Lieb", "Rein", "Sieg", "Will", "Ul", "Bren", "Dorn", "Eck", "Fried", "Glas", "Ham",
    "Hirsch", "Horn", "Kalt", "Kessel", "Knapp", "Kol", "Kramm", "Kreuz", "Lau", "Lehm", "Loh",
    "Mar", "Moos", "Nuss", "Pfeif", "Rau", "Reh", "Ried", "Ross", "Sand", "Schell", "Scholl",
    "Schrö", "Span", "Stahl", "Sturm", "Tann", "Trapp", "Vogt", "Wäch", "Wies", "Wolf", "Zimm",
    "Brüg",
];

const DE_SUFFIXES: &[&str] = &[
    "mann", "er", "inger", "berg", "feld", "hoff", "stein", "bach", "meier", "huber", "brink",
    "kamp", "horst", "rath", "ke", "hardt", "wald", "hausen", "reiter", "mayr", "müller", "bauer",
    "schmid", "ler", "ner", "acher", "eder", "thaler", "hofer", "lechner", "gruber", "hammer",
    "baum", "dorf", "haus", "kötter", "wein", "ecker", "ling", "sberger", "mer", "rich", "bold",
    "born", "brock", "busch", "graf", "weg", "wirth",
];

/// Dutch surnames with a tussenvoegsel ("van der Broek") or a Frisian ending ("Hoekstra").
const NL_PARTICLES: &[&str] = &[
    "", "van ", "van de ", "van der ", "de ", "ter ", "van den ", "ten ", "van 't ",
];

const NL_ROOTS: &[&str] = &[
    "Berg", "Broek", "Hoven", "Dam", "Wijk", "Leeuw", "Veen", "Meer", "Heuvel", "Bosch", "Dijk",
    "Brink", "Velde", "Kamp", "Laar", "Akker", "Beek", "Bree", "Dool", "Gaal", "Geest", "Haar",
    "Hout", "Kooi", "Lint", "Mol", "Noord", "Oost", "Pol", "Ree", "Sluis", "Steeg", "Tol", "Vliet",
    "Wal", "Weide", "Zand", "Zwart", "Groen", "Hoog", "Kraan", "Linde", "Maas", "Ruys", "Schouw",
    "Spek", "Steen", "Terp", "Valk", "Wever", "Wouw", "Ark", "Bult", "Elst", "Horst", "Klomp",
    "Rijn", "Hoek", "Sikke", "Wiebe",
];

const NL_SUFFIXES: &[&str] = &[
    "", "en", "man", "ink", "er", "s", "huis", "kamp", "hof", "dijk", "veld", "wijk", "meijer",
    "hout", "mans", "ert",
];

/// Frisian endings take no particle: "Hoekstra", never "van Hoekstra".
const NL_FRISIAN: &[&str] = &["stra", "sma", "inga", "ema", "ing", "enga"];

const EN_ROOTS: &[&str] = &[
    "Ash", "Brad", "Carl", "Dun", "Fair", "Hal", "Kings", "Mar", "Nor", "Pem", "Rad", "Sher",
    "Thorn", "Wal", "Whit", "Wins", "Al", "Bar", "Black", "Brom", "Bur", "Cald", "Chat", "Cran",
    "Dal", "Ed", "El", "Farn", "Gold", "Good", "Hart", "Hay", "Hol", "Hunt", "Kel", "Lang", "Lock",
    "Mid", "Mill", "Mor", "New", "Oak", "Pen", "Pres", "Rams", "Red", "Ross", "Rush", "Sand",
    "Shel", "Stan", "Stock", "Sut", "Tam", "Ted", "Twy", "Up", "Wad", "Ware", "West", "Wick",
    "Wil", "Wood", "Wool", "Yar", "Brook", "Fen", "Long", "Wes", "Hamp",
];

const EN_SUFFIXES: &[&str] = &[
    "ley", "ton", "ford", "well", "wood", "worth", "by", "ham", "field", "shaw", "son", "ridge",
    "more", "wick", "brook", "croft", "dale", "hurst", "combe", "stead", "er", "man", "ing",
    "stone", "bury", "den", "land", "low", "mere", "ock", "ott", "lin", "sey", "thorpe", "win",
];

/// Fixed shuffle seeds, one per country, so the lists never depend on a world's seed.
const SHUFFLE_SEED: u64 = 0x7A11_5EED;

/// The composed tail for `country`, without any name of `head`, in a fixed shuffled order.
pub(super) fn tail_surnames(country: Country, head: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    match country {
        Country::De => {
            for root in DE_ROOTS {
                for suffix in DE_SUFFIXES {
                    names.push(join(root, suffix));
                }
            }
        }
        Country::Nl => {
            for root in NL_ROOTS {
                for suffix in NL_FRISIAN {
                    names.push(join(root, suffix));
                }
                for particle in NL_PARTICLES {
                    for suffix in NL_SUFFIXES {
                        names.push(format!("{particle}{}", join(root, suffix)));
                    }
                }
            }
        }
        Country::Gb | Country::Us => {
            for root in EN_ROOTS {
                for suffix in EN_SUFFIXES {
                    names.push(join(root, suffix));
                }
            }
        }
    }
    let head: HashSet<&str> = head.iter().copied().collect();
    let mut seen = HashSet::new();
    names.retain(|n| !head.contains(n.as_str()) && seen.insert(n.clone()));
    // Fisher–Yates with a per-country stream
    let mut rng = SplitMix64::keyed(SHUFFLE_SEED, country.index() as u64, 0, 0);
    for i in (1..names.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        names.swap(i, j);
    }
    names
}

/// Joins a root and an ending without tripling a letter ("Hol" + "ley" stays "Holley",
/// "Schell" + "ler" becomes "Scheller") or doubling a one-letter ending ("Ruys" + "s").
fn join(root: &str, suffix: &str) -> String {
    let mut out = String::with_capacity(root.len() + suffix.len());
    out.push_str(root);
    let mut chars = root.chars().rev();
    let (last, before) = (chars.next(), chars.next());
    let mut rest = suffix;
    if let Some(first) = suffix.chars().next() {
        // "Ruys" + "s" is "Ruys"; "Schell" + "ler" is "Scheller"
        let alone = suffix.len() == first.len_utf8();
        if last == Some(first) && (alone || before == Some(first)) {
            rest = &suffix[first.len_utf8()..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_are_large_unique_and_disjoint_from_the_head() {
        for c in Country::ALL {
            let head = super::super::person::head_surnames(c);
            let tail = tail_surnames(c, head);
            assert!(tail.len() >= 2_000, "{c:?}: {}", tail.len());
            let unique: HashSet<&str> = tail.iter().map(String::as_str).collect();
            assert_eq!(unique.len(), tail.len());
            assert!(tail.iter().all(|t| !head.contains(&t.as_str())));
            // the shuffle is fixed: the same list every time
            assert_eq!(tail, tail_surnames(c, head));
        }
    }

    #[test]
    fn joining_never_triples_a_letter() {
        assert_eq!(join("Schell", "ler"), "Scheller");
        assert_eq!(join("Hol", "ley"), "Holley");
        assert_eq!(join("Ruys", "s"), "Ruys");
        assert_eq!(join("Wes", "ton"), "Weston");
    }
}
