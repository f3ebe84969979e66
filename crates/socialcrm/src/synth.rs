//! Deterministic synthetic CRM contacts and social profiles, with exact ground truth.
//!
//! Identity matching is only as good as the data it is tested on. This module builds a
//! *world* of persons, each rendered as one or more CRM [`Contact`]s and zero or more
//! [`SocialProfile`]s, with the mess that makes matching hard: Zipf-distributed German,
//! Dutch and English names (so "Müller", "de Jong" and "Smith" are common and namesakes
//! exist), nicknames, titles, particles ("van der Berg" / "Van der Berg"), transliterations
//! ("Mueller"), typos, people who moved, duplicate CRM records, handles in a dozen habits,
//! display names with emoji, vague locations, and non-customers who look like customers.
//! The [`GroundTruth`] says exactly which records belong to which person.
//!
//! Everything is a pure function of [`WorldConfig`]: the same config gives byte-identical
//! records on every platform and in every future version (a pinned fingerprint test guards
//! this; change it only on purpose and say so in the changelog). Each record is drawn from
//! its own keyed random stream, so any record can be produced on its own: [`Generator`]
//! streams 10M-person worlds in id order with a few hundred bytes of state, and
//! [`generate`] collects small worlds into memory.
//!
//! ```
//! use socialcrm::synth::{generate, WorldConfig};
//!
//! let world = generate(&WorldConfig { persons: 500, seed: 7, ..WorldConfig::default() });
//! assert_eq!(world.contacts[0].id, "c0");
//! assert!(world.contacts.len() > 500); // some persons have a duplicate record
//!
//! // What a consent-respecting linker may find, and may only find:
//! let findable = world.truth.consented_true_links(&world.contacts);
//! assert!(!findable.is_empty());
//! assert!(findable.len() < world.truth.true_links().len());
//! let (contact_id, profile_id) = &findable[0];
//! assert_eq!(
//!     world.truth.person_of_contact(contact_id),
//!     world.truth.person_of_profile(profile_id),
//! );
//! ```
//!
//! Streaming a large world, e.g. to JSON lines, holds one record at a time:
//!
//! ```
//! use socialcrm::synth::{Generator, WorldConfig};
//!
//! let generator = Generator::new(&WorldConfig { persons: 1_000, ..WorldConfig::default() });
//! let mut written = 0;
//! for contact in generator.contacts() {
//!     // serde_json::to_writer(&mut out, &contact)?; ...
//!     written += contact.id.len();
//! }
//! assert!(written > 0);
//! // Any record is also available on its own, identical to the streamed one:
//! assert_eq!(generator.contact(17), generator.contacts().nth(17));
//! ```

mod names;
mod person;
mod places;
mod rng;
mod tail;
mod text;
mod words;

use std::collections::HashSet;
use std::iter::FusedIterator;
use std::ops::Range;

use crate::error::{Error, Result};
use crate::records::{Contact, Language, SocialProfile};

use rng::Permutation;

/// A country the generator can draw persons from. Names, addresses, postcodes, phone
/// formats, e-mail providers, platforms and bio languages follow the country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Country {
    /// Germany (`DE`): German names and bios, 5-digit postcodes, "030 1234567".
    De,
    /// The Netherlands (`NL`): Dutch names with particles, "1234 AB", "06-12345678".
    Nl,
    /// The United Kingdom (`GB`): English names, "SW1A 1AA"-like postcodes, "07700 900123".
    Gb,
    /// The United States (`US`): English names, ZIP codes, "(212) 555-0123".
    Us,
}

impl Country {
    /// All countries, in the order of [`CountryMix`]'s fields.
    pub const ALL: [Country; 4] = [Country::De, Country::Nl, Country::Gb, Country::Us];

    /// The ISO 3166-1 alpha-2 code, as written into [`Contact::country`].
    pub const fn code(self) -> &'static str {
        match self {
            Country::De => "DE",
            Country::Nl => "NL",
            Country::Gb => "GB",
            Country::Us => "US",
        }
    }

    /// The language its people write bios in.
    pub const fn language(self) -> Language {
        match self {
            Country::De => Language::German,
            Country::Nl => Language::Dutch,
            Country::Gb | Country::Us => Language::English,
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// Relative weights of the countries persons come from. They need not sum to 1; negative
/// and NaN weights count as 0, and an all-zero mix falls back to the default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountryMix {
    /// Weight of Germany.
    pub de: f64,
    /// Weight of the Netherlands.
    pub nl: f64,
    /// Weight of the United Kingdom.
    pub gb: f64,
    /// Weight of the United States.
    pub us: f64,
}

impl Default for CountryMix {
    /// 45 % DE, 35 % NL, 20 % GB, no US: the markets socialcrm is built for.
    fn default() -> Self {
        CountryMix {
            de: 0.45,
            nl: 0.35,
            gb: 0.20,
            us: 0.0,
        }
    }
}

impl CountryMix {
    /// All weight on one country.
    pub fn only(country: Country) -> Self {
        let mut mix = CountryMix {
            de: 0.0,
            nl: 0.0,
            gb: 0.0,
            us: 0.0,
        };
        match country {
            Country::De => mix.de = 1.0,
            Country::Nl => mix.nl = 1.0,
            Country::Gb => mix.gb = 1.0,
            Country::Us => mix.us = 1.0,
        }
        mix
    }

    fn weights(&self) -> [f64; 4] {
        [self.de, self.nl, self.gb, self.us]
    }
}

/// What world to generate. Build it with struct-update syntax over the defaults:
///
/// ```
/// use socialcrm::synth::{CountryMix, Country, WorldConfig};
/// let config = WorldConfig {
///     persons: 10_000,
///     seed: 42,
///     countries: CountryMix::only(Country::Nl),
///     ..WorldConfig::default()
/// };
/// assert!(config.validate().is_ok());
/// ```
///
/// Rates outside their range are clamped (NaN counts as 0) by the generator, so generation
/// itself cannot fail; call [`WorldConfig::validate`] to reject such input instead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorldConfig {
    /// Number of persons in the CRM (customers). Each has one contact record, some more.
    pub persons: usize,
    /// The seed: the same config gives the same world, byte for byte, forever.
    pub seed: u64,
    /// Share of persons with at least one social profile (default 0.6). Of those, about a
    /// third have a second profile on another platform and an eighth a third one.
    pub profile_rate: f64,
    /// Profiles of non-customers, as a share of `persons` (default 0.4; may exceed 1).
    /// Some resemble customers: a twentieth copy a customer's full name and city, a further
    /// third copy a customer's surname and city.
    pub extra_profiles: f64,
    /// Share of contacts whose `consent.social_linking` is `Granted` (default 0.7); of the
    /// rest, a third are `Withdrawn` and two thirds `Absent`.
    pub consent_rate: f64,
    /// Share of persons with a second, noisy CRM record (default 0.05); a tenth of those
    /// also have a third.
    pub duplicate_rate: f64,
    /// Share of persons who deliberately get the same full name and city as another person
    /// (default 0.02), on top of the namesakes that the skewed name frequencies produce.
    pub namesake_rate: f64,
    /// Multiplier on every noise probability: typos, missing fields, transliterations,
    /// format variants, stale addresses (default 1.0; 0.0 gives clean records, useful to
    /// test that a matcher finds everything when nothing is hard).
    pub noise: f64,
    /// Where persons live.
    pub countries: CountryMix,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            persons: 1_000,
            seed: 0x5EED_50C1_A1C3_0001,
            profile_rate: 0.6,
            extra_profiles: 0.4,
            consent_rate: 0.7,
            duplicate_rate: 0.05,
            namesake_rate: 0.02,
            noise: 1.0,
            countries: CountryMix::default(),
        }
    }
}

impl WorldConfig {
    /// The defaults with `persons` and `seed` set.
    pub fn new(persons: usize, seed: u64) -> Self {
        WorldConfig {
            persons,
            seed,
            ..WorldConfig::default()
        }
    }

    /// Checks every rate: shares must be finite and in `0..=1`, `extra_profiles` and `noise`
    /// finite and `>= 0` (`noise <= 10`), and the country weights non-negative with a
    /// positive sum.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] naming the first offending field and its value.
    pub fn validate(&self) -> Result<()> {
        let shares = [
            ("profile_rate", self.profile_rate),
            ("consent_rate", self.consent_rate),
            ("duplicate_rate", self.duplicate_rate),
            ("namesake_rate", self.namesake_rate),
        ];
        for (name, v) in shares {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::InvalidArgument(format!(
                    "{name} must be between 0 and 1, got {v}"
                )));
            }
        }
        if !(0.0..=1000.0).contains(&self.extra_profiles) {
            return Err(Error::InvalidArgument(format!(
                "extra_profiles must be between 0 and 1000, got {}",
                self.extra_profiles
            )));
        }
        if !(0.0..=10.0).contains(&self.noise) {
            return Err(Error::InvalidArgument(format!(
                "noise must be between 0 and 10, got {}",
                self.noise
            )));
        }
        let w = self.countries.weights();
        if w.iter().any(|x| !(x.is_finite() && *x >= 0.0)) || w.iter().sum::<f64>() <= 0.0 {
            return Err(Error::InvalidArgument(format!(
                "country weights must be non-negative with a positive sum, got {:?}",
                self.countries
            )));
        }
        Ok(())
    }

    /// The config the generator actually uses: every rate clamped into its range.
    fn normalized(&self) -> WorldConfig {
        fn clamp(v: f64, hi: f64) -> f64 {
            if v.is_nan() { 0.0 } else { v.clamp(0.0, hi) }
        }
        let mut w = self.countries.weights().map(|x| clamp(x, f64::MAX));
        if w.iter().sum::<f64>() <= 0.0 || !w.iter().sum::<f64>().is_finite() {
            w = CountryMix::default().weights();
        }
        WorldConfig {
            persons: self.persons,
            seed: self.seed,
            profile_rate: clamp(self.profile_rate, 1.0),
            extra_profiles: clamp(self.extra_profiles, 1000.0),
            consent_rate: clamp(self.consent_rate, 1.0),
            duplicate_rate: clamp(self.duplicate_rate, 1.0),
            namesake_rate: clamp(self.namesake_rate, 1.0),
            noise: clamp(self.noise, 10.0),
            countries: CountryMix {
                de: w[0],
                nl: w[1],
                gb: w[2],
                us: w[3],
            },
        }
    }
}

/// A generated world: the CRM, the social profiles, and who is who.
#[derive(Debug, Clone)]
pub struct World {
    /// CRM records, ordered by id ("c0", "c1", ...); the order says nothing about persons.
    pub contacts: Vec<Contact>,
    /// Social profiles, ordered by id ("p0", "p1", ...), customers and non-customers mixed.
    pub profiles: Vec<SocialProfile>,
    /// The exact answer key.
    pub truth: GroundTruth,
}

/// Shares of the profile-owning persons that own a 2nd and a 3rd profile (nested subsets).
const SECOND_PROFILE: f64 = 0.35;
const THIRD_PROFILE: f64 = 0.12;
/// Share of duplicated persons with a third CRM record.
const THIRD_RECORD: f64 = 0.1;

// Stream purposes: every kind of draw has its own keyed stream (see rng::SplitMix64::keyed).
const S_IDENT: u64 = 1;
const S_NAMESAKE: u64 = 2;
const S_PERSON: u64 = 3;
const S_CONTACT: u64 = 4;
const S_PROFILE: u64 = 5;
const S_CONSENT: u64 = 6;
const S_SHADOW_IDENT: u64 = 7;
const S_SHADOW: u64 = 8;
const S_SHADOW_PROFILE: u64 = 9;
const S_COMPANY: u64 = 10;
const S_SHADOW_COPY: u64 = 11;
const P_CONTACT_IDS: u64 = 20;
const P_PROFILE_IDS: u64 = 21;
const P_DUPLICATES: u64 = 22;
const P_PROFILES: u64 = 23;

fn share(n: u64, rate: f64) -> u64 {
    // f64 multiply and round are exactly specified by IEEE 754: stable across platforms.
    ((n as f64 * rate).round() as u64).min(n)
}

/// Everything that decides the world's shape, computed once in O(1): counts and the keyed
/// permutations that map ids to slots and pick which persons have duplicates or profiles.
///
/// Contact slots: `0..n` are the persons' first records, then `dup1` second records, then
/// `dup2` third records. A person whose rank under `duplicates` is `< dup1` has a second
/// record in slot `n + rank`, and if `< dup2` a third in `n + dup1 + rank`: exact counts,
/// nested subsets, no per-person storage. Profiles work the same way with three tiers,
/// followed by the non-customers' ("shadow") profiles. Ids are a second permutation of
/// the slots, so "c0" is an arbitrary record.
#[derive(Debug, Clone)]
struct Plan {
    cfg: WorldConfig,
    n: u64,
    dup1: u64,
    dup2: u64,
    prof: [u64; 3],
    contacts: u64,
    profiles: u64,
    /// Size of each country's pool of employers.
    companies: u64,
    contact_ids: Permutation,
    profile_ids: Permutation,
    duplicates: Permutation,
    profile_owners: Permutation,
}

/// Who owns a profile slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// Customer `person`'s `k`-th profile.
    Customer { person: u64, k: u8 },
    /// The `k`-th non-customer.
    Shadow(u64),
}

impl Plan {
    fn new(config: &WorldConfig) -> Plan {
        let cfg = config.normalized();
        let n = cfg.persons as u64;
        let dup1 = share(n, cfg.duplicate_rate);
        let dup2 = share(dup1, THIRD_RECORD);
        let p1 = share(n, cfg.profile_rate);
        let prof = [p1, share(p1, SECOND_PROFILE), share(p1, THIRD_PROFILE)];
        let shadows = (n as f64 * cfg.extra_profiles).round() as u64;
        let contacts = n + dup1 + dup2;
        let profiles = prof.iter().sum::<u64>() + shadows;
        let seed = cfg.seed;
        Plan {
            cfg,
            n,
            dup1,
            dup2,
            prof,
            contacts,
            profiles,
            companies: (n / 25).clamp(20, 400_000),
            contact_ids: Permutation::new(contacts, seed, P_CONTACT_IDS),
            profile_ids: Permutation::new(profiles, seed, P_PROFILE_IDS),
            duplicates: Permutation::new(n, seed, P_DUPLICATES),
            profile_owners: Permutation::new(n, seed, P_PROFILES),
        }
    }

    /// `(person, k)` of a contact slot: the person's first (0), second (1) or third record.
    fn contact_slot(&self, slot: u64) -> (u64, u8) {
        if slot < self.n {
            (slot, 0)
        } else if slot < self.n + self.dup1 {
            (self.duplicates.inverse(slot - self.n), 1)
        } else {
            (self.duplicates.inverse(slot - self.n - self.dup1), 2)
        }
    }

    /// The contact slots of a person, first record first.
    fn contact_slots_of(&self, person: u64) -> impl Iterator<Item = u64> {
        let rank = self.duplicates.forward(person);
        let second = (rank < self.dup1).then_some(self.n + rank);
        let third = (rank < self.dup2).then_some(self.n + self.dup1 + rank);
        std::iter::once(person).chain(second).chain(third)
    }

    fn profile_slot(&self, slot: u64) -> Owner {
        let mut base = 0;
        for (k, &count) in self.prof.iter().enumerate() {
            if slot < base + count {
                let person = self.profile_owners.inverse(slot - base);
                return Owner::Customer { person, k: k as u8 };
            }
            base += count;
        }
        Owner::Shadow(slot - base)
    }

    fn profile_slots_of(&self, person: u64) -> impl Iterator<Item = u64> {
        let rank = self.profile_owners.forward(person);
        let [p1, p2, p3] = self.prof;
        [
            (rank < p1).then_some(rank),
            (rank < p2).then_some(p1 + rank),
        ]
        .into_iter()
        .chain([(rank < p3).then_some(p1 + p2 + rank)])
        .flatten()
    }

    fn contact_id_of_slot(&self, slot: u64) -> u64 {
        self.contact_ids.inverse(slot)
    }

    fn profile_id_of_slot(&self, slot: u64) -> u64 {
        self.profile_ids.inverse(slot)
    }

    fn contact(&self, id: u64) -> Contact {
        let (person, k) = self.contact_slot(self.contact_ids.forward(id));
        person::render_contact(self, person, k, id_string('c', id))
    }

    fn profile(&self, id: u64) -> SocialProfile {
        let owner = self.profile_slot(self.profile_ids.forward(id));
        person::render_profile(self, owner, id_string('p', id))
    }
}

/// Parses "c123" (`prefix` 'c') strictly: no sign, no leading zeros, no spaces.
/// "c17" from ('c', 17).
fn id_string(prefix: char, n: u64) -> String {
    let mut s = String::with_capacity(12);
    s.push(prefix);
    text::push_num(&mut s, n, 0);
    s
}

fn parse_id(id: &str, prefix: char) -> Option<u64> {
    let digits = id.strip_prefix(prefix)?;
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
    {
        return None;
    }
    digits.parse().ok()
}

/// Produces the records of a world one at a time, in id order, or any single one by id.
///
/// Cheap to create and to clone (a few hundred bytes, no tables per world): all state is
/// derived from the config. Records are independent, so ranges can be produced on
/// different threads ([`Generator::contacts_range`]) and concatenated.
#[derive(Debug, Clone)]
pub struct Generator {
    plan: Plan,
}

impl Generator {
    /// Plans a world. O(1): nothing is generated until records are asked for.
    pub fn new(config: &WorldConfig) -> Self {
        Generator {
            plan: Plan::new(config),
        }
    }

    /// The config in use, after clamping (see [`WorldConfig::validate`]).
    pub fn config(&self) -> &WorldConfig {
        &self.plan.cfg
    }

    /// Number of CRM records: persons plus their extra records.
    pub fn contact_count(&self) -> usize {
        self.plan.contacts as usize
    }

    /// Number of social profiles: customers' plus non-customers'.
    pub fn profile_count(&self) -> usize {
        self.plan.profiles as usize
    }

    /// The contact with id `c{n}`, or `None` if `n >= contact_count()`.
    pub fn contact(&self, n: usize) -> Option<Contact> {
        (n < self.contact_count()).then(|| self.plan.contact(n as u64))
    }

    /// The profile with id `p{n}`, or `None` if `n >= profile_count()`.
    pub fn profile(&self, n: usize) -> Option<SocialProfile> {
        (n < self.profile_count()).then(|| self.plan.profile(n as u64))
    }

    /// All contacts in id order.
    pub fn contacts(&self) -> Contacts {
        self.contacts_range(0..self.contact_count())
    }

    /// The contacts with ids `c{start}`..`c{end}` (clamped to the world), in id order.
    pub fn contacts_range(&self, range: Range<usize>) -> Contacts {
        let end = range.end.min(self.contact_count()) as u64;
        RecordStream {
            plan: self.plan.clone(),
            next: (range.start as u64).min(end),
            end,
            render: Plan::contact,
        }
    }

    /// All profiles in id order.
    pub fn profiles(&self) -> Profiles {
        self.profiles_range(0..self.profile_count())
    }

    /// The profiles with ids `p{start}`..`p{end}` (clamped to the world), in id order.
    pub fn profiles_range(&self, range: Range<usize>) -> Profiles {
        let end = range.end.min(self.profile_count()) as u64;
        RecordStream {
            plan: self.plan.clone(),
            next: (range.start as u64).min(end),
            end,
            render: Plan::profile,
        }
    }

    /// The answer key of this world. O(1): it computes its answers from the plan, so it is
    /// available for a 10M-person world without generating a single record.
    pub fn truth(&self) -> GroundTruth {
        GroundTruth {
            plan: self.plan.clone(),
        }
    }

    /// Generates the whole world into memory.
    pub fn generate(&self) -> World {
        World {
            contacts: self.contacts().collect(),
            profiles: self.profiles().collect(),
            truth: self.truth(),
        }
    }
}

/// Generates a whole world into memory: `Generator::new(config).generate()`.
///
/// About 0.6 kB per record in memory; for millions of persons, stream with
/// [`contacts_iter`] / [`profiles_iter`] instead.
pub fn generate(config: &WorldConfig) -> World {
    Generator::new(config).generate()
}

/// Streams the contacts of a world in id order, one record in memory at a time.
pub fn contacts_iter(config: &WorldConfig) -> Contacts {
    Generator::new(config).contacts()
}

/// Streams the profiles of a world in id order, one record in memory at a time.
pub fn profiles_iter(config: &WorldConfig) -> Profiles {
    Generator::new(config).profiles()
}

/// Iterator over generated contacts (see [`Generator::contacts`]).
pub type Contacts = RecordStream<Contact>;

/// Iterator over generated profiles (see [`Generator::profiles`]).
pub type Profiles = RecordStream<SocialProfile>;

/// Iterator over a range of generated records ([`Contacts`] or [`Profiles`]): each record is
/// rendered from the plan when it is reached, so only one is in memory at a time.
#[derive(Debug, Clone)]
pub struct RecordStream<T> {
    plan: Plan,
    next: u64,
    end: u64,
    render: fn(&Plan, u64) -> T,
}

impl<T> Iterator for RecordStream<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        (self.next < self.end).then(|| {
            self.next += 1;
            (self.render)(&self.plan, self.next - 1)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.end - self.next) as usize;
        (left, Some(left))
    }

    fn nth(&mut self, n: usize) -> Option<T> {
        self.next = self.next.saturating_add(n as u64).min(self.end);
        self.next()
    }
}

impl<T> DoubleEndedIterator for RecordStream<T> {
    fn next_back(&mut self) -> Option<T> {
        (self.next < self.end).then(|| {
            self.end -= 1;
            (self.render)(&self.plan, self.end)
        })
    }
}

impl<T> ExactSizeIterator for RecordStream<T> {}
impl<T> FusedIterator for RecordStream<T> {}

/// The answer key: which contacts and profiles belong to which person.
///
/// Persons are numbered `0..persons()`; those numbers are unrelated to the record ids.
/// Non-customers (the owners of the extra profiles) have no person number. Answers are
/// computed from the world's plan on demand (O(1) per lookup, no per-record storage), so
/// the key of a 10M-person world costs nothing until it is asked.
///
/// ```
/// use socialcrm::synth::{generate, WorldConfig};
///
/// let world = generate(&WorldConfig { persons: 300, seed: 1, ..WorldConfig::default() });
/// let truth = &world.truth;
/// // Deduplication: every pair names two records of one person.
/// for (a, b) in truth.duplicate_pairs() {
///     assert_eq!(truth.person_of_contact(&a), truth.person_of_contact(&b));
/// }
/// // Going from a person to their records and back:
/// let person = truth.person_of_contact("c0").unwrap();
/// assert!(truth.contacts_of_person(person).contains(&"c0".to_string()));
/// for profile in truth.profiles_of_person(person) {
///     assert_eq!(truth.person_of_profile(&profile), Some(person));
/// }
/// // Ids that are not in the world have no person.
/// assert_eq!(truth.person_of_contact("c999999"), None);
/// ```
#[derive(Debug, Clone)]
pub struct GroundTruth {
    plan: Plan,
}

impl GroundTruth {
    /// Number of persons (customers).
    pub fn persons(&self) -> usize {
        self.plan.n as usize
    }

    /// The person a contact id ("c17") belongs to; `None` for an id not in this world.
    pub fn person_of_contact(&self, id: &str) -> Option<u64> {
        let n = parse_id(id, 'c').filter(|&n| n < self.plan.contacts)?;
        Some(self.plan.contact_slot(self.plan.contact_ids.forward(n)).0)
    }

    /// The person a profile id ("p17") belongs to; `None` for a non-customer's profile and
    /// for an id not in this world.
    pub fn person_of_profile(&self, id: &str) -> Option<u64> {
        let n = parse_id(id, 'p').filter(|&n| n < self.plan.profiles)?;
        match self.plan.profile_slot(self.plan.profile_ids.forward(n)) {
            Owner::Customer { person, .. } => Some(person),
            Owner::Shadow(_) => None,
        }
    }

    /// The ids of a person's CRM records (one to three), sorted by id number.
    pub fn contacts_of_person(&self, person: u64) -> Vec<String> {
        if person >= self.plan.n {
            return Vec::new();
        }
        let mut ids: Vec<u64> = self
            .plan
            .contact_slots_of(person)
            .map(|s| self.plan.contact_id_of_slot(s))
            .collect();
        ids.sort_unstable();
        ids.into_iter().map(|n| id_string('c', n)).collect()
    }

    /// The ids of a person's social profiles (zero to three), sorted by id number.
    pub fn profiles_of_person(&self, person: u64) -> Vec<String> {
        if person >= self.plan.n {
            return Vec::new();
        }
        let mut ids: Vec<u64> = self
            .plan
            .profile_slots_of(person)
            .map(|s| self.plan.profile_id_of_slot(s))
            .collect();
        ids.sort_unstable();
        ids.into_iter().map(|n| id_string('p', n)).collect()
    }

    /// Every `(contact id, profile id)` pair of the same person, whatever the consent,
    /// ordered by profile id number, then contact id number. Streams, so it also serves
    /// worlds whose link list would not fit in memory.
    pub fn true_links_iter(&self) -> impl Iterator<Item = (String, String)> + '_ {
        (0..self.plan.profiles).flat_map(move |p| {
            let links: Vec<(String, String)> =
                match self.plan.profile_slot(self.plan.profile_ids.forward(p)) {
                    Owner::Customer { person, .. } => self
                        .contacts_of_person(person)
                        .into_iter()
                        .map(|c| (c, id_string('p', p)))
                        .collect(),
                    Owner::Shadow(_) => Vec::new(),
                };
            links
        })
    }

    /// [`GroundTruth::true_links_iter`] collected.
    pub fn true_links(&self) -> Vec<(String, String)> {
        self.true_links_iter().collect()
    }

    /// The true links whose contact has `social_linking` consent `Granted` in `contacts`:
    /// exactly what a consent-respecting linker can and should find. A contact id missing
    /// from `contacts` counts as not consented.
    ///
    /// A person with two CRM records may have consented in one and not in the other; only
    /// the consented record may then be linked.
    pub fn consented_true_links(&self, contacts: &[Contact]) -> Vec<(String, String)> {
        let granted: HashSet<&str> = contacts
            .iter()
            .filter(|c| c.consent.social_linking.is_granted())
            .map(|c| c.id.as_str())
            .collect();
        self.true_links_iter()
            .filter(|(c, _)| granted.contains(c.as_str()))
            .collect()
    }

    /// Every pair of CRM records of the same person (what deduplication should find), each
    /// pair with the smaller id number first, sorted by id numbers.
    pub fn duplicate_pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(u64, u64)> = Vec::new();
        for rank in 0..self.plan.dup1 {
            let person = self.plan.duplicates.inverse(rank);
            let mut ids: Vec<u64> = self
                .plan
                .contact_slots_of(person)
                .map(|s| self.plan.contact_id_of_slot(s))
                .collect();
            ids.sort_unstable();
            for i in 0..ids.len() {
                for j in i + 1..ids.len() {
                    pairs.push((ids[i], ids[j]));
                }
            }
        }
        pairs.sort_unstable();
        pairs
            .into_iter()
            .map(|(a, b)| (id_string('c', a), id_string('c', b)))
            .collect()
    }
}

#[cfg(test)]
mod tests;
