//! Linking CRM contacts to social profiles: cross-schema evidence, consent, and one link per
//! profile and per contact and platform.
//!
//! A contact has a first and last name, e-mail addresses, a city, a company and a birth date;
//! a profile has a handle, a display name, a bio, a location, a website and sometimes an
//! e-mail address. No field is shared, so the comparisons are cross-schema: the handle
//! against the name ("jdevries82" ~ Jan de Vries), the display name against the name (emoji,
//! titles and nicknames removed), the e-mail local part against the handle, the website
//! domain against the e-mail domain or company, the bio against company and city, the
//! location against the city, the handle's digits against the birth year.
//!
//! **Consent.** A contact whose consent to social linking is not
//! [`Granted`](crate::ConsentStatus::Granted) is dropped before anything else happens: it is
//! not prepared, not blocked, not fitted on, cannot be asserted into a link and cannot be
//! explained. No API of this module can link it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::assign::{Scored, contest, one_to_one, one_to_one_prior};
use super::block::{
    BlockingStats, KeySource, candidate_pairs, candidates_by_rule, estimate_recall, key_hash,
    rule_covers, unpack,
};
use super::compare::jaro_winkler;
use super::engine::{
    Candidates, FitSettings, PairSpace, Scorer, Session, count_sorted, fit_model_in_sessions,
    pattern_counts, score_each, score_pairs,
};
use super::fields::{Item, push_prepared_row};
use super::matcher::{Assertions, Explanation, FieldEvidence, LevelEvidence, Link, fingerprint128};
use super::model::{
    FsModel, MAX_COMPARISONS, Pattern, pattern_level, probability_from_weight, read_model_file,
    read_versioned, with_level, write_model_file,
};
use super::normalize::{
    DateOrder, NormalizedName, canonical_given_name, display_name_words, is_hyphen, normalize_city,
    normalize_company, normalize_date, normalize_email, normalize_handle, normalize_name,
    normalize_text, normalize_url, truncate, within_limit,
};
use super::table::{Interner, NONE, RowTable};
use crate::error::{Error, Result};
use crate::records::{Contact, SocialProfile};

/// The comparisons of the social linker, with their level labels (index 0 = missing).
const COMPARISONS: [(&str, &[&str]); 7] = [
    (
        // the display name and the handle are two views of one fact, the person's name:
        // scored as two comparisons they would count the same evidence twice, so they are
        // one comparison whose level is the strongest name evidence either gives
        "name",
        &[
            "missing",
            "full name in display name and handle",
            "full name",
            "surname and first initial",
            "first name and surname initial",
            "surname only",
            "similar name",
            "first name only",
            "different",
        ],
    ),
    (
        "email",
        &["missing", "exact", "same local part", "different"],
    ),
    (
        // only handles that are not made of the person's name: a handle "lisa.jansen" and an
        // address "lisa.jansen@..." both just repeat the name, which `name` already counts
        "email_vs_handle",
        &[
            "missing",
            "same letters",
            "one contains the other",
            "different",
        ],
    ),
    (
        "website",
        &[
            "missing",
            "domain of the contact's e-mail",
            "domain names the company",
            "different",
        ],
    ),
    (
        "bio",
        &[
            "missing",
            "mentions company and city",
            "mentions company",
            "mentions city",
            "mentions neither",
        ],
    ),
    (
        "location",
        &["missing", "same city", "similar city", "different"],
    ),
    (
        "handle_digits_vs_birth_year",
        &["missing", "birth year", "different"],
    ),
];

// contact sub-columns
const C_FULL: usize = 0; // "jan de vries"
const C_CANON: usize = 1; // canonical words joined, sorted: "johannes vries"
const C_FIRST: usize = 2; // multi: canonical first-name words
const C_INITIAL: usize = 3; // raw: first letter of the first name, as a char code
const C_SURNAME: usize = 4; // multi: surname keys ("devries", "vries")
const C_LAST_INITIAL: usize = 5; // raw char code
const C_EMAIL: usize = 6; // multi: addresses
const C_EMAIL_LOCAL: usize = 7; // multi: local parts
const C_EMAIL_LETTERS: usize = 8; // multi: local parts, letters only
const C_BIZ_DOMAIN: usize = 9; // multi: non-free-mail domains
const C_CITY: usize = 10;
const C_COMPANY: usize = 11; // company key, letters and spaces
const C_BIRTH_YEAR: usize = 12; // raw year
const C_EMAIL_ALNUM: usize = 13; // multi: local parts, letters and digits only
const C_WIDTH: usize = 14;

// profile sub-columns
const P_HANDLE_LETTERS: usize = 0;
const P_HANDLE_DIGITS: usize = 1;
const P_HANDLE_PARTS: usize = 2; // multi
const P_FULL: usize = 3;
const P_CANON: usize = 4;
const P_WORDS: usize = 5; // multi: canonical words (initials excluded)
const P_INITIALS: usize = 6; // string of initials in order
const P_SURNAME: usize = 7; // surname key of the display name
const P_BIO: usize = 8;
const P_LOCATION: usize = 9;
const P_WEBSITE: usize = 10; // registrable domain
const P_EMAIL: usize = 11;
const P_EMAIL_LOCAL: usize = 12;
const P_PLATFORM: usize = 13;
const P_HANDLE_ALNUM: usize = 14; // letters and digits only
const P_WIDTH: usize = 15;

/// The comparisons each blocking rule conditions on: within its blocks they agree by
/// construction, so a training session on that rule cannot learn their m-probabilities.
const RULE_CONDITIONS: [&[usize]; 5] = [&[0], &[0], &[0], &[1, 2], &[2]];

const RULES: [&str; 5] = [
    "surname+first_name",
    "surname+initial",
    "first_name+surname_initial",
    "email",
    "email_local_part=handle",
];

/// Settings of a [`SocialLinker`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SocialLinkerConfig {
    /// λ, the probability that a random contact–profile pair (of all possible pairs, not
    /// of the candidates) is a match; `None` lets EM estimate it.
    pub prior: Option<f64>,
    /// Blocks with more pairs than this are skipped and reported.
    pub max_block_pairs: u64,
    /// Random pairs sampled to initialise u-probabilities.
    pub u_sample_pairs: usize,
    /// EM iteration limit.
    pub max_em_iterations: usize,
    /// EM convergence tolerance.
    pub em_tolerance: f64,
    /// Seed of the random pair sample.
    pub seed: u64,
    /// Read "03/04/1982" as 3 April (month first) instead of 4 March.
    pub month_first_dates: bool,
}

impl Default for SocialLinkerConfig {
    fn default() -> Self {
        SocialLinkerConfig {
            prior: None,
            max_block_pairs: 200_000,
            u_sample_pairs: 200_000,
            max_em_iterations: 200,
            em_tolerance: 1e-6,
            seed: 42,
            month_first_dates: false,
        }
    }
}

/// Links found by a [`SocialLinker`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SocialLinkResult {
    /// Contact ↔ profile links (`left_id` = contact, `right_id` = profile), ordered by
    /// contact, then profile.
    pub links: Vec<Link>,
    /// What blocking produced.
    pub stats: BlockingStats,
    /// Contacts left out because they have not granted consent to social linking.
    pub contacts_without_consent: usize,
}

/// Links CRM contacts to social profiles.
///
/// A contact has a first and last name, e-mail addresses, a city, a company and a birth date;
/// a profile has a handle, a display name, a bio, a location, a website and sometimes an
/// e-mail address. The comparisons are therefore cross-schema: the name against the display
/// name and the handle ("jdevries82" ~ Jan de Vries), the e-mail local part against the
/// handle, the website against the e-mail domain or company, the bio against company and city,
/// the location against the city, the handle's digits against the birth year. A profile links
/// to at most one contact, a contact to at most one profile per platform. Profiles with one
/// handle on several platforms lend each other what they say (see [`SocialLinker::link`]).
///
/// **Consent.** A contact whose consent to social linking is not
/// [`Granted`](crate::ConsentStatus::Granted) is dropped before anything else happens: it is
/// not prepared, blocked, fitted on, asserted into a link or explained
/// ([`Error::ConsentRequired`]).
///
/// ```
/// use socialcrm::{Consent, ConsentStatus, Contact, SocialProfile};
/// use socialcrm::identity::link_social;
///
/// let granted = Consent { social_linking: ConsentStatus::Granted };
/// let contacts = vec![
///     Contact { id: "c1".into(), first_name: Some("Jan".into()), last_name: Some("de Vries".into()),
///               city: Some("Utrecht".into()), consent: granted, ..Contact::default() },
///     Contact { id: "c2".into(), first_name: Some("Petra".into()), last_name: Some("Müller".into()),
///               consent: Consent::default(), ..Contact::default() }, // no consent
/// ];
/// let profiles = vec![
///     SocialProfile { id: "p1".into(), platform: "twitter".into(), handle: Some("jdevries82".into()),
///                     display_name: Some("Jan de Vries 🚲".into()), location: Some("Utrecht, NL".into()),
///                     ..SocialProfile::default() },
///     SocialProfile { id: "p2".into(), platform: "twitter".into(), handle: Some("petra.mueller".into()),
///                     display_name: Some("Petra Müller".into()), ..SocialProfile::default() },
/// ];
/// let result = link_social(&contacts, &profiles)?;
/// assert!(result.links.iter().all(|l| l.left_id != "c2")); // never without consent
/// assert_eq!(result.contacts_without_consent, 1);
/// # Ok::<(), socialcrm::Error>(())
/// ```
#[derive(Debug)]
pub struct SocialLinker {
    config: SocialLinkerConfig,
    model: Option<FsModel>,
    name_frequencies: Option<NameFrequencies>,
    assertions: Assertions,
    /// The prepared records, candidate pairs and their comparison results from the last
    /// `fit`, reused by `link` on the same records (the usual fit-then-link), so that a
    /// million contacts are prepared and compared once, not twice. It holds prepared
    /// personal data, so it is dropped by every `forget_*`, by [`SocialLinker::clear_cache`],
    /// by the next `fit` and by a `link` on other records (a contact who withdrew consent
    /// since the fit leaves no copy behind), and a clone does not share it. A `Mutex` so
    /// that `link(&self)` can drop it.
    cache: Mutex<Option<Arc<SocialFitCache>>>,
}

impl Clone for SocialLinker {
    /// A copy of the settings, model, frequencies and assertions; not of the fit's cached
    /// records, so that erasing a person from one copy cannot leave them in another.
    fn clone(&self) -> SocialLinker {
        SocialLinker {
            config: self.config.clone(),
            model: self.model.clone(),
            name_frequencies: self.name_frequencies.clone(),
            assertions: self.assertions.clone(),
            cache: Mutex::new(None),
        }
    }
}

/// Fits a [`SocialLinker`] with default settings and links at probability 0.5, one link per
/// profile and per contact and platform.
pub fn link_social(contacts: &[Contact], profiles: &[SocialProfile]) -> Result<SocialLinkResult> {
    let mut linker = SocialLinker::new(SocialLinkerConfig::default())?;
    linker.fit(contacts, profiles)?;
    linker.link(contacts, profiles, 0.5)
}

/// Prepared contacts and profiles with one interner.
struct SocialSpace {
    strings: Interner,
    contact_ids: Vec<String>,
    profile_ids: Vec<String>,
    /// Row by row (see [`RowTable`]): a pair's comparisons read a dozen columns of a
    /// profile row that the sorted candidates visit at random.
    contacts: RowTable,
    profiles: RowTable,
    /// Interned surname keys and canonical first names of the contacts, to find them inside
    /// handles.
    surnames: FxHashSet<u32>,
    first_names: FxHashSet<u32>,
    /// Per profile, the contact names found inside its handle.
    handle_names: Vec<HandleNames>,
    /// Raw summaries for explanations: (contact values, profile values) per comparison.
    keep_raw: bool,
    raw_contacts: Vec<Contact>,
    raw_profiles: Vec<SocialProfile>,
}

fn letters_only(s: &str) -> String {
    s.chars().filter(|c| c.is_alphabetic()).collect()
}

/// Items of one contact or profile per sub-column, computed in parallel before interning.
type Prepared = Vec<Vec<Item>>;

fn push_str(col: &mut Vec<Item>, s: impl Into<String>) {
    col.push(Item::Str(s.into()));
}

fn prepare_contact(c: &Contact, date_order: DateOrder) -> Prepared {
    let mut out: Prepared = vec![Vec::new(); C_WIDTH];
    let (first, last) = contact_names(c);
    let (surname_keys, full) = name_keys(first.as_ref(), last.as_ref());
    if let Some(full) = full {
        push_str(&mut out[C_FULL], full);
        let mut canon: Vec<&str> = first
            .iter()
            .flat_map(|n| n.canonical.iter())
            .chain(last.iter().flat_map(|n| n.words.iter()))
            .map(String::as_str)
            .collect();
        canon.sort_unstable();
        push_str(&mut out[C_CANON], canon.join(" "));
    }
    for w in first.iter().flat_map(|n| n.canonical.iter()) {
        if w.chars().count() >= 2 {
            push_str(&mut out[C_FIRST], w.as_str());
        }
        // "renate-susanne" goes by "renate" (or "susanne") in handles and display names
        if w.contains(is_hyphen) {
            for part in w.split(is_hyphen).filter(|p| p.chars().count() >= 2) {
                push_str(&mut out[C_FIRST], canonical_given_name(part));
            }
        }
    }
    if let Some(i) = first.as_ref().and_then(|n| n.initials.chars().next()) {
        out[C_INITIAL].push(Item::Raw(u32::from(i)));
    }
    for k in surname_keys {
        push_str(&mut out[C_SURNAME], k);
    }
    if let Some(n) = &last {
        // "van der Broekink" is abbreviated "van der B." as often as "v.", so both initials
        let with_particles = n.surname_key.chars().next();
        let main_word = n.words.first().and_then(|w| w.chars().next());
        for i in [
            with_particles,
            main_word.filter(|&m| Some(m) != with_particles),
        ]
        .into_iter()
        .flatten()
        {
            out[C_LAST_INITIAL].push(Item::Raw(u32::from(i)));
        }
    }
    for e in c
        .emails
        .iter()
        .filter_map(|e| within_limit(e).and_then(normalize_email))
    {
        let alnum: String = e.local.chars().filter(|c| c.is_alphanumeric()).collect();
        if alnum.chars().count() >= MIN_LOCAL_PART_KEY {
            push_str(&mut out[C_EMAIL_ALNUM], alnum);
        }
        let letters = letters_only(&e.local);
        if letters.len() >= 3 {
            push_str(&mut out[C_EMAIL_LETTERS], letters);
        }
        if !e.free_mail {
            push_str(&mut out[C_BIZ_DOMAIN], e.domain);
        }
        push_str(&mut out[C_EMAIL], e.address);
        push_str(&mut out[C_EMAIL_LOCAL], e.local);
    }
    if let Some(city) = bounded(&c.city).and_then(normalize_city) {
        push_str(&mut out[C_CITY], city);
    }
    if let Some(company) = bounded(&c.company).and_then(normalize_company) {
        push_str(&mut out[C_COMPANY], company);
    }
    if let Some(d) = bounded(&c.birth_date).and_then(|d| normalize_date(d, date_order)) {
        if d.valid {
            out[C_BIRTH_YEAR].push(Item::Raw(u32::from(d.year)));
        }
    }
    out
}

/// A normalised handle's letters and digits, when there are at least
/// [`MIN_LOCAL_PART_KEY`] of them: the key that blocks handles against e-mail local parts
/// and groups a person's profiles across platforms.
fn handle_key(normalized: &str) -> Option<String> {
    let key: String = normalized.chars().filter(|c| c.is_alphanumeric()).collect();
    (key.chars().count() >= MIN_LOCAL_PART_KEY).then_some(key)
}

/// Whether `key` is a run of `raw`'s ASCII letters and digits, lower-cased (other bytes
/// skipped), without allocating.
fn contains_folded(raw: &str, key: &str) -> bool {
    let (raw, key) = (raw.as_bytes(), key.as_bytes());
    let folded = |i: usize| raw[i].to_ascii_lowercase();
    (0..raw.len()).any(|start| {
        let mut i = start;
        for &k in key {
            while i < raw.len() && !raw[i].is_ascii_alphanumeric() {
                if i == start {
                    return false;
                }
                i += 1;
            }
            if i == raw.len() || folded(i) != k {
                return false;
            }
            i += 1;
        }
        true
    })
}

/// `profile` and the profiles in `profiles` with its handle key: all that
/// [`SocialSpace::siblings`] needs to find `profile`'s sibling group.
fn with_same_handle<'a>(
    profile: &'a SocialProfile,
    profiles: &'a [SocialProfile],
) -> Vec<&'a SocialProfile> {
    let key_of = |p: &SocialProfile| {
        bounded(&p.handle)
            .and_then(normalize_handle)
            .and_then(|h| handle_key(&h.handle))
    };
    // an ASCII handle's key is a run of its lower-cased letters and digits (the user name is
    // a slice of the handle): a cheap test that spares normalising every handle each time
    // (on the part of the handle the normaliser reads)
    let may_have = |raw: &str, key: &str| {
        let raw = truncate(raw);
        !raw.is_ascii() || contains_folded(raw, key)
    };
    let mut out = vec![profile];
    if let Some(key) = key_of(profile) {
        out.extend(
            profiles
                .par_iter()
                .filter(|q| {
                    q.id != profile.id
                        && q.handle.as_deref().is_some_and(|h| may_have(h, &key))
                        && key_of(q).is_some_and(|k| k == key)
                })
                .collect::<Vec<_>>(),
        );
    }
    // a larger group is no sibling group (see `SocialSpace::siblings`): spare preparing it
    if out.len() > MAX_SIBLINGS {
        out.truncate(1);
    }
    out
}

fn prepare_profile(p: &SocialProfile) -> Prepared {
    let mut out: Prepared = vec![Vec::new(); P_WIDTH];
    if let Some(h) = bounded(&p.handle).and_then(normalize_handle) {
        if let Some(key) = handle_key(&h.handle) {
            push_str(&mut out[P_HANDLE_ALNUM], key);
        }
        let letters = letters_only(&h.letters);
        if letters.len() >= 2 {
            push_str(&mut out[P_HANDLE_LETTERS], letters);
        }
        if !h.digits.is_empty() {
            push_str(&mut out[P_HANDLE_DIGITS], h.digits);
        }
        for part in h.parts {
            push_str(&mut out[P_HANDLE_PARTS], part);
        }
    }
    if let Some(d) = bounded(&p.display_name).and_then(display_name_words) {
        if !d.full.is_empty() {
            let mut canon: Vec<&str> = d.canonical.iter().map(String::as_str).collect();
            canon.sort_unstable();
            push_str(&mut out[P_CANON], canon.join(" "));
            for w in &d.canonical {
                push_str(&mut out[P_WORDS], w.as_str());
            }
            push_str(&mut out[P_INITIALS], d.initials.as_str());
            let key = letters_only(&d.surname_key);
            if key.chars().count() >= 2 {
                push_str(&mut out[P_SURNAME], key);
            }
            push_str(&mut out[P_FULL], d.full);
        }
    }
    if let Some(bio) = p.bio.as_deref().and_then(normalize_text) {
        push_str(&mut out[P_BIO], bio);
    }
    if let Some(loc) = bounded(&p.location).and_then(normalize_city) {
        push_str(&mut out[P_LOCATION], loc);
    }
    if let Some(url) = bounded(&p.website).and_then(normalize_url) {
        push_str(&mut out[P_WEBSITE], url.domain);
    }
    if let Some(e) = bounded(&p.email).and_then(normalize_email) {
        push_str(&mut out[P_EMAIL], e.address);
        push_str(&mut out[P_EMAIL_LOCAL], e.local);
    }
    push_str(&mut out[P_PLATFORM], p.platform.trim().to_lowercase());
    out
}

/// Normalises in parallel and interns in input order, a chunk at a time so the owned strings
/// held in between stay bounded.
fn prepare_all<T: Sync>(
    items: &[&T],
    width: usize,
    strings: &mut Interner,
    f: impl Fn(&T) -> Prepared + Sync,
) -> RowTable {
    const CHUNK: usize = 1 << 16;
    let mut table = RowTable::new(width);
    for chunk in items.chunks(CHUNK) {
        let prepared: Vec<Prepared> = chunk.par_iter().map(|&x| f(x)).collect();
        for row in prepared {
            push_prepared_row(&mut table, row, strings);
        }
    }
    table
}

/// Surnames and first names of the contacts found inside one handle: (start, end, id) in
/// characters of the handle's letters.
#[derive(Debug, Default, Clone)]
struct HandleNames {
    surnames: Vec<(u8, u8, u32)>,
    first_names: Vec<(u8, u8, u32)>,
}

impl SocialSpace {
    fn new(
        contacts: &[&Contact],
        profiles: &[&SocialProfile],
        date_order: DateOrder,
        keep_raw: bool,
    ) -> SocialSpace {
        let mut strings = Interner::default();
        let cc = prepare_all(contacts, C_WIDTH, &mut strings, |c| {
            prepare_contact(c, date_order)
        });
        let pc = prepare_all(profiles, P_WIDTH, &mut strings, prepare_profile);
        let all_ids = |col: usize| -> FxHashSet<u32> {
            (0..cc.rows() as u32)
                .flat_map(|r| cc.get(col, r).iter().copied())
                .collect()
        };
        let surnames = all_ids(C_SURNAME);
        let first_names = all_ids(C_FIRST);
        let mut space = SocialSpace {
            strings,
            contact_ids: contacts.iter().map(|c| c.id.clone()).collect(),
            profile_ids: profiles.iter().map(|p| p.id.clone()).collect(),
            contacts: cc,
            profiles: pc,
            surnames,
            first_names,
            handle_names: Vec::new(),
            keep_raw,
            raw_contacts: if keep_raw {
                contacts.iter().map(|&c| c.clone()).collect()
            } else {
                Vec::new()
            },
            raw_profiles: if keep_raw {
                profiles.iter().map(|&p| p.clone()).collect()
            } else {
                Vec::new()
            },
        };
        // the names inside each handle are needed by two blocking rules on both passes
        // (fit and link): find them once, in parallel
        let handle_names: Vec<HandleNames> = (0..space.profile_ids.len() as u32)
            .into_par_iter()
            .map(|row| match space.p(P_HANDLE_LETTERS, row).first() {
                Some(&id) => {
                    let letters = space.s(id);
                    let surnames = space.names_in_handle(letters, &space.surnames, false);
                    let first_names = if surnames.is_empty() {
                        Vec::new()
                    } else {
                        space.names_in_handle(letters, &space.first_names, true)
                    };
                    HandleNames {
                        surnames,
                        first_names,
                    }
                }
                None => HandleNames::default(),
            })
            .collect();
        space.handle_names = handle_names;
        space
    }

    fn c(&self, col: usize, row: u32) -> &[u32] {
        self.contacts.get(col, row)
    }

    fn p(&self, col: usize, row: u32) -> &[u32] {
        self.profiles.get(col, row)
    }

    fn s(&self, id: u32) -> &str {
        self.strings.resolve(id)
    }

    /// Surname keys and first names of the contacts that occur inside a handle's letters,
    /// as (start, end, id) spans.
    fn names_in_handle(
        &self,
        letters: &str,
        set: &FxHashSet<u32>,
        canonical: bool,
    ) -> Vec<(u8, u8, u32)> {
        let chars: Vec<(usize, char)> = letters.char_indices().collect();
        let mut found = Vec::new();
        // handles are short (normalised to at most 1 kB, typically 5-20 letters); the
        // quadratic scan over substrings of 3+ letters is bounded by MAX_HANDLE_SCAN
        let n = chars.len().min(MAX_HANDLE_SCAN);
        for i in 0..n {
            for j in (i + 3)..=n {
                let start = chars[i].0;
                let end = chars.get(j).map_or(letters.len(), |c| c.0);
                let sub = &letters[start..end];
                let key = if canonical {
                    canonical_given_name(sub)
                } else {
                    sub
                };
                if let Some(id) = self.strings_get(key) {
                    if set.contains(&id) {
                        // i, j <= MAX_HANDLE_SCAN < 256
                        found.push((i as u8, j as u8, id));
                    }
                }
            }
        }
        found
    }

    fn strings_get(&self, s: &str) -> Option<u32> {
        self.strings.get(s)
    }
}

/// E-mail local parts and handles (letters and digits) shorter than this are not blocking
/// keys: "anna" or "info" would pair every Anna's address with every handle "anna". Digits
/// stay in the key: "bluefox69" and "bluefox12" are different people.
const MIN_LOCAL_PART_KEY: usize = 6;

/// How much of a contact's name one view of a profile (display name or handle) shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum NameEvidence {
    /// Ordered strongest first.
    Full,
    SurnameAndInitial,
    FirstAndSurnameInitial,
    SurnameOnly,
    Similar,
    FirstOnly,
    Different,
    Missing,
}

/// The level of the joint `name` comparison.
fn joint_name_level(display: NameEvidence, handle: NameEvidence) -> u8 {
    use NameEvidence::*;
    let best = display.min(handle);
    match best {
        Full if display <= SurnameAndInitial && handle <= SurnameAndInitial => 1,
        Full => 2,
        SurnameAndInitial => 3,
        FirstAndSurnameInitial => 4,
        SurnameOnly => 5,
        Similar => 6,
        FirstOnly => 7,
        Different => 8,
        Missing => 0,
    }
}

/// How often each surname and full name occurs among the contacts and among the profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct NameFrequencies {
    surnames: CrossFrequencies,
    full_names: CrossFrequencies,
}

/// Counts of one kind of value on both sides of a link, for value-specific evidence.
///
/// Splink's term-frequency adjustment assumes one population of values; linking contacts to
/// profiles, what makes agreement on a name convincing is how many *other* records on each
/// side carry it. If `a` contacts and `b` profiles are called "Claire Owen", at most
/// `min(a, b)` of the `a·b` agreeing pairs can be matches, so
///
/// - P(agree on v | match) ∝ min(a, b) / Σ min, and
/// - P(agree on v | non-match) ∝ (a·b − min(a, b)) / Σ a·b,
///
/// and the adjustment to the level's average weight is the log2 of their ratio's deviation
/// from the average. A name carried by one contact and one profile gains about 3 bits; a
/// name five contacts and five profiles share gains nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct CrossFrequencies {
    contacts: BTreeMap<String, u32>,
    profiles: BTreeMap<String, u32>,
    /// Σ over values of a·b (agreeing pairs) and of min(a, b) (possible matches).
    sum_products: f64,
    sum_min: f64,
}

impl CrossFrequencies {
    fn new(contacts: BTreeMap<String, u32>, profiles: BTreeMap<String, u32>) -> CrossFrequencies {
        let mut f = CrossFrequencies {
            contacts,
            profiles,
            sum_products: 0.0,
            sum_min: 0.0,
        };
        f.refresh();
        f
    }

    fn refresh(&mut self) {
        let (mut products, mut mins) = (0.0, 0.0);
        for (value, &a) in &self.contacts {
            let b = self.profiles.get(value).copied().unwrap_or(0);
            products += f64::from(a) * f64::from(b);
            mins += f64::from(a.min(b));
        }
        self.sum_products = products;
        self.sum_min = mins;
    }

    /// The adjustment in bits for agreement on `value` (0 when nothing is known).
    fn adjustment(&self, value: &str) -> f64 {
        if self.sum_min <= 0.0 || self.sum_products <= 0.0 {
            return 0.0;
        }
        let a = f64::from(self.contacts.get(value).copied().unwrap_or(1).max(1));
        let b = f64::from(self.profiles.get(value).copied().unwrap_or(1).max(1));
        let possible_matches = a.min(b);
        // half a pair at least: a value shared by one contact and one profile is not proof
        let non_matching = (a * b - possible_matches).max(0.5);
        ((possible_matches / self.sum_min) * (self.sum_products / non_matching)).log2()
    }

    /// Removes one contact's value.
    fn forget_contact_value(&mut self, value: &str) {
        if let Some(count) = self.contacts.get_mut(value) {
            *count -= 1;
            if *count == 0 {
                self.contacts.remove(value);
            }
        }
        self.refresh();
    }
}

/// The surname keys ("devries", "vries") and full-name key ("jan de vries") of a contact, as
/// the prepared columns hold them.
fn contact_name_keys(c: &Contact) -> (Vec<String>, Option<String>) {
    let (first, last) = contact_names(c);
    name_keys(first.as_ref(), last.as_ref())
}

/// A contact's first and last name normalised, an over-long one as missing: one reading
/// for preparing and for forgetting, so that `forget_contact` removes exactly the keys
/// `fit` counted.
fn contact_names(c: &Contact) -> (Option<NormalizedName>, Option<NormalizedName>) {
    let read = |name| bounded(name).and_then(normalize_name);
    (read(&c.first_name), read(&c.last_name))
}

/// An optional field's text, `None` when missing or over-long (no evidence: see
/// [`crate::identity::normalize::MAX_FIELD_BYTES`]).
fn bounded(value: &Option<String>) -> Option<&str> {
    value.as_deref().and_then(within_limit)
}

fn name_keys(
    first: Option<&NormalizedName>,
    last: Option<&NormalizedName>,
) -> (Vec<String>, Option<String>) {
    let full: Vec<&str> = first
        .iter()
        .map(|n| n.full.as_str())
        .chain(last.iter().map(|n| n.full.as_str()))
        .collect();
    let mut surnames = Vec::new();
    if let Some(n) = last {
        // the surname with its particles ("devries") and without ("vries"): handles use both
        for k in [
            letters_only(&n.surname_key),
            letters_only(&n.words.concat()),
        ] {
            if k.chars().count() >= 2 && !surnames.contains(&k) {
                surnames.push(k);
            }
        }
    }
    (surnames, (!full.is_empty()).then(|| full.join(" ")))
}

/// Handles longer than this many letters are only searched in their first part.
const MAX_HANDLE_SCAN: usize = 40;

impl KeySource for SocialSpace {
    fn rule_count(&self) -> usize {
        RULES.len()
    }
    fn rule_name(&self, rule: usize) -> String {
        RULES
            .get(rule)
            .map_or_else(String::new, |r| (*r).to_owned())
    }
    fn left_rows(&self) -> usize {
        self.contact_ids.len()
    }
    fn right_rows(&self) -> usize {
        self.profile_ids.len()
    }
    fn left_keys(&self, rule: usize, row: u32, out: &mut Vec<u64>) {
        let surnames = self.c(C_SURNAME, row);
        match rule {
            0 => {
                for &s in surnames {
                    for &f in self.c(C_FIRST, row) {
                        out.push(key_hash(rule, &(s, f)));
                    }
                }
            }
            1 => {
                for &s in surnames {
                    for &i in self.c(C_INITIAL, row) {
                        out.push(key_hash(rule, &(s, i)));
                    }
                }
            }
            2 => {
                for &f in self.c(C_FIRST, row) {
                    for &i in self.c(C_LAST_INITIAL, row) {
                        out.push(key_hash(rule, &(f, i)));
                    }
                }
            }
            3 => out.extend(self.c(C_EMAIL, row).iter().map(|&e| key_hash(rule, &e))),
            4 => out.extend(
                self.c(C_EMAIL_ALNUM, row)
                    .iter()
                    .map(|&e| key_hash(rule, &e)),
            ),
            _ => {}
        }
    }
    fn right_keys(&self, rule: usize, row: u32, out: &mut Vec<u64>) {
        let letters_id = self.p(P_HANDLE_LETTERS, row).first().copied();
        let letters = letters_id.map_or("", |id| self.s(id));
        let display_surname = self.p(P_SURNAME, row).first().copied();
        let words = self.p(P_WORDS, row);
        let initials = self.p(P_INITIALS, row).first().map_or("", |&id| self.s(id));
        let first_initial = initials.chars().next().map(u32::from);
        match rule {
            0 => {
                // display name: surname with each other word as first name
                if let Some(s) = display_surname {
                    for &w in words {
                        if self.s(w) != self.s(s) {
                            out.push(key_hash(rule, &(s, w)));
                        }
                    }
                }
                // handle: a surname and a first name inside, not overlapping
                let names = &self.handle_names[row as usize];
                for &(si, sj, sid) in &names.surnames {
                    for &(fi, fj, fid) in &names.first_names {
                        if fj <= si || sj <= fi {
                            out.push(key_hash(rule, &(sid, fid)));
                        }
                    }
                }
            }
            1 => {
                // display name "J. de Vries": the first word is an initial
                if let (Some(s), Some(i)) = (display_surname, first_initial) {
                    if words.len() <= 1 {
                        out.push(key_hash(rule, &(s, i)));
                    }
                }
                // handle "jdevries", "devriesj": a surname plus one letter
                let n = letters.chars().count();
                for &(si, sj, sid) in &self.handle_names[row as usize].surnames {
                    if usize::from(sj - si) + 1 == n {
                        let initial = if si == 0 {
                            letters.chars().last()
                        } else {
                            letters.chars().next()
                        };
                        if let Some(c) = initial {
                            out.push(key_hash(rule, &(sid, u32::from(c))));
                        }
                    }
                }
            }
            2 => {
                // display "Petra M.": a first name and a surname initial
                if words.len() == 1 && initials.chars().count() >= 2 {
                    if let Some(c) = initials.chars().nth(1) {
                        out.push(key_hash(rule, &(words[0], u32::from(c))));
                    }
                }
                // handle parts "petra_m"
                let parts = self.p(P_HANDLE_PARTS, row);
                if let [a, b, ..] = parts {
                    let (a, b) = (self.s(*a), self.s(*b));
                    if b.chars().count() == 1 && a.chars().count() >= 2 {
                        if let (Some(id), Some(c)) =
                            (self.strings_get(canonical_given_name(a)), b.chars().next())
                        {
                            out.push(key_hash(rule, &(id, u32::from(c))));
                        }
                    }
                }
            }
            3 => out.extend(self.p(P_EMAIL, row).iter().map(|&e| key_hash(rule, &e))),
            // only handles that are not made of a contact's surname ("bluefox69"): a handle
            // like "thomasmueller" is found by the name rules already, and keying it here
            // would pair it with every Thomas Müller's address
            4 if self.handle_names[row as usize].surnames.is_empty() => out.extend(
                self.p(P_HANDLE_ALNUM, row)
                    .iter()
                    .map(|&id| key_hash(rule, &id)),
            ),
            _ => {}
        }
    }
}

/// The comparisons a profile borrows from a sibling (see [`SocialSpace::siblings`]) when it
/// has none of its own: facts a person states on one platform and not on another (an
/// e-mail address, a website, a bio, a location). The handle-derived comparisons are the
/// same for siblings, who share the handle; `name` is borrowed when it is stronger.
const BORROWED_WHEN_MISSING: [usize; 4] = [1, 3, 4, 5];

/// The `name` level "different".
const NAME_DIFFERENT: usize = 8;

/// Most profiles in a sibling group: a handle on more platforms than a person plausibly
/// uses is a common word, not a person.
const MAX_SIBLINGS: usize = 4;

/// Profiles that are probably one person on several platforms: the same handle (letters and
/// digits, at least [`MIN_LOCAL_PART_KEY`] of them) on different platforms. People reuse
/// their user name across platforms, and two different people rarely pick the same one on
/// two platforms; a handle that appears twice on one platform names more than one person
/// and makes no group.
struct Siblings {
    groups: Vec<Vec<u32>>,
    /// Per profile row, its group, or [`NONE`].
    group_of: Vec<u32>,
}

impl Siblings {
    /// The group of profile `p` (itself included), or an empty slice.
    fn of(&self, p: u32) -> &[u32] {
        match self.group(p) {
            Some(g) => &self.groups[g],
            None => &[],
        }
    }

    /// The index of profile `p`'s group.
    fn group(&self, p: u32) -> Option<usize> {
        self.group_of
            .get(p as usize)
            .filter(|&&g| g != NONE)
            .map(|&g| g as usize)
    }
}

/// Per comparison, the profile row whose value it compared: [`NONE`] for the profile itself,
/// else the sibling it was borrowed from.
type Sources = [u32; MAX_COMPARISONS];

impl SocialSpace {
    /// The sibling groups among this space's profiles.
    fn siblings(&self) -> Siblings {
        let mut by_handle: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for row in 0..self.profile_ids.len() as u32 {
            if let Some(&h) = self.p(P_HANDLE_ALNUM, row).first() {
                by_handle.entry(h).or_default().push(row);
            }
        }
        let platform = |r: u32| self.p(P_PLATFORM, r).first().copied().unwrap_or(NONE);
        let mut groups: Vec<Vec<u32>> = by_handle
            .into_values()
            .filter(|g| {
                if !(2..=MAX_SIBLINGS).contains(&g.len()) {
                    return false;
                }
                let mut platforms: Vec<u32> = g.iter().map(|&r| platform(r)).collect();
                platforms.sort_unstable();
                platforms.windows(2).all(|w| w[0] != w[1])
            })
            .collect();
        // rows were pushed in order, so each group is sorted; sorting the groups makes the
        // result independent of the hash map's order
        groups.sort_unstable();
        let mut group_of = vec![NONE; self.profile_ids.len()];
        for (g, rows) in groups.iter().enumerate() {
            for &r in rows {
                group_of[r as usize] = g as u32;
            }
        }
        Siblings { groups, group_of }
    }

    /// Whether profiles `p` and `q` may show the same person: their display names share a
    /// word and do not name different surnames, or one has none. (Two people called "Jan"
    /// may both be `jan1985`; a "Jan de Vries" and a "Jan Bakker" with one handle are not
    /// one person.)
    fn may_be_one_person(&self, p: u32, q: u32) -> bool {
        let (a, b) = (self.p(P_WORDS, p), self.p(P_WORDS, q));
        if a.is_empty() || b.is_empty() {
            return true;
        }
        // a one-word display name ("Jan 🌷") names no surname, whatever the parser keys it on
        let surnames_differ = a.len() > 1 && b.len() > 1 && {
            let (sa, sb) = (self.p(P_SURNAME, p), self.p(P_SURNAME, q));
            !sa.is_empty() && !sb.is_empty() && sa != sb
        };
        a.iter().any(|w| b.contains(w)) && !surnames_differ
    }

    /// Compares contact `c` with profile `p` and fills in what `p` does not say from its
    /// siblings (see [`SocialSpace::merge_siblings`]). Returns the pattern, the
    /// term-frequency ids and where each comparison's value came from.
    fn compare_with_siblings(
        &self,
        scorer: &Scorer,
        siblings: &Siblings,
        c: u32,
        p: u32,
    ) -> (Pattern, [u32; MAX_COMPARISONS], Sources) {
        let group = siblings.of(p);
        if group.is_empty() {
            let (pattern, tf) = self.compare_pair(c, p);
            return (pattern, tf, [NONE; MAX_COMPARISONS]);
        }
        let compared: Vec<_> = group.iter().map(|&q| self.compare_pair(c, q)).collect();
        let at = group.iter().position(|&q| q == p).unwrap_or(0);
        self.merge_siblings(scorer, group, &compared, at)
    }

    /// Member `at` of a sibling `group`, whose comparisons with one contact are `compared`
    /// (in group order), with what it does not say filled in from its siblings: the
    /// comparisons of [`BORROWED_WHEN_MISSING`] it lacks, and the name where a sibling's
    /// name evidence weighs more. Of several siblings, the one whose value weighs most for
    /// the contact counts.
    fn merge_siblings(
        &self,
        scorer: &Scorer,
        group: &[u32],
        compared: &[(Pattern, [u32; MAX_COMPARISONS])],
        at: usize,
    ) -> (Pattern, [u32; MAX_COMPARISONS], Sources) {
        let p = group[at];
        let (own, mut tf) = compared[at];
        let mut pattern = own;
        let mut sources = [NONE; MAX_COMPARISONS];
        let name_weight =
            |level: usize, tf_id: u32| scorer.weights[0][level] + scorer.tf_adjustment(0, tf_id);
        for (&q, &(theirs, their_tf)) in group.iter().zip(compared) {
            if q == p || !self.may_be_one_person(p, q) {
                continue;
            }
            // a name the profile shows that differs from the contact's is its own evidence
            // against the pair: no sibling overrides it
            let (current, level) = (pattern_level(pattern, 0), pattern_level(theirs, 0));
            if level != 0
                && pattern_level(own, 0) != NAME_DIFFERENT
                && (current == 0 || name_weight(level, their_tf[0]) > name_weight(current, tf[0]))
            {
                pattern = with_level(pattern, 0, level as u8);
                tf[0] = their_tf[0];
                sources[0] = q;
            }
            for k in BORROWED_WHEN_MISSING {
                let (current, level) = (pattern_level(pattern, k), pattern_level(theirs, k));
                if pattern_level(own, k) == 0
                    && level != 0
                    && (current == 0 || scorer.weights[k][level] > scorer.weights[k][current])
                {
                    pattern = with_level(pattern, k, level as u8);
                    sources[k] = q;
                }
            }
        }
        (pattern, tf, sources)
    }
}

impl SocialSpace {
    fn compare_pair(&self, c: u32, p: u32) -> (Pattern, [u32; MAX_COMPARISONS]) {
        let mut pattern: Pattern = 0;
        let mut tf = [NONE; MAX_COMPARISONS];
        let display = self.name_vs_display(c, p);
        let handle = self.name_vs_handle(c, p);
        let name_level = joint_name_level(display, handle);
        pattern = with_level(pattern, 0, name_level);
        // the rarity of what agrees: the full name, or the surname
        tf[0] = match name_level {
            1 | 2 => self.c(C_FULL, c).first().copied().unwrap_or(NONE),
            3 | 5 => self.c(C_SURNAME, c).first().copied().unwrap_or(NONE),
            _ => NONE,
        };
        pattern = with_level(pattern, 1, self.email(c, p));
        pattern = with_level(pattern, 2, self.email_vs_handle(c, p, handle));
        pattern = with_level(pattern, 3, self.website(c, p));
        pattern = with_level(pattern, 4, self.bio(c, p));
        pattern = with_level(pattern, 5, self.location(c, p));
        pattern = with_level(pattern, 6, self.birth_year(c, p));
        (pattern, tf)
    }

    /// Name evidence from the display name.
    fn name_vs_display(&self, c: u32, p: u32) -> NameEvidence {
        let (Some(&cf), Some(&pf)) = (self.c(C_FULL, c).first(), self.p(P_FULL, p).first()) else {
            return NameEvidence::Missing;
        };
        if cf == pf {
            return NameEvidence::Full;
        }
        let surnames = self.c(C_SURNAME, c);
        let display_surname = self.p(P_SURNAME, p).first().copied();
        let words = self.p(P_WORDS, p);
        let surname_match = display_surname.is_some_and(|s| surnames.contains(&s))
            || words.iter().any(|w| surnames.contains(w));
        let firsts = self.c(C_FIRST, c);
        let first_match = words.iter().any(|w| firsts.contains(w));
        if self.c(C_CANON, c).first() == self.p(P_CANON, p).first()
            || (surname_match && first_match)
        {
            return NameEvidence::Full;
        }
        let initials = self.p(P_INITIALS, p).first().map_or("", |&id| self.s(id));
        let initial_of = |col: usize| self.c(col, c).first().and_then(|&x| char::from_u32(x));
        if surname_match
            && initial_of(C_INITIAL).is_some()
            && initials.chars().next() == initial_of(C_INITIAL)
        {
            return NameEvidence::SurnameAndInitial;
        }
        if first_match
            && words.len() == 1
            && initials.chars().count() >= 2
            && self
                .c(C_LAST_INITIAL, c)
                .iter()
                .any(|&x| initials.chars().nth(1) == char::from_u32(x))
        {
            return NameEvidence::FirstAndSurnameInitial;
        }
        if surname_match && words.len() == 1 {
            return NameEvidence::SurnameOnly;
        }
        if jaro_winkler(self.s(cf), self.s(pf)) >= 0.9 {
            return NameEvidence::Similar;
        }
        if first_match && words.len() == 1 {
            return NameEvidence::FirstOnly;
        }
        NameEvidence::Different
    }

    /// Name evidence from the handle ("jdevries82", "jan.devries", "devriesjan").
    fn name_vs_handle(&self, c: u32, p: u32) -> NameEvidence {
        let Some(&h) = self.p(P_HANDLE_LETTERS, p).first() else {
            return NameEvidence::Missing;
        };
        let surnames = self.c(C_SURNAME, c);
        if surnames.is_empty() {
            return NameEvidence::Missing;
        }
        let h = self.s(h);
        // no allocation per pair: the first names are read through their ids each time
        let firsts = || self.c(C_FIRST, c).iter().map(|&f| self.s(f));
        let initial = self
            .c(C_INITIAL, c)
            .first()
            .and_then(|&x| char::from_u32(x));
        let handle_chars = h.chars().count();
        let mut contains_surname = false;
        for &s in surnames {
            let s = self.s(s);
            for f in firsts() {
                if h.len() == s.len() + f.len()
                    && ((h.starts_with(f) && h.ends_with(s))
                        || (h.starts_with(s) && h.ends_with(f)))
                {
                    return NameEvidence::Full;
                }
            }
            let surname_chars = s.chars().count();
            if let Some(i) = initial {
                if handle_chars == surname_chars + 1
                    && ((h.starts_with(i) && h.ends_with(s))
                        || (h.starts_with(s) && h.ends_with(i)))
                {
                    return NameEvidence::SurnameAndInitial;
                }
            }
            contains_surname |= surname_chars >= 3 && h.contains(s);
        }
        let contains_first = firsts().any(|f| f.chars().count() >= 3 && h.contains(f));
        if contains_surname && contains_first {
            return NameEvidence::Full;
        }
        if contains_surname {
            return NameEvidence::SurnameOnly;
        }
        if firsts().any(|f| f.chars().count() >= 4 && h.contains(f)) {
            return NameEvidence::FirstOnly;
        }
        // the handle against each "firstsurname": one buffer for all of them
        let mut joined = String::new();
        let mut best = 0.0f64;
        for &s in surnames {
            let s = self.s(s);
            for f in firsts() {
                joined.clear();
                joined.push_str(f);
                joined.push_str(s);
                best = best.max(jaro_winkler(h, &joined));
            }
        }
        if best >= 0.88 {
            NameEvidence::Similar
        } else {
            NameEvidence::Different
        }
    }

    fn email(&self, c: u32, p: u32) -> u8 {
        let (ce, Some(&pe)) = (self.c(C_EMAIL, c), self.p(P_EMAIL, p).first()) else {
            return 0;
        };
        if ce.is_empty() {
            return 0;
        }
        if ce.contains(&pe) {
            return 1;
        }
        match self.p(P_EMAIL_LOCAL, p).first() {
            Some(l) if self.c(C_EMAIL_LOCAL, c).contains(l) => 2,
            _ => 3,
        }
    }

    /// A handle equal to the letters of an e-mail local part ("bluefox69") is strong evidence
    /// of its own only when the handle is not made of the person's name; otherwise both just
    /// repeat the name and the pair is "missing" here.
    fn email_vs_handle(&self, c: u32, p: u32, handle_name: NameEvidence) -> u8 {
        if !matches!(handle_name, NameEvidence::Different | NameEvidence::Similar) {
            return 0;
        }
        let locals = self.c(C_EMAIL_LETTERS, c);
        let Some(&h) = self.p(P_HANDLE_LETTERS, p).first() else {
            return 0;
        };
        if locals.is_empty() {
            return 0;
        }
        if locals.contains(&h) {
            return 1;
        }
        let h = self.s(h);
        let contained = locals.iter().any(|&l| {
            let l = self.s(l);
            l.len().min(h.len()) >= 5 && (l.contains(h) || h.contains(l))
        });
        if contained { 2 } else { 3 }
    }

    fn website(&self, c: u32, p: u32) -> u8 {
        let Some(&w) = self.p(P_WEBSITE, p).first() else {
            return 0;
        };
        let domains = self.c(C_BIZ_DOMAIN, c);
        let company = self
            .c(C_COMPANY, c)
            .first()
            .map(|&id| letters_only(self.s(id)));
        if domains.is_empty() && company.is_none() {
            return 0;
        }
        if domains.contains(&w) {
            return 1;
        }
        let label = self.s(w).split('.').next().unwrap_or("");
        match company {
            Some(co)
                if co.len() >= 3
                    && (label.contains(co.as_str()) || co.contains(label) && label.len() >= 4) =>
            {
                2
            }
            _ => 3,
        }
    }

    fn bio(&self, c: u32, p: u32) -> u8 {
        let Some(&bio) = self.p(P_BIO, p).first() else {
            return 0;
        };
        let company = self.c(C_COMPANY, c).first();
        let city = self.c(C_CITY, c).first();
        if company.is_none() && city.is_none() {
            return 0;
        }
        let bio = format!(" {} ", self.s(bio));
        let mentions =
            |id: Option<&u32>| id.is_some_and(|&id| bio.contains(&format!(" {} ", self.s(id))));
        match (mentions(company), mentions(city)) {
            (true, true) => 1,
            (true, false) => 2,
            (false, true) => 3,
            (false, false) => 4,
        }
    }

    fn location(&self, c: u32, p: u32) -> u8 {
        let (Some(&a), Some(&b)) = (self.c(C_CITY, c).first(), self.p(P_LOCATION, p).first())
        else {
            return 0;
        };
        if a == b {
            return 1;
        }
        let (x, y) = (self.s(a), self.s(b));
        let similar = jaro_winkler(x, y) >= 0.9
            || (x.len() >= 4 && y.split(' ').any(|w| w == x))
            || (y.len() >= 4 && x.split(' ').any(|w| w == y));
        if similar { 2 } else { 3 }
    }

    fn birth_year(&self, c: u32, p: u32) -> u8 {
        let (Some(&year), Some(&digits)) = (
            self.c(C_BIRTH_YEAR, c).first(),
            self.p(P_HANDLE_DIGITS, p).first(),
        ) else {
            return 0;
        };
        let d = self.s(digits);
        let full = year.to_string();
        if d == full || (d.len() == 2 && full.ends_with(d)) {
            1
        } else {
            2
        }
    }

    /// Human-readable values of a comparison, for explanations.
    fn describe(&self, k: usize, c: u32, p: u32) -> (Option<String>, Option<String>) {
        if !self.keep_raw {
            return (None, None);
        }
        let (Some(ct), Some(pr)) = (
            self.raw_contacts.get(c as usize),
            self.raw_profiles.get(p as usize),
        ) else {
            return (None, None);
        };
        let name = || {
            let s = [ct.first_name.as_deref(), ct.last_name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            (!s.is_empty()).then_some(s)
        };
        let emails = || (!ct.emails.is_empty()).then(|| ct.emails.join(", "));
        match k {
            0 => (
                name(),
                [pr.display_name.clone(), pr.handle.clone()]
                    .into_iter()
                    .flatten()
                    .reduce(|a, b| format!("{a}; {b}")),
            ),
            1 => (emails(), pr.email.clone()),
            2 => (emails(), pr.handle.clone()),
            3 => (
                [emails(), ct.company.clone()]
                    .into_iter()
                    .flatten()
                    .reduce(|a, b| format!("{a}; {b}")),
                pr.website.clone(),
            ),
            4 => (
                [ct.company.clone(), ct.city.clone()]
                    .into_iter()
                    .flatten()
                    .reduce(|a, b| format!("{a}; {b}")),
                pr.bio.clone(),
            ),
            5 => (ct.city.clone(), pr.location.clone()),
            6 => (ct.birth_date.clone(), pr.handle.clone()),
            _ => (None, None),
        }
    }
}

impl PairSpace for SocialSpace {
    fn left_len(&self) -> usize {
        self.contact_ids.len()
    }
    fn right_len(&self) -> usize {
        self.profile_ids.len()
    }
    fn dedupe(&self) -> bool {
        false
    }
    fn left_allowed(&self, _row: u32) -> bool {
        // contacts without consent never enter the space
        true
    }
    fn compare(&self, left: u32, right: u32) -> (Pattern, [u32; MAX_COMPARISONS]) {
        self.compare_pair(left, right)
    }
    fn keys(&self) -> &dyn KeySource {
        self
    }
}

const SAVED_FORMAT: &str = "socialcrm.social_linker";
const SAVED_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct SavedLinker {
    format: String,
    version: u32,
    config: SocialLinkerConfig,
    model: Option<FsModel>,
    name_frequencies: Option<NameFrequencies>,
    assertions: Assertions,
}

/// See [`SocialLinker::cache`]; kept for up to [`SOCIAL_CACHE_MAX_PAIRS`] candidate pairs.
struct SocialFitCache {
    fingerprint: u128,
    space: SocialSpace,
    pairs: Vec<u64>,
    stats: BlockingStats,
    /// Per pair: its pattern (7 comparisons × 4 bits fit in 32) and the interned full-name
    /// id that carries the term-frequency adjustment.
    patterns: Vec<u32>,
    name_ids: Vec<u32>,
}

impl std::fmt::Debug for SocialFitCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocialFitCache")
            .field("pairs", &self.pairs.len())
            .finish()
    }
}

/// Candidate pairs beyond which `fit` does not keep its comparisons. They cost 16 bytes per
/// pair (64 M pairs: 1 GiB; a 1M × 1M world has about 40 M), on top of the prepared records,
/// which take about as much memory again as the input records.
const SOCIAL_CACHE_MAX_PAIRS: usize = 64_000_000;

// cached patterns are 32-bit: 4 bits per comparison
const _: () = assert!(COMPARISONS.len() * 4 <= 32);

/// A 128-bit fingerprint of what a [`SocialSpace`] is built from: the admitted contacts,
/// the profiles and the settings that change preparation or blocking.
fn social_fingerprint(
    contacts: &[&Contact],
    profiles: &[&SocialProfile],
    date_order: DateOrder,
    max_block_pairs: u64,
) -> u128 {
    use std::hash::Hash;
    fingerprint128(|h| {
        (date_order == DateOrder::MonthFirst).hash(h);
        max_block_pairs.hash(h);
        contacts.hash(h);
        profiles.hash(h);
    })
}

impl SocialLinker {
    /// A linker with these settings.
    pub fn new(config: SocialLinkerConfig) -> Result<SocialLinker> {
        if let Some(p) = config.prior {
            if !(p > 0.0 && p < 1.0) {
                return Err(Error::InvalidArgument(format!(
                    "prior must be in (0, 1), got {p}"
                )));
            }
        }
        if !(config.em_tolerance > 0.0 && config.em_tolerance.is_finite())
            || config.max_block_pairs == 0
        {
            return Err(Error::InvalidArgument(
                "em_tolerance and max_block_pairs must be positive".into(),
            ));
        }
        Ok(SocialLinker {
            config,
            model: None,
            name_frequencies: None,
            assertions: Assertions::default(),
            cache: Mutex::new(None),
        })
    }

    /// The fitted model, if any.
    pub fn model(&self) -> Option<&FsModel> {
        self.model.as_ref()
    }

    /// The level labels of comparison `k`.
    pub fn level_labels(k: usize) -> &'static [&'static str] {
        COMPARISONS.get(k).map_or(&[], |c| c.1)
    }

    /// The comparison names, in order.
    pub fn comparison_names() -> Vec<&'static str> {
        COMPARISONS.iter().map(|c| c.0).collect()
    }

    /// Asserts that a contact and a profile are the same person. Still never links a
    /// contact without consent.
    pub fn assert_must_link(&mut self, contact_id: &str, profile_id: &str) {
        let key = (contact_id.to_owned(), profile_id.to_owned());
        self.assertions.no_link.remove(&key);
        self.assertions.must_link.insert(key);
    }

    /// Asserts that a contact and a profile are different people.
    pub fn assert_no_link(&mut self, contact_id: &str, profile_id: &str) {
        let key = (contact_id.to_owned(), profile_id.to_owned());
        self.assertions.must_link.remove(&key);
        self.assertions.no_link.insert(key);
    }

    /// The caller's assertions.
    pub fn assertions(&self) -> &Assertions {
        &self.assertions
    }

    /// Drops the records, candidate pairs and comparisons the last `fit` kept for `link`.
    /// Every `forget_*`, the next `fit` and a `link` on other records do it too; call it to
    /// free the memory when a fitted linker is kept (to save it, say) but not linked with.
    pub fn clear_cache(&mut self) {
        *self.cache.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Removes every trace of a contact or profile id that the linker holds: assertions
    /// naming it, and the records prepared by the last `fit` (see
    /// [`SocialLinker::clear_cache`]). (The model holds only aggregate probabilities; surname counts are
    /// aggregates too, but a count of 1 identifies a person, so pass the contact to
    /// [`SocialLinker::forget_contact`] to remove its surname from them.)
    pub fn forget_id(&mut self, id: &str) {
        self.clear_cache();
        self.assertions
            .must_link
            .retain(|(a, b)| a != id && b != id);
        self.assertions.no_link.retain(|(a, b)| a != id && b != id);
    }

    /// Removes a contact's traces: assertions naming it, and its surname and full name from
    /// the term frequencies.
    ///
    /// The frequencies are counts by name, not by contact (they hold no ids), so each call
    /// lowers them once: call it once per contact the linker was fitted on. Erasure must not
    /// depend on the consent a contact has *now* (who withdraws consent and then asks to be
    /// erased was counted while consenting), so a contact that was never counted (without
    /// consent at `fit`, or forgotten before) lowers a namesake's count instead; that shifts
    /// the namesake's name weight slightly and is the price of holding no list of who was
    /// counted.
    pub fn forget_contact(&mut self, contact: &Contact) {
        self.forget_id(&contact.id);
        let Some(freq) = &mut self.name_frequencies else {
            return;
        };
        let (surnames, full) = contact_name_keys(contact);
        if let Some(key) = surnames.into_iter().next() {
            freq.surnames.forget_contact_value(&key);
        }
        if let Some(key) = full {
            freq.full_names.forget_contact_value(&key);
        }
    }

    fn date_order(&self) -> DateOrder {
        if self.config.month_first_dates {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        }
    }

    /// Checks ids and keeps only consenting contacts.
    fn admit<'a>(
        contacts: &'a [Contact],
        profiles: &'a [SocialProfile],
    ) -> Result<(Vec<&'a Contact>, Vec<&'a SocialProfile>)> {
        let mut seen = FxHashSet::default();
        for c in contacts {
            if !seen.insert(c.id.as_str()) {
                return Err(Error::DuplicateId {
                    id: c.id.clone(),
                    table: "contacts".into(),
                });
            }
        }
        let mut seen = FxHashSet::default();
        for p in profiles {
            if !seen.insert(p.id.as_str()) {
                return Err(Error::DuplicateId {
                    id: p.id.clone(),
                    table: "profiles".into(),
                });
            }
        }
        Ok((
            contacts
                .iter()
                .filter(|c| c.consent.social_linking.is_granted())
                .collect(),
            profiles.iter().collect(),
        ))
    }

    fn settings(&self) -> FitSettings {
        FitSettings {
            u_sample_pairs: self.config.u_sample_pairs,
            seed: self.config.seed,
            prior: self.config.prior,
            max_em_iterations: self.config.max_em_iterations,
            em_tolerance: self.config.em_tolerance,
            // not read by fit_model_in_sessions, whose sessions always fit a u of their own
            // and whose final u comes from random pairs and the candidates (see there)
            estimate_u: false,
        }
    }

    /// Fits the model on consenting contacts and all profiles (no labels needed).
    pub fn fit(
        &mut self,
        contacts: &[Contact],
        profiles: &[SocialProfile],
    ) -> Result<BlockingStats> {
        let (contacts, profiles) = Self::admit(contacts, profiles)?;
        // a refit replaces the cache; dropping it first frees its memory for this fit
        self.clear_cache();
        let fingerprint = social_fingerprint(
            &contacts,
            &profiles,
            self.date_order(),
            self.config.max_block_pairs,
        );
        let space = SocialSpace::new(&contacts, &profiles, self.date_order(), false);
        // how common each surname and full name is among the contacts: agreeing on
        // "Thomas Müller" says much less than agreeing on "Ansgar Oppenheimer"
        let count = |table: &RowTable, col: usize, rows: usize| {
            let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
            for row in 0..rows as u32 {
                if let Some(&id) = table.get(col, row).first() {
                    *counts.entry(id).or_default() += 1;
                }
            }
            counts
                .into_iter()
                .map(|(id, n)| (space.s(id).to_owned(), n))
                .collect::<BTreeMap<String, u32>>()
        };
        let frequencies = NameFrequencies {
            surnames: CrossFrequencies::new(
                count(&space.contacts, C_SURNAME, contacts.len()),
                count(&space.profiles, P_SURNAME, profiles.len()),
            ),
            full_names: CrossFrequencies::new(
                count(&space.contacts, C_FULL, contacts.len()),
                count(&space.profiles, P_FULL, profiles.len()),
            ),
        };
        let (per_rule, pairs, stats) =
            candidates_by_rule(&space, false, self.config.max_block_pairs)?;
        let names: Vec<String> = COMPARISONS.iter().map(|c| c.0.to_owned()).collect();
        let labels: Vec<Vec<String>> = COMPARISONS
            .iter()
            .map(|c| c.1.iter().map(|s| (*s).to_owned()).collect())
            .collect();
        let sessions: Vec<Session<'_>> = per_rule
            .iter()
            .enumerate()
            .map(|(rule, pairs)| Session {
                pairs,
                conditioned: RULE_CONDITIONS[rule].to_vec(),
            })
            .collect();
        // every candidate compared once: the counts for the prior now, the scores in `link`
        // (kept only below the cache limit; above it the counts are streamed)
        let compared: Option<Vec<(u32, u32)>> =
            (pairs.len() <= SOCIAL_CACHE_MAX_PAIRS).then(|| {
                pairs
                    .par_iter()
                    .map(|&pair| {
                        let (c, p) = unpack(pair);
                        let (pattern, tf) = space.compare_pair(c, p);
                        (pattern as u32, tf[0])
                    })
                    .collect()
            });
        let candidates = match &compared {
            Some(compared) => count_sorted(
                compared
                    .par_iter()
                    .map(|&(pattern, _)| Pattern::from(pattern)),
            ),
            None => pattern_counts(&space, &pairs),
        };
        let possible = contacts.len() as f64 * profiles.len() as f64;
        self.model = Some(fit_model_in_sessions(
            &space,
            &names,
            &labels,
            &sessions,
            &Candidates {
                pairs: &pairs,
                patterns: &candidates,
            },
            possible,
            &self.settings(),
        ));
        self.name_frequencies = Some(frequencies);
        if let Some(compared) = compared {
            let (patterns, name_ids) = compared.into_iter().unzip();
            *self.cache.get_mut().unwrap_or_else(PoisonError::into_inner) =
                Some(Arc::new(SocialFitCache {
                    fingerprint,
                    space,
                    pairs,
                    stats: stats.clone(),
                    patterns,
                    name_ids,
                }));
        }
        Ok(stats)
    }

    fn scorer(&self, space: &SocialSpace) -> Result<Scorer> {
        let model = self
            .model
            .as_ref()
            .ok_or_else(|| Error::NotFitted("call fit before link or explain".into()))?;
        let tf = self.name_frequencies.as_ref().map(|freq| {
            let mut map = FxHashMap::default();
            for row in 0..space.contact_ids.len() as u32 {
                if let Some(&id) = space.c(C_SURNAME, row).first() {
                    map.entry(id)
                        .or_insert_with(|| freq.surnames.adjustment(space.s(id)));
                }
                if let Some(&id) = space.c(C_FULL, row).first() {
                    map.entry(id)
                        .or_insert_with(|| freq.full_names.adjustment(space.s(id)));
                }
            }
            map
        });
        let mut tfs = vec![None; COMPARISONS.len()];
        tfs[0] = tf;
        Ok(Scorer::new(model, tfs))
    }

    /// Links consenting contacts to profiles: pairs with probability ≥ `threshold`, then one
    /// link per profile and per contact and platform, best first.
    ///
    /// A link's `match_probability` weighs its rivals: the other contacts that match the
    /// same profile and the other profiles on the same platform that match the same
    /// contact (a profile shared by three equally good namesakes gets about a third each;
    /// a profile whose only candidate is this contact gets more than the pair's own
    /// evidence alone would give, since its match, if it has one, is among its
    /// candidates). `match_weight` is the pair's evidence, as in [`SocialLinker::explain`].
    ///
    /// **Sibling profiles.** People reuse their user name across platforms: profiles with the
    /// same handle (its letters and digits, at least six) on different platforms are taken
    /// as one person's (at most four, and none if the handle appears twice on one
    /// platform). Each gets its siblings' candidates. Where two siblings' display names
    /// share a word and name no different surnames, or one has none, a pair's evidence
    /// borrows from the sibling what the profile does not say itself: the e-mail, website,
    /// bio and location comparisons when the profile has none, and stronger name evidence
    /// ("Jan 🌷" on one platform, "Jan de Vries" on another) unless the profile's own name
    /// differs from the contact's. The model is fitted on each profile's own evidence;
    /// the blocking-recall estimate counts only pairs that a blocking rule found. A no-link
    /// assertion removes its own pair only: the asserted profile still lends its facts to
    /// its siblings' pairs with the same contact (it says they are not that contact's
    /// profile, not that they are not the same person's).
    pub fn link(
        &self,
        contacts: &[Contact],
        profiles: &[SocialProfile],
        threshold: f64,
    ) -> Result<SocialLinkResult> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(Error::InvalidArgument(format!(
                "threshold must be in [0, 1], got {threshold}"
            )));
        }
        let (admitted, profile_refs) = Self::admit(contacts, profiles)?;
        let without_consent = contacts.len() - admitted.len();
        let cache = {
            let mut guard = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            let fitted = guard.as_ref().map(|c| c.fingerprint);
            match fitted {
                Some(fitted)
                    if fitted
                        == social_fingerprint(
                            &admitted,
                            &profile_refs,
                            self.date_order(),
                            self.config.max_block_pairs,
                        ) =>
                {
                    guard.clone()
                }
                // other records than the fitted ones: the fit's prepared records are stale
                // and may hold people who have since withdrawn consent or been erased
                Some(_) => {
                    *guard = None;
                    None
                }
                None => None,
            }
        };
        // Every pair that could reach the threshold once its rivals are weighed, and every
        // rival that could matter. `contest` multiplies a pair's odds by the scale of
        // `one_to_one_prior`, at most (1 − λ) / (λ × contacts) as ρ ≤ 1, and its "no match"
        // term is at least 0.01: so a pair whose own odds are below 0.01 × threshold /
        // that scale cannot reach the threshold, and rivals with odds below 1e-4 / scale
        // move a probability by less than 1e-4.
        let lambda = self.model.as_ref().map_or(0.0, |m| m.lambda);
        let floor = {
            let max_scale = ((1.0 - lambda) / (lambda * admitted.len() as f64)).max(1.0);
            let odds = (0.01 * threshold).min(1e-4) / max_scale;
            if odds.is_finite() {
                0.99 * odds / (1.0 + odds)
            } else {
                0.0
            }
        };
        let fresh;
        let (space, scorer, mut scored, mut stats) = match &cache {
            // the records just fitted: score the comparisons fit computed
            Some(cache) => {
                let scorer = self.scorer(&cache.space)?;
                let scored = score_each(&cache.pairs, floor, |i, _, _| {
                    let mut tf = [NONE; MAX_COMPARISONS];
                    tf[0] = cache.name_ids[i];
                    scorer.weight(Pattern::from(cache.patterns[i]), &tf)
                });
                (&cache.space, scorer, scored, cache.stats.clone())
            }
            None => {
                fresh = SocialSpace::new(&admitted, &profile_refs, self.date_order(), false);
                let scorer = self.scorer(&fresh)?;
                let (pairs, stats) = candidate_pairs(&fresh, false, self.config.max_block_pairs)?;
                let scored = score_pairs(&fresh, &scorer, &pairs, floor);
                (&fresh, scorer, scored, stats)
            }
        };
        // a profile's siblings on other platforms may say what it does not
        let siblings = space.siblings();
        borrow_sibling_evidence(space, &scorer, &siblings, &mut scored, floor);
        if !self.assertions.no_link.is_empty() {
            scored.retain(|s| {
                !self.assertions.no_link.contains(&(
                    space.contact_ids[s.left as usize].clone(),
                    space.profile_ids[s.right as usize].clone(),
                ))
            });
        }
        // `contest` needs the chance that a profile's match is among its candidates: from
        // the blocking recall, estimated on the pairs likely on their own evidence, and
        // the share of profiles with a match (see `one_to_one_prior`)
        // (pairs that reached a profile only through a sibling say nothing of the rules; only
        // a sibling's pairs can be such, every other pair came from blocking)
        let skipped: Vec<Vec<u64>> = stats.rules.iter().map(|r| r.skipped.clone()).collect();
        let blocked = |l: u32, r: u32| {
            siblings.group(r).is_none()
                || (0..RULES.len())
                    .any(|rule| rule_covers(space, rule, (l, r), false, &skipped[rule]))
        };
        let likely: Vec<(u32, u32)> = scored
            .iter()
            .filter(|s| s.probability >= 0.5 && blocked(s.left, s.right))
            .map(|s| (s.left, s.right))
            .collect();
        estimate_recall(space, &mut stats, &likely, false);
        let (unmatched, odds_scale) = one_to_one_prior(
            &scored,
            lambda,
            space.contact_ids.len(),
            space.profile_ids.len(),
            stats.estimated_recall.unwrap_or(1.0),
        );
        if !self.assertions.must_link.is_empty() {
            // only admitted (consenting) contacts are in the index, so an assertion cannot
            // link a contact without consent
            let ci: FxHashMap<&str, u32> = space
                .contact_ids
                .iter()
                .enumerate()
                .map(|(i, s)| (s.as_str(), i as u32))
                .collect();
            let pi: FxHashMap<&str, u32> = space
                .profile_ids
                .iter()
                .enumerate()
                .map(|(i, s)| (s.as_str(), i as u32))
                .collect();
            for (a, b) in &self.assertions.must_link {
                if let (Some(&l), Some(&r)) = (ci.get(a.as_str()), pi.get(b.as_str())) {
                    scored.retain(|s| !(s.left == l && s.right == r));
                    scored.push(Scored {
                        left: l,
                        right: r,
                        probability: 1.0,
                        weight: f64::INFINITY,
                    });
                }
            }
        }
        let platform = |r: u32| space.p(P_PLATFORM, r).first().copied().unwrap_or(NONE);
        contest(&mut scored, unmatched, odds_scale, platform);
        scored.retain(|s| s.probability >= threshold);
        let matches: Vec<(u32, u32)> = scored
            .iter()
            .filter(|s| blocked(s.left, s.right))
            .map(|s| (s.left, s.right))
            .collect();
        // the estimate above served `contest`; the reported one is from the links (and
        // none without links, as before)
        stats.estimated_recall = None;
        for rule in &mut stats.rules {
            rule.share_of_matches = None;
        }
        estimate_recall(space, &mut stats, &matches, false);
        let mut chosen = one_to_one(scored, platform);
        chosen.sort_unstable_by_key(|s| (s.left, s.right));
        let links = chosen
            .iter()
            .map(|s| {
                let (pattern, tf, _) =
                    space.compare_with_siblings(&scorer, &siblings, s.left, s.right);
                let asserted = s.weight == f64::INFINITY;
                Link {
                    left_id: space.contact_ids[s.left as usize].clone(),
                    right_id: space.profile_ids[s.right as usize].clone(),
                    match_probability: s.probability,
                    match_weight: if asserted {
                        scorer.weight(pattern, &tf)
                    } else {
                        s.weight
                    },
                    evidence: scorer
                        .evidence(pattern, &tf)
                        .into_iter()
                        .map(|(level, weight)| LevelEvidence { level, weight })
                        .collect(),
                    asserted,
                }
            })
            .collect();
        Ok(SocialLinkResult {
            links,
            stats,
            contacts_without_consent: without_consent,
        })
    }

    /// Explains the score of a contact–profile pair. A contact without consent is an
    /// [`Error::ConsentRequired`]: its data is not even compared.
    ///
    /// The profile's siblings in `profiles` (see [`SocialLinker::link`]) count as they do
    /// in `link`; a value borrowed from one says so in its `right_value`
    /// ("Köln (from profile p7 on instagram, same handle)").
    pub fn explain(
        &self,
        contacts: &[Contact],
        contact_id: &str,
        profiles: &[SocialProfile],
        profile_id: &str,
    ) -> Result<Explanation> {
        let contact = contacts
            .iter()
            .find(|c| c.id == contact_id)
            .ok_or_else(|| Error::UnknownId(contact_id.to_owned()))?;
        let profile = profiles
            .iter()
            .find(|p| p.id == profile_id)
            .ok_or_else(|| Error::UnknownId(profile_id.to_owned()))?;
        if !contact.consent.social_linking.is_granted() {
            return Err(Error::ConsentRequired {
                contact_id: contact_id.to_owned(),
                purpose: "social linking".into(),
            });
        }
        // the profile is row 0, its possible siblings follow
        let candidates = with_same_handle(profile, profiles);
        let space = SocialSpace::new(&[contact], &candidates, self.date_order(), true);
        let scorer = self.scorer(&space)?;
        let model = self
            .model
            .as_ref()
            .ok_or_else(|| Error::NotFitted("explain needs a fitted model".into()))?;
        let siblings = space.siblings();
        let (pattern, tf, sources) = space.compare_with_siblings(&scorer, &siblings, 0, 0);
        let weight = scorer.weight(pattern, &tf);
        let fields = COMPARISONS
            .iter()
            .enumerate()
            .map(|(k, (name, labels))| {
                let level = pattern_level(pattern, k);
                let tf_adj = scorer.tf_adjustment(k, tf[k]);
                let (left_value, right_value) = match sources[k] {
                    NONE => space.describe(k, 0, 0),
                    sibling => {
                        let (left, right) = space.describe(k, 0, sibling);
                        let from = candidates[sibling as usize];
                        let note =
                            format!("from profile {} on {}, same handle", from.id, from.platform);
                        (
                            left,
                            Some(right.map_or(note.clone(), |v| format!("{v} ({note})"))),
                        )
                    }
                };
                FieldEvidence {
                    comparison: (*name).to_owned(),
                    level: labels.get(level).copied().unwrap_or("?").to_owned(),
                    level_index: level as u8,
                    m: model.comparisons[k].m[level],
                    u: model.comparisons[k].u[level],
                    weight: scorer.weights[k][level] + tf_adj,
                    term_frequency_adjustment: tf_adj,
                    left_value,
                    right_value,
                }
            })
            .collect();
        // the pair's own rules, then those that made it a candidate through a sibling (the
        // rules that share a key: whether `link` skipped that block depends on all the data)
        let mut blocking_rules: Vec<String> = (0..RULES.len())
            .filter(|&rule| rule_covers(&space, rule, (0, 0), false, &[]))
            .map(|rule| RULES[rule].to_owned())
            .collect();
        for &q in siblings.of(0).iter().filter(|&&q| q != 0) {
            for rule in
                (0..RULES.len()).filter(|&rule| rule_covers(&space, rule, (0, q), false, &[]))
            {
                blocking_rules.push(format!(
                    "{} (through sibling profile {})",
                    RULES[rule], candidates[q as usize].id
                ));
            }
        }
        let key = (contact_id.to_owned(), profile_id.to_owned());
        let assertion = if self.assertions.must_link.contains(&key) {
            Some("must_link".to_owned())
        } else if self.assertions.no_link.contains(&key) {
            Some("no_link".to_owned())
        } else {
            None
        };
        Ok(Explanation {
            left_id: contact_id.to_owned(),
            right_id: profile_id.to_owned(),
            match_probability: probability_from_weight(weight),
            match_weight: weight,
            prior_weight: scorer.prior,
            fields,
            blocking_rules,
            assertion,
        })
    }

    /// The linker as versioned JSON.
    pub fn to_json(&self) -> String {
        let saved = SavedLinker {
            format: SAVED_FORMAT.to_owned(),
            version: SAVED_VERSION,
            config: self.config.clone(),
            model: self.model.clone(),
            name_frequencies: self.name_frequencies.clone(),
            assertions: self.assertions.clone(),
        };
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// Reads a linker written by [`SocialLinker::to_json`]; anything else is an
    /// [`Error::Model`].
    pub fn from_json(json: &str) -> Result<SocialLinker> {
        let saved: SavedLinker = read_versioned(json, SAVED_FORMAT, SAVED_VERSION, "linker")?;
        let mut linker = SocialLinker::new(saved.config)
            .map_err(|e| Error::Model(format!("invalid configuration: {e}")))?;
        if let Some(model) = &saved.model {
            let names: Vec<String> = COMPARISONS.iter().map(|c| c.0.to_owned()).collect();
            let counts: Vec<usize> = COMPARISONS.iter().map(|c| c.1.len()).collect();
            model.check_shape(&names, &counts)?;
        }
        linker.model = saved.model;
        linker.name_frequencies = saved.name_frequencies;
        linker.assertions = saved.assertions;
        Ok(linker)
    }

    /// Writes [`SocialLinker::to_json`] to a file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        write_model_file(path.as_ref(), &self.to_json())
    }

    /// Reads a linker saved with [`SocialLinker::save`].
    pub fn load(path: impl AsRef<Path>) -> Result<SocialLinker> {
        SocialLinker::from_json(&read_model_file(path.as_ref())?)
    }
}

/// Gives each profile with siblings the candidates of its siblings, and scores its candidates
/// with what the siblings add ([`SocialSpace::compare_with_siblings`]).
fn borrow_sibling_evidence(
    space: &SocialSpace,
    scorer: &Scorer,
    siblings: &Siblings,
    scored: &mut Vec<Scored>,
    floor: f64,
) {
    if siblings.groups.is_empty() {
        return;
    }
    let mut contacts_of: Vec<Vec<u32>> = vec![Vec::new(); siblings.groups.len()];
    for s in scored.iter() {
        if let Some(g) = siblings.group(s.right) {
            contacts_of[g].push(s.left);
        }
    }
    scored.retain(|s| siblings.group(s.right).is_none());
    let rescored: Vec<Scored> = siblings
        .groups
        .par_iter()
        .zip(contacts_of.par_iter_mut())
        .flat_map_iter(|(members, contacts)| {
            contacts.sort_unstable();
            contacts.dedup();
            let contacts = &*contacts;
            // each member compared once per contact, then merged per member
            contacts.iter().flat_map(move |&c| {
                let compared: Vec<_> = members.iter().map(|&q| space.compare_pair(c, q)).collect();
                (0..members.len()).filter_map(move |at| {
                    let (pattern, tf, _) = space.merge_siblings(scorer, members, &compared, at);
                    let weight = scorer.weight(pattern, &tf);
                    let probability = probability_from_weight(weight);
                    (probability >= floor).then_some(Scored {
                        left: c,
                        right: members[at],
                        probability,
                        weight,
                    })
                })
            })
        })
        .collect();
    scored.extend(rescored);
}

#[cfg(test)]
mod cache_tests {
    use super::*;
    use crate::synth::{WorldConfig, generate};

    fn cached(linker: &SocialLinker) -> bool {
        linker.cache.lock().unwrap().is_some()
    }

    /// The fit's prepared records are personal data: they must not outlive a change of
    /// records, an erasure, or be copied into clones.
    #[test]
    fn the_fit_cache_is_dropped_whenever_it_could_hold_stale_personal_data() {
        let world = generate(&WorldConfig::new(300, 9));
        let mut linker = SocialLinker::new(SocialLinkerConfig::default()).unwrap();
        linker.fit(&world.contacts, &world.profiles).unwrap();
        assert!(cached(&linker));
        assert!(!cached(&linker.clone()), "a clone must not share the cache");
        linker.link(&world.contacts, &world.profiles, 0.5).unwrap();
        assert!(cached(&linker), "a link on the fitted records keeps it");
        // a contact withdraws consent: the next link sees other records
        let mut contacts = world.contacts.clone();
        let granted = contacts
            .iter()
            .position(|c| c.consent.social_linking.is_granted())
            .unwrap();
        contacts[granted].consent.social_linking = crate::records::ConsentStatus::Withdrawn;
        linker.link(&contacts, &world.profiles, 0.5).unwrap();
        assert!(!cached(&linker), "a link on other records drops it");
        linker.fit(&world.contacts, &world.profiles).unwrap();
        linker.forget_id("c1");
        assert!(!cached(&linker), "forget_id drops it");
        linker.fit(&world.contacts, &world.profiles).unwrap();
        linker.clear_cache();
        assert!(!cached(&linker));
    }
}

#[cfg(test)]
mod blocking_tests {
    use super::*;
    use crate::synth::{WorldConfig, generate};

    /// Abbreviated Dutch surnames ("Maria van der B."), "Last, First" display names and
    /// hyphenated given names used half ("renate.lindberg") are blocked together with the
    /// contact they name.
    #[test]
    fn blocking_finds_abbreviated_reversed_and_half_names() {
        let world = generate(&WorldConfig::new(300, 9));
        let granted = |id: &str, first: &str, last: &str| {
            let mut c = Contact {
                id: id.into(),
                first_name: Some(first.into()),
                last_name: Some(last.into()),
                ..Contact::default()
            };
            c.consent.social_linking = crate::records::ConsentStatus::Granted;
            c
        };
        let profile = |id: &str, handle: &str, display: &str| SocialProfile {
            id: id.into(),
            platform: "instagram".into(),
            handle: Some(handle.into()),
            display_name: Some(display.into()),
            ..SocialProfile::default()
        };
        let mut contacts = world.contacts.clone();
        let mut profiles = world.profiles.clone();
        contacts.push(granted("x1", "Maria", "van der Broekink"));
        profiles.push(profile("y1", "tulpje_964", "Maria van der B."));
        contacts.push(granted("x2", "Matthias", "Roteder"));
        profiles.push(profile("y2", "bergfan45", "Roteder, Matthias"));
        contacts.push(granted("x3", "Renate-Susanne", "Lindberg"));
        profiles.push(profile("y3", "renate.lindberg", "Starlight"));
        let mut linker = SocialLinker::new(SocialLinkerConfig::default()).unwrap();
        linker.fit(&contacts, &profiles).unwrap();
        for (c, p) in [("x1", "y1"), ("x2", "y2"), ("x3", "y3")] {
            let e = linker.explain(&contacts, c, &profiles, p).unwrap();
            assert!(!e.blocking_rules.is_empty(), "{c} ~ {p} is not a candidate");
        }
    }
}

#[cfg(test)]
mod sibling_tests {
    use super::*;
    use crate::synth::{WorldConfig, generate};
    use proptest::prelude::*;

    proptest! {
        /// The allocation-free test agrees with folding the handle and searching it, and
        /// never rejects a handle whose key matches (it only saves work).
        #[test]
        fn contains_folded_is_the_folded_search(raw in "[a-zA-Z0-9._@/-]{0,24}", key in "[a-z0-9]{1,4}") {
            let folded: String = raw
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase()))
                .collect();
            prop_assert_eq!(contains_folded(&raw, &key), folded.contains(key.as_str()));
            if let Some(k) = normalize_handle(&raw).and_then(|h| handle_key(&h.handle)) {
                prop_assert!(contains_folded(&raw, &k), "{} has key {}", raw, k);
            }
        }
    }

    /// A profile borrows from its sibling (same handle, other platform) what it does not
    /// say itself, in `link` and `explain` alike; a handle used twice on one platform, or
    /// siblings whose names contradict, lend nothing.
    #[test]
    fn sibling_profiles_lend_what_they_say() {
        let world = generate(&WorldConfig::new(300, 9));
        let mut contacts = world.contacts.clone();
        let mut jan = Contact {
            id: "jan".into(),
            first_name: Some("Jan".into()),
            last_name: Some("de Vries".into()),
            city: Some("Utrecht".into()),
            ..Contact::default()
        };
        jan.consent.social_linking = crate::records::ConsentStatus::Granted;
        contacts.push(jan);
        let profile =
            |id: &str, platform: &str, display: &str, location: Option<&str>| SocialProfile {
                id: id.into(),
                platform: platform.into(),
                handle: Some("jandevries_nl".into()),
                display_name: Some(display.into()),
                location: location.map(Into::into),
                ..SocialProfile::default()
            };
        let quiet = profile("quiet", "instagram", "Jan 🌷", None);
        let talkative = profile("talkative", "twitter", "Jan de Vries", Some("Utrecht"));
        let mut linker = SocialLinker::new(SocialLinkerConfig::default()).unwrap();
        linker.fit(&contacts, &world.profiles).unwrap();
        let explain = |profiles: &[SocialProfile]| {
            let e = linker.explain(&contacts, "jan", profiles, "quiet").unwrap();
            let location = e
                .fields
                .iter()
                .find(|f| f.comparison == "location")
                .unwrap();
            (
                e.match_weight,
                location.level_index,
                location.right_value.clone(),
            )
        };
        let with = |extra: &[&SocialProfile]| {
            let mut p = world.profiles.clone();
            p.extend(extra.iter().map(|&x| x.clone()));
            p
        };

        let alone = explain(&with(&[&quiet]));
        assert_eq!(alone.1, 0, "the quiet profile has no location of its own");
        let together = with(&[&quiet, &talkative]);
        let (weight, level, value) = explain(&together);
        assert_eq!(level, 1, "same city, borrowed");
        assert_eq!(
            value.as_deref(),
            Some("Utrecht (from profile talkative on twitter, same handle)")
        );
        assert!(weight > alone.0 + 3.0, "{weight} vs {}", alone.0);
        let result = linker.link(&contacts, &together, 0.5).unwrap();
        let link = result
            .links
            .iter()
            .find(|l| l.right_id == "quiet")
            .expect("the quiet profile links with its sibling's help");
        assert_eq!(link.left_id, "jan");
        assert!(
            (link.match_weight - weight).abs() < 1e-9,
            "link and explain agree"
        );
        assert_eq!(link.evidence[5].level, 1);

        // the handle twice on twitter: two people, no group
        let other = profile("other", "twitter", "Jan", Some("Zwolle"));
        let (_, level, _) = explain(&with(&[&quiet, &talkative, &other]));
        assert_eq!(level, 0);
        // names that contradict: not one person
        let stranger = profile("talkative", "twitter", "Sanne Bakker", Some("Utrecht"));
        let (_, level, _) = explain(&with(&[&quiet, &stranger]));
        assert_eq!(level, 0);
        // a namesake's own different name is not overridden by its sibling's full name, and
        // a different surname makes the two not one person at all
        let handle = |mut p: SocialProfile| {
            p.handle = Some("bluefox1985".into());
            p
        };
        let bakker = handle(profile("bakker", "instagram", "Jan Bakker", None));
        let given = with(&[&bakker, &handle(talkative.clone())]);
        let e = linker.explain(&contacts, "jan", &given, "bakker").unwrap();
        assert_eq!(e.fields[0].level, "different");
        assert_eq!(e.fields[5].level_index, 0, "no location borrowed");
        assert!(
            e.blocking_rules
                .iter()
                .any(|r| r.ends_with("(through sibling profile talkative)")),
            "{:?}",
            e.blocking_rules
        );
        let mut links = linker.link(&contacts, &given, 0.5).unwrap().links;
        links.retain(|l| l.right_id == "bakker");
        assert!(links.is_empty(), "{links:?}");
    }
}
