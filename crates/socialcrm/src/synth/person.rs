//! Persons and how they show up: the latent person (identity, address history, phones,
//! e-mail habits, employer, handle habit) and its renderings as CRM records and social
//! profiles.
//!
//! A person is drawn from its own keyed stream, so rendering any one record re-derives the
//! person in well under a microsecond instead of keeping millions of persons in memory.
//! Each rendering then draws its noise from the record's own stream. Probabilities marked
//! `nz(..)` are noise and scale with [`super::WorldConfig::noise`]; the others describe
//! people, not errors, and do not.

use std::fmt::Write as _;
use std::sync::OnceLock;

use super::names::{self, Given};
use super::places::{self, City};
use super::rng::{SplitMix64, Table, mix64};
use super::tail;
use super::text::{
    Umlaut, capitalize_first, cat, fold, fold_into, has_non_ascii, num, push_num, split_particles,
    transliterate, typo,
};
use super::words;
use super::{
    Country, Owner, Plan, S_COMPANY, S_CONSENT, S_CONTACT, S_IDENT, S_NAMESAKE, S_PERSON,
    S_PROFILE, S_SHADOW, S_SHADOW_COPY, S_SHADOW_IDENT, S_SHADOW_PROFILE,
};
use crate::records::{Consent, ConsentStatus, Contact, SocialProfile};

// ---------------------------------------------------------------------------------------
// Tables per country

struct Tables {
    given: [[Table; 2]; 4],
    /// The head list of common surnames followed by the composed long tail.
    surname_lists: [Vec<&'static str>; 4],
    surnames: [Table; 4],
    cities: [Table; 4],
}

/// Zipf–Mandelbrot offset for surnames over head + tail: with q = 30 the most common surname
/// gets about 0.7 % of a country's persons (real: Müller ~0.3 % of Germans, de Jong ~0.5 %
/// of the Dutch, Smith ~1 % of the British) and the 150–200 names of the head list about
/// 40 %, more than the 10–20 % real top-100 lists cover: the generator errs towards too many
/// namesakes, the harder side for a matcher. The head list alone gave the first name 3 % and
/// everyone a common name.
const SURNAME_Q: u64 = 30;

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let given = |c: Country, female: bool| Table::zipf(given_names(c, female).len(), 8);
        let per_country = |f: &dyn Fn(Country) -> Table| Country::ALL.map(f);
        let surname_lists = Country::ALL.map(|c| {
            let head = head_surnames(c);
            let mut list = head.to_vec();
            // Leaked once per process: the lists live as long as the program, like the
            // head lists, and `&'static str` keeps every user of a surname borrow-free.
            list.extend(
                tail::tail_surnames(c, head)
                    .into_iter()
                    .map(|s| &*Box::leak(s.into_boxed_str())),
            );
            list
        });
        Tables {
            given: Country::ALL.map(|c| [given(c, false), given(c, true)]),
            surnames: per_country(&|c| Table::zipf(surname_lists[c.index()].len(), SURNAME_Q)),
            surname_lists,
            cities: per_country(&|c| {
                Table::from_weights(cities(c).iter().map(|city| u64::from(city.pop)))
            }),
        }
    })
}

pub(super) fn given_names(c: Country, female: bool) -> &'static [Given] {
    match (c, female) {
        (Country::De, true) => names::DE_FEMALE,
        (Country::De, false) => names::DE_MALE,
        (Country::Nl, true) => names::NL_FEMALE,
        (Country::Nl, false) => names::NL_MALE,
        (_, true) => names::EN_FEMALE,
        (_, false) => names::EN_MALE,
    }
}

/// Every surname of `c`: the common head list, then the composed tail ([`tail`]).
pub(super) fn surnames(c: Country) -> &'static [&'static str] {
    &tables().surname_lists[c.index()]
}

/// The hand-written list of the most common surnames of `c`, most common first.
pub(super) fn head_surnames(c: Country) -> &'static [&'static str] {
    match c {
        Country::De => names::DE_SURNAMES,
        Country::Nl => names::NL_SURNAMES,
        Country::Gb => names::GB_SURNAMES,
        Country::Us => names::US_SURNAMES,
    }
}

pub(super) fn cities(c: Country) -> &'static [City] {
    match c {
        Country::De => places::DE_CITIES,
        Country::Nl => places::NL_CITIES,
        Country::Gb => places::GB_CITIES,
        Country::Us => places::US_CITIES,
    }
}

fn streets(c: Country) -> &'static [&'static str] {
    match c {
        Country::De => places::DE_STREETS,
        Country::Nl => places::NL_STREETS,
        Country::Gb => places::GB_STREETS,
        Country::Us => places::US_STREETS,
    }
}

fn freemail(c: Country) -> &'static [(&'static str, u32)] {
    match c {
        Country::De => words::DE_FREEMAIL,
        Country::Nl => words::NL_FREEMAIL,
        Country::Gb => words::GB_FREEMAIL,
        Country::Us => words::US_FREEMAIL,
    }
}

fn platforms(c: Country) -> &'static [(&'static str, u32)] {
    match c {
        Country::De => words::DE_PLATFORMS,
        Country::Nl => words::NL_PLATFORMS,
        _ => words::EN_PLATFORMS,
    }
}

fn pick_country(plan: &Plan, rng: &mut SplitMix64) -> Country {
    let w = plan.cfg.countries.weights();
    let mut x = rng.unit() * w.iter().sum::<f64>();
    for (i, &wi) in w.iter().enumerate() {
        if x < wi {
            return Country::ALL[i];
        }
        x -= wi;
    }
    // Rounding can leave x a hair above the last positive weight.
    Country::ALL[w.iter().rposition(|&wi| wi > 0.0).unwrap_or(0)]
}

// ---------------------------------------------------------------------------------------
// The latent person

const NONE16: u16 = u16::MAX;

/// Who someone is by name and home town; what namesakes share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Identity {
    pub country: Country,
    pub female: bool,
    pub given: u16,
    /// Second given name ("Anna-Lena", "Jan Willem"), `NONE16` if none.
    pub given2: u16,
    pub hyphen: bool,
    pub surname: u16,
    pub city: u16,
}

fn draw_identity(plan: &Plan, rng: &mut SplitMix64) -> Identity {
    let t = tables();
    let country = pick_country(plan, rng);
    let ci = country.index();
    let female = rng.chance(0.5);
    let given = t.given[ci][usize::from(female)].sample(rng) as u16;
    // Double given names are common in German and Dutch, rare in English records (where
    // middle names exist but CRMs seldom hold them).
    let double = match country {
        Country::De => 0.08,
        Country::Nl => 0.07,
        _ => 0.02,
    };
    let mut given2 = NONE16;
    if rng.chance(double) {
        let g2 = rng.below(30) as u16;
        if g2 != given {
            given2 = g2;
        }
    }
    // German doubles are mostly hyphenated (Anna-Lena), Dutch mostly not (Jan Willem).
    let hyphen = rng.chance(match country {
        Country::De => 0.75,
        Country::Nl => 0.15,
        _ => 0.5,
    });
    let surname = t.surnames[ci].sample(rng) as u16;
    let city = t.cities[ci].sample(rng) as u16;
    Identity {
        country,
        female,
        given,
        given2,
        hyphen,
        surname,
        city,
    }
}

fn own_identity(plan: &Plan, person: u64) -> Identity {
    draw_identity(
        plan,
        &mut SplitMix64::keyed(plan.cfg.seed, S_IDENT, person, 0),
    )
}

fn is_namesake_copier(plan: &Plan, person: u64) -> bool {
    SplitMix64::keyed(plan.cfg.seed, S_NAMESAKE, person, 0).chance(plan.cfg.namesake_rate)
}

/// The person whose name and city `person` deliberately shares, if any. Targets are never
/// copiers themselves, so every deliberate namesake pair is exact.
pub(super) fn namesake_target(plan: &Plan, person: u64) -> Option<u64> {
    let mut rng = SplitMix64::keyed(plan.cfg.seed, S_NAMESAKE, person, 0);
    if !rng.chance(plan.cfg.namesake_rate) {
        return None;
    }
    let target = rng.below(plan.n);
    (target != person && !is_namesake_copier(plan, target)).then_some(target)
}

pub(super) fn customer_identity(plan: &Plan, person: u64) -> Identity {
    own_identity(plan, namesake_target(plan, person).unwrap_or(person))
}

/// Non-customers: a twentieth copy a customer's full name and city (the hardest false
/// positive there is), a further 35 % a customer's surname and city, the rest are anyone.
pub(super) fn shadow_identity(plan: &Plan, k: u64) -> Identity {
    let mut rng = SplitMix64::keyed(plan.cfg.seed, S_SHADOW_IDENT, k, 0);
    let own = draw_identity(
        plan,
        &mut SplitMix64::keyed(plan.cfg.seed, S_SHADOW_COPY, k, 0),
    );
    if plan.n == 0 {
        return own;
    }
    let roll = rng.unit();
    let customer = rng.below(plan.n);
    if roll < 0.05 {
        customer_identity(plan, customer)
    } else if roll < 0.40 {
        let mut id = customer_identity(plan, customer);
        id.female = rng.chance(0.5);
        id.given =
            tables().given[id.country.index()][usize::from(id.female)].sample(&mut rng) as u16;
        id.given2 = NONE16;
        id
    } else {
        own
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Address {
    pub city: u16,
    street: u16,
    house: u16,
    /// DE: a letter; NL: "A", "-2", " hs"; GB: flat number; US: apartment.
    extra: u8,
    pc: u32,
}

#[derive(Debug, Clone, Copy)]
struct Phone {
    /// National prefix: "0151", "030", "06", "020", "07", "0161"; US area code "212".
    prefix: &'static str,
    digits: u64,
    len: u8,
}

#[derive(Debug, Clone, Copy)]
struct Email {
    pattern: u8,
    /// Index into the country's free-mail list, or `u8::MAX` for the employer's domain.
    domain: u8,
    /// Digits appended (0 = none): "thomas.mueller72".
    digits: u16,
    umlaut: Umlaut,
    first_only: bool,
    /// Handle word for the "nickname" pattern when the person has no nickname.
    word: u16,
}

const WORK: u8 = u8::MAX;

#[derive(Debug, Clone, Copy)]
struct Handle {
    habit: u8,
    digits: u16,
    umlaut: Umlaut,
    word: u16,
}

/// The core of a person: who they are, where they live and work. How to reach them and
/// their social-media habits are drawn from separate streams ([`Person::reach`],
/// [`Person::social`]) so that a record pays only for the parts it shows.
#[derive(Debug, Clone, Copy)]
pub(super) struct Person {
    pub id: Identity,
    /// The keyed stream the person is drawn from: (purpose, index).
    key: (u64, u64),
    title: &'static str,
    birth: (u16, u8, u8),
    pub home: Address,
    pub previous: Option<Address>,
    employer: Option<u32>,
    job: u8,
}

/// Phones and e-mail addresses.
#[derive(Debug, Clone, Copy)]
struct Reach {
    mobile: Option<Phone>,
    landline: Option<Phone>,
    email: Email,
    email2: Email,
    work_email: Option<Email>,
}

/// Social-media habits.
#[derive(Debug, Clone, Copy)]
struct Social {
    handle: Handle,
    platforms: [&'static str; 3],
    uses_emoji: bool,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn draw_address(c: Country, city: u16, rng: &mut SplitMix64) -> Address {
    let u = rng.unit();
    let house = match c {
        // Most addresses have small numbers; a few long roads reach the hundreds.
        Country::Us => 100 + (u * u * 9_800.0) as u16,
        _ => 1 + (u * u * 160.0) as u16,
    };
    let extra_p = match c {
        Country::De => 0.06,
        Country::Nl => 0.12,
        Country::Gb => 0.1,
        Country::Us => 0.12,
    };
    let extra = if rng.chance(extra_p) {
        1 + rng.below(20) as u8
    } else {
        0
    };
    Address {
        city,
        street: rng.below(streets(c).len() as u64) as u16,
        house,
        extra,
        pc: rng.next_u64() as u32,
    }
}

fn draw_digits(len: u8, rng: &mut SplitMix64) -> u64 {
    // Subscriber numbers start with 2-9 (0 and 1 are prefixes and service numbers).
    let lo = 2 * 10u64.pow(u32::from(len) - 1);
    rng.range(lo, 10u64.pow(u32::from(len)) - 1)
}

fn draw_phone(c: Country, city: &City, mobile: bool, rng: &mut SplitMix64) -> Phone {
    let (prefix, len): (&'static str, u8) = match (c, mobile) {
        (Country::De, true) => {
            let p = *rng.pick(words::DE_MOBILE);
            // 015x numbers have 8 digits after the prefix, 016x/017x mostly 7.
            (
                match p {
                    "151" => "0151",
                    "152" => "0152",
                    "157" => "0157",
                    "159" => "0159",
                    "160" => "0160",
                    "162" => "0162",
                    "163" => "0163",
                    "170" => "0170",
                    "171" => "0171",
                    "172" => "0172",
                    "173" => "0173",
                    "174" => "0174",
                    "175" => "0175",
                    "176" => "0176",
                    "177" => "0177",
                    "178" => "0178",
                    _ => "0179",
                },
                if p.starts_with("15") { 8 } else { 7 },
            )
        }
        (Country::De, false) => (city.dial, (11 - city.dial.len()).clamp(5, 8) as u8),
        (Country::Nl, true) => ("06", 8),
        (Country::Nl, false) => (city.dial, (10 - city.dial.len()) as u8),
        (Country::Gb, true) => ("07", 9),
        (Country::Gb, false) => (city.dial, (11 - city.dial.len()) as u8),
        (Country::Us, _) => (city.dial, 7),
    };
    Phone {
        prefix,
        digits: draw_digits(len, rng),
        len,
    }
}

fn is_common_name(id: &Identity) -> bool {
    id.given < 15 && id.surname < 25
}

fn draw_email(c: Country, id: &Identity, birth_year: u16, rng: &mut SplitMix64) -> Email {
    // first.last 28, firstlast 10, flast 10, f.last 8, first_last 5, first.last82 9,
    // last.first 5, first1982 5, nick 8, last+digits 5, first.l 3, first_last82 4
    const PATTERNS: &[(u8, u32)] = &[
        (0, 28),
        (1, 10),
        (2, 10),
        (3, 8),
        (4, 5),
        (5, 9),
        (6, 5),
        (7, 5),
        (8, 8),
        (9, 5),
        (10, 3),
        (11, 4),
    ];
    let pattern = *rng.weighted(PATTERNS);
    let list = freemail(c);
    let domain = {
        let total: u64 = list.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut x = rng.below(total);
        let mut i = 0;
        while x >= u64::from(list[i].1) {
            x -= u64::from(list[i].1);
            i += 1;
        }
        i as u8
    };
    // A taken address makes people add digits; for common names the bare one is taken.
    let bare_has_digits = rng.chance(if is_common_name(id) { 0.6 } else { 0.25 });
    let digits = match pattern {
        5 | 11 => birth_year % 100 + 100, // +100 marks "two digits, zero-padded"
        7 => birth_year,
        9 | 8 => rng.range(1, 99) as u16,
        _ if bare_has_digits => {
            if rng.chance(0.5) {
                birth_year % 100 + 100
            } else {
                rng.range(1, 999) as u16
            }
        }
        _ => 0,
    };
    Email {
        pattern,
        domain,
        digits,
        umlaut: if rng.chance(0.8) {
            Umlaut::Expand
        } else {
            Umlaut::Strip
        },
        first_only: rng.chance(0.6),
        word: rng.below(words::HANDLE_WORDS.len() as u64) as u16,
    }
}

fn draw_handle(birth_year: u16, rng: &mut SplitMix64) -> Handle {
    // Habit weights (see `handle_text`): name-based habits dominate, 15 % unrelated words.
    const HABITS: &[(u8, u32)] = &[
        (0, 14),
        (1, 12),
        (2, 8),
        (3, 10),
        (4, 5),
        (5, 6),
        (6, 6),
        (7, 3),
        (8, 6),
        (9, 8),
        (10, 4),
        (11, 15),
        (12, 3),
    ];
    let habit = *rng.weighted(HABITS);
    let r = rng.unit();
    let digits = if r < 0.5 {
        birth_year % 100 + 100
    } else if r < 0.8 {
        rng.range(1, 999) as u16
    } else {
        rng.range(10, 99) as u16
    };
    Handle {
        habit,
        digits,
        umlaut: if rng.chance(0.75) {
            Umlaut::Expand
        } else {
            Umlaut::Strip
        },
        word: rng.below(words::HANDLE_WORDS.len() as u64) as u16,
    }
}

fn draw_person(plan: &Plan, id: Identity, key: (u64, u64)) -> Person {
    let rng = &mut SplitMix64::keyed(plan.cfg.seed, key.0, key.1, 0);
    let c = id.country;
    let year = 1940 + ((rng.below(67) + rng.below(67)) / 2) as u16;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(u64::from(days_in_month(year, month))) as u8;
    let title_roll = rng.unit();
    let title = if year > 1985 {
        ""
    } else {
        match c {
            Country::De if title_roll < 0.005 => "Prof. Dr.",
            Country::De if title_roll < 0.035 => "Dr.",
            Country::Nl if title_roll < 0.015 => "dr.",
            Country::Nl if title_roll < 0.03 => "ir.",
            Country::Nl if title_roll < 0.04 => "drs.",
            Country::Nl if title_roll < 0.05 => "mr.",
            Country::Gb if title_roll < 0.02 => "Dr",
            Country::Us if title_roll < 0.02 => "Dr.",
            _ => "",
        }
    };
    let home = draw_address(c, id.city, rng);
    // A fifth of people moved recently: the CRM may still hold the old address, profiles
    // show where they live now. Most moved to another town, some within theirs.
    let previous = if rng.chance(0.2) {
        let city = if rng.chance(0.7) {
            tables().cities[c.index()].sample(rng) as u16
        } else {
            id.city
        };
        Some(draw_address(c, city, rng))
    } else {
        None
    };
    let employer = rng.chance(0.65).then(|| rng.skewed(plan.companies) as u32);
    let job = rng.below(14) as u8;
    Person {
        id,
        key,
        title,
        birth: (year, month, day),
        home,
        previous,
        employer,
        job,
    }
}

impl Person {
    fn reach(&self, plan: &Plan) -> Reach {
        let rng = &mut SplitMix64::keyed(plan.cfg.seed, self.key.0, self.key.1, 1);
        let c = self.id.country;
        let city = self.city_of(&self.home);
        let mobile = rng.chance(0.88).then(|| draw_phone(c, city, true, rng));
        let landline = rng.chance(0.4).then(|| draw_phone(c, city, false, rng));
        let email = draw_email(c, &self.id, self.birth.0, rng);
        let email2 = draw_email(c, &self.id, self.birth.0, rng);
        let work_email = self.employer.map(|_| {
            let pattern = *rng.weighted(&[(0u8, 50u32), (3, 20), (2, 10), (12, 10), (10, 10)]);
            Email {
                pattern,
                domain: WORK,
                digits: 0,
                umlaut: Umlaut::Expand,
                first_only: true,
                word: 0,
            }
        });
        Reach {
            mobile,
            landline,
            email,
            email2,
            work_email,
        }
    }

    fn social(&self, plan: &Plan) -> Social {
        let rng = &mut SplitMix64::keyed(plan.cfg.seed, self.key.0, self.key.1, 2);
        let handle = draw_handle(self.birth.0, rng);
        let list = platforms(self.id.country);
        let first = *rng.weighted(list);
        let mut second = first;
        let mut third = first;
        // Rejection sampling for distinct platforms: bounded, and deterministic either way.
        for _ in 0..32 {
            if second != first {
                break;
            }
            second = *rng.weighted(list);
        }
        for _ in 0..32 {
            if third != first && third != second {
                break;
            }
            third = *rng.weighted(list);
        }
        Social {
            handle,
            platforms: [first, second, third],
            uses_emoji: rng.chance(0.25),
        }
    }
}

/// Customer `person` as the latent truth.
pub(super) fn customer(plan: &Plan, person: u64) -> Person {
    draw_person(plan, customer_identity(plan, person), (S_PERSON, person))
}

/// Non-customer `k` as the latent truth.
pub(super) fn shadow(plan: &Plan, k: u64) -> Person {
    draw_person(plan, shadow_identity(plan, k), (S_SHADOW, k))
}

// ---------------------------------------------------------------------------------------
// Name parts

impl Person {
    fn country(&self) -> Country {
        self.id.country
    }

    fn given_entry(&self) -> Given {
        given_names(self.id.country, self.id.female)[usize::from(self.id.given)]
    }

    /// The first given name only: "Anna" of "Anna-Lena".
    fn given_first(&self) -> &'static str {
        self.given_entry().0
    }

    /// All given names: "Anna-Lena", "Jan Willem".
    fn given_full(&self) -> String {
        let first = self.given_first();
        if self.id.given2 == NONE16 {
            return first.to_owned();
        }
        let second = given_names(self.id.country, self.id.female)[usize::from(self.id.given2)].0;
        let sep = if self.id.hyphen { "-" } else { " " };
        cat(&[first, sep, second])
    }

    fn nickname(&self) -> &'static str {
        self.given_entry().1
    }

    pub(super) fn surname(&self) -> &'static str {
        surnames(self.id.country)[usize::from(self.id.surname)]
    }

    pub(super) fn city_of(&self, a: &Address) -> &'static City {
        &cities(self.id.country)[usize::from(a.city)]
    }

    #[cfg(test)]
    pub(super) fn canonical_name(&self) -> (String, &'static str) {
        (self.given_full(), self.surname())
    }
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or('x')
}

fn push_digits(out: &mut String, digits: u16) {
    // Values >= 100 written as year-in-century mean "two digits, zero-padded" (e.g. 105 →
    // "05"); see draw_email / draw_handle.
    if (100..200).contains(&digits) {
        push_num(out, u64::from(digits - 100), 2);
    } else if digits > 0 {
        push_num(out, u64::from(digits), 0);
    }
}

/// Surname words folded separately: "van der Berg" → ["van", "der", "berg"].
fn surname_tokens(surname: &str, umlaut: Umlaut) -> Vec<String> {
    surname
        .split([' ', '-'])
        .map(|w| fold(w, umlaut))
        .filter(|w| !w.is_empty())
        .collect()
}

impl Person {
    /// Appends the folded given name(s): "annalena" (`full`) or "anna".
    fn fold_given(&self, out: &mut String, full: bool, umlaut: Umlaut) {
        fold_into(out, self.given_first(), umlaut);
        if full && self.id.given2 != NONE16 {
            let second = given_names(self.id.country, self.id.female)[usize::from(self.id.given2)];
            fold_into(out, second.0, umlaut);
        }
    }
}

/// The first character [`fold_into`] would produce: the initial in handles and addresses.
fn fold_initial(s: &str) -> char {
    let mut buf = String::with_capacity(4);
    for c in s.chars() {
        fold_into(&mut buf, c.encode_utf8(&mut [0; 4]), Umlaut::Expand);
        if let Some(first) = buf.chars().next() {
            return first;
        }
    }
    'x'
}

// Building the local part in one buffer (no temporary strings per name part) matters:
// addresses are rendered for most of the millions of records of a scale test.
fn email_local(p: &Person, e: &Email) -> String {
    let u = e.umlaut;
    let surname = p.surname();
    let core = split_particles(surname).1;
    let gi = fold_initial(p.given_first());
    let mut out = String::with_capacity(32);
    let given = |out: &mut String| p.fold_given(out, !e.first_only, u);
    match e.pattern {
        0 | 5 | 3 | 10 => {
            if e.pattern == 3 {
                out.push(gi);
            } else {
                given(&mut out);
            }
            out.push('.');
            if e.pattern == 10 {
                out.push(fold_initial(core));
            } else {
                fold_into(&mut out, surname, u);
            }
        }
        1 | 4 | 11 => {
            given(&mut out);
            if e.pattern != 1 {
                out.push('_');
            }
            fold_into(&mut out, surname, u);
        }
        2 => {
            out.push(gi);
            fold_into(&mut out, surname, u);
        }
        6 => {
            fold_into(&mut out, surname, u);
            out.push('.');
            given(&mut out);
        }
        8 => {
            let nick = p.nickname();
            if nick.is_empty() {
                out.push_str(words::HANDLE_WORDS[usize::from(e.word)]);
            } else {
                fold_into(&mut out, nick, u);
                out.push('.');
                out.push(fold_initial(core));
            }
        }
        9 => fold_into(&mut out, surname, u),
        _ => given(&mut out), // 7 (with year digits) and 12 (first name only, at work)
    }
    push_digits(&mut out, e.digits);
    out
}

fn email_address(p: &Person, e: &Email, company: Option<&Company>) -> Option<String> {
    let mut local = email_local(p, e);
    if e.domain == WORK {
        let company = company?;
        local.push('@');
        local.push_str(&company.domain);
    } else {
        local.push('@');
        local.push_str(freemail(p.country())[usize::from(e.domain)].0);
    }
    Some(local)
}

// ---------------------------------------------------------------------------------------
// Companies

pub(super) struct Company {
    pub name: String,
    /// The name without its legal form: how people mention it in bios ("Bakker Transport").
    pub short: String,
    pub domain: String,
}

fn company(plan: &Plan, c: Country, idx: u32) -> Company {
    let mut rng = SplitMix64::keyed(plan.cfg.seed, S_COMPANY, c.index() as u64, u64::from(idx));
    let (industry, brand, forms): (&[&str], &[&str], &[(&str, u32)]) = match c {
        Country::De => (words::DE_INDUSTRY, words::DE_BRAND, words::DE_FORMS),
        Country::Nl => (words::NL_INDUSTRY, words::NL_BRAND, words::NL_FORMS),
        Country::Gb => (words::EN_INDUSTRY, words::GB_BRAND, words::GB_FORMS),
        Country::Us => (words::EN_INDUSTRY, words::US_BRAND, words::US_FORMS),
    };
    let s1 = surnames(c)[tables().surnames[c.index()].sample(&mut rng)];
    let s2 = surnames(c)[tables().surnames[c.index()].sample(&mut rng)];
    // Company names use the capitalised particle: "Van Dijk Bouw", "De Vries Advies".
    let s1 = capitalize_first(s1);
    let s2 = capitalize_first(s2);
    let ind = *rng.pick(industry);
    let br = *rng.pick(brand);
    let short = match rng.below(100) {
        0..45 => format!("{s1} {ind}"),
        45..70 => format!("{br} {ind}"),
        70..80 => format!("{s1} & {s2}"),
        80..90 if c == Country::Gb && rng.chance(0.4) => format!("{s1} & Sons"),
        80..90 => s1.clone(),
        _ => br.to_owned(),
    };
    let form = *rng.weighted(forms);
    let name = if form.is_empty() {
        short.clone()
    } else {
        format!("{short} {form}")
    };
    let hyphens = rng.chance(0.5);
    let mut domain = String::with_capacity(short.len() + 8);
    for (i, w) in short.split(' ').filter(|w| *w != "&").enumerate() {
        if i > 0 && hyphens {
            domain.push('-');
        }
        fold_into(&mut domain, w, Umlaut::Expand);
    }
    domain.push_str(match c {
        Country::De => ".de",
        Country::Nl => ".nl",
        Country::Gb if rng.chance(0.7) => ".co.uk",
        _ => ".com",
    });
    Company {
        name,
        short,
        domain,
    }
}

/// A person's employer, built on first use: most records never show it.
struct Employer<'a> {
    plan: &'a Plan,
    person: &'a Person,
    cache: Option<Option<Company>>,
}

impl<'a> Employer<'a> {
    fn new(plan: &'a Plan, person: &'a Person) -> Self {
        Employer {
            plan,
            person,
            cache: None,
        }
    }

    fn get(&mut self) -> Option<&Company> {
        let (plan, p) = (self.plan, self.person);
        self.cache
            .get_or_insert_with(|| p.employer.map(|e| company(plan, p.country(), e)))
            .as_ref()
    }
}

// ---------------------------------------------------------------------------------------
// Addresses and phones as text

fn abbreviate_street(c: Country, street: &str) -> String {
    match c {
        Country::De => street.replace("straße", "str.").replace("Straße", "Str."),
        Country::Nl => street.replace("straat", "str."),
        _ => {
            let mut s = street.to_owned();
            for (long, short) in [
                (" Street", " St"),
                (" Avenue", " Ave"),
                (" Road", " Rd"),
                (" Drive", " Dr"),
                (" Lane", " Ln"),
                (" Boulevard", " Blvd"),
                (" Court", " Ct"),
            ] {
                if let Some(stem) = s.strip_suffix(long) {
                    s = format!("{stem}{short}");
                    break;
                }
            }
            s
        }
    }
}

fn street_line(c: Country, a: &Address, abbreviate: bool) -> String {
    let name = streets(c)[usize::from(a.street)];
    let name = if abbreviate {
        abbreviate_street(c, name)
    } else {
        name.to_owned()
    };
    let h = num(u64::from(a.house), 0);
    let h = h.as_str();
    let x = a.extra;
    match c {
        Country::De if x > 0 => cat(&[&name, " ", h, ["a", "b", "c"][usize::from(x % 3)]]),
        Country::Nl if (1..=7).contains(&x) => {
            cat(&[&name, " ", h, ["A", "B", "C", "D"][usize::from(x % 4)]])
        }
        Country::Nl if (8..=14).contains(&x) => {
            cat(&[&name, " ", h, ["-1", "-2", "-3"][usize::from(x % 3)]])
        }
        Country::Nl if x > 14 => cat(&[&name, " ", h, " hs"]),
        Country::Gb if x > 0 => cat(&["Flat ", &num(u64::from(x), 0), ", ", h, " ", &name]),
        Country::Us if x > 0 => cat(&[
            h,
            " ",
            &name,
            " Apt ",
            &num(u64::from(x % 9 + 1), 0),
            ["A", "B", "C", "D"][usize::from(x % 4)],
        ]),
        Country::Gb | Country::Us => cat(&[h, " ", &name]),
        Country::De | Country::Nl => cat(&[&name, " ", h]),
    }
}

const NL_LETTERS: &[u8] = b"ABCEGHJKLMNPRSTVWXZ";
const GB_INWARD: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

fn postcode(c: Country, city: &City, a: &Address) -> String {
    let h = mix64(u64::from(a.pc));
    let span = u64::from(city.hi - city.lo + 1);
    let number = u64::from(city.lo) + h % span;
    match c {
        Country::De | Country::Us => num(number, 5),
        Country::Nl => {
            let l1 = NL_LETTERS[((h >> 20) % NL_LETTERS.len() as u64) as usize];
            let mut l2 = NL_LETTERS[((h >> 28) % NL_LETTERS.len() as u64) as usize];
            // SA, SD and SS are not issued in the Netherlands.
            if l1 == b'S' && matches!(l2, b'A' | b'D' | b'S') {
                l2 = b'B';
            }
            let mut pc = num(number, 4);
            pc.push(' ');
            pc.push(char::from(l1));
            pc.push(char::from(l2));
            pc
        }
        Country::Gb => {
            let count = city.areas.split('|').count() as u64;
            let area = city
                .areas
                .split('|')
                .nth(((h >> 16) % count) as usize)
                .unwrap_or("");
            let district = u64::from(city.lo) + (h >> 24) % span;
            let inward = |shift: u32| GB_INWARD[((h >> shift) % GB_INWARD.len() as u64) as usize];
            let mut pc = String::with_capacity(8);
            pc.push_str(area);
            push_num(&mut pc, district, 0);
            pc.push(' ');
            push_num(&mut pc, (h >> 32) % 10, 0);
            pc.push(char::from(inward(40)));
            pc.push(char::from(inward(48)));
            pc
        }
    }
}

fn phone_text(c: Country, ph: &Phone, style: u64) -> String {
    let d = num(ph.digits, usize::from(ph.len));
    let d = d.as_str();
    let p = ph.prefix;
    let p0 = p.strip_prefix('0').unwrap_or(p);
    match c {
        Country::Us => {
            let (x, l) = d.split_at(3);
            match style {
                0 => cat(&["(", p, ") ", x, "-", l]),
                1 => cat(&[p, "-", x, "-", l]),
                2 => cat(&[p, ".", x, ".", l]),
                3 => cat(&["+1 ", p, " ", x, " ", l]),
                4 => cat(&[p, x, l]),
                _ => cat(&["+1 (", p, ") ", x, "-", l]),
            }
        }
        Country::Gb => {
            // GB's own grouping: 020 xxxx xxxx, 01x1 xxx xxxx, else 5 + 6.
            let national = cat(&[p, d]);
            let n = national.as_str();
            let grouped = if n.starts_with("02") {
                cat(&[&n[..3], " ", &n[3..7], " ", &n[7..]])
            } else if n.as_bytes().get(3) == Some(&b'1') || n.as_bytes().get(2) == Some(&b'1') {
                cat(&[&n[..4], " ", &n[4..7], " ", &n[7..]])
            } else {
                cat(&[&n[..5], " ", &n[5..]])
            };
            match style {
                0 | 5 => grouped,
                1 => national,
                2 => cat(&["+44 ", &grouped[1..]]),
                3 => cat(&["+44", &n[1..]]),
                _ => cat(&["+44 (0)", &grouped[1..]]),
            }
        }
        _ => {
            let (cc, sep) = if c == Country::De {
                ("+49", "/")
            } else {
                ("+31", "-")
            };
            let (a, b) = d.split_at(d.len() / 2);
            match style {
                0 => cat(&[p, " ", d]),
                1 => cat(&[p, sep, d]),
                2 => cat(&[p, d]),
                3 => cat(&[cc, " ", p0, " ", d]),
                4 => cat(&[cc, p0, d]),
                _ => cat(&[cc, " ", p0, " ", a, " ", b]),
            }
        }
    }
}

/// Commonly used shorter or alternative city names: what people type in forms.
fn city_alias(name: &str) -> Option<&'static str> {
    Some(match name {
        "Frankfurt am Main" => "Frankfurt",
        "Halle (Saale)" => "Halle",
        "Freiburg im Breisgau" => "Freiburg",
        "Ludwigshafen am Rhein" => "Ludwigshafen",
        "Bad Homburg vor der Höhe" => "Bad Homburg",
        "Newcastle upon Tyne" => "Newcastle",
        "'s-Hertogenbosch" => "Den Bosch",
        "Den Haag" => "'s-Gravenhage",
        "Hull" => "Kingston upon Hull",
        "New York" => "New York City",
        "St. Louis" => "Saint Louis",
        _ => return None,
    })
}

/// English exonyms that international profiles use ("Cologne, Germany").
fn city_exonym(name: &str) -> Option<&'static str> {
    Some(match name {
        "Köln" => "Cologne",
        "München" => "Munich",
        "Nürnberg" => "Nuremberg",
        "Hannover" => "Hanover",
        "Braunschweig" => "Brunswick",
        "Den Haag" => "The Hague",
        "New York" => "NYC",
        _ => return None,
    })
}

fn birth_text(c: Country, (y, m, d): (u16, u8, u8), iso: bool) -> String {
    let (y, m, d) = (u64::from(y), u64::from(m), u64::from(d));
    let mut out = String::with_capacity(10);
    // (first, second, separator): ISO is year-month-day, the rest put the year last.
    let (a, b, sep) = match c {
        _ if iso => {
            push_num(&mut out, y, 4);
            for part in [m, d] {
                out.push('-');
                push_num(&mut out, part, 2);
            }
            return out;
        }
        Country::De => (d, m, '.'),
        Country::Nl => (d, m, '-'),
        Country::Gb => (d, m, '/'),
        // US month-first: ambiguous with GB for days <= 12; the country field decides.
        Country::Us => (m, d, '/'),
    };
    push_num(&mut out, a, 2);
    out.push(sep);
    push_num(&mut out, b, 2);
    out.push(sep);
    push_num(&mut out, y, 4);
    out
}

// ---------------------------------------------------------------------------------------
// Consent

fn draw_consent(rate: f64, rng: &mut SplitMix64) -> ConsentStatus {
    if rng.chance(rate) {
        ConsentStatus::Granted
    } else if rng.chance(1.0 / 3.0) {
        ConsentStatus::Withdrawn
    } else {
        ConsentStatus::Absent
    }
}

/// Consent of a person's `k`-th record. Extra records mostly agree with the first (70 %),
/// otherwise they were captured at another time and say something else; the marginal
/// rate stays `consent_rate` either way.
pub(super) fn consent(plan: &Plan, person: u64, k: u8) -> ConsentStatus {
    let rate = plan.cfg.consent_rate;
    let first = || {
        draw_consent(
            rate,
            &mut SplitMix64::keyed(plan.cfg.seed, S_CONSENT, person, 0),
        )
    };
    if k == 0 {
        return first();
    }
    let mut rng = SplitMix64::keyed(plan.cfg.seed, S_CONSENT, person, u64::from(k));
    if rng.chance(0.7) {
        first()
    } else {
        draw_consent(rate, &mut rng)
    }
}

// ---------------------------------------------------------------------------------------
// CRM records

pub(super) fn render_contact(plan: &Plan, person_no: u64, k: u8, id: String) -> Contact {
    let p = customer(plan, person_no);
    let mut rng = SplitMix64::keyed(plan.cfg.seed, S_CONTACT, person_no, u64::from(k));
    let noise = plan.cfg.noise;
    let nz = |x: f64| (x * noise).min(1.0);
    // The first record is the curated one; extra records were typed in later, by someone
    // else, from a phone call or a web form, and are noisier in every field.
    let dup = k > 0;
    let pick = |first: f64, extra: f64| nz(if dup { extra } else { first });
    let c = p.country();
    let german_keys = c == Country::De;

    // Names
    let nick = p.nickname();
    let mut first = if dup && !nick.is_empty() && rng.chance(nz(0.15)) {
        nick.to_owned()
    } else if p.id.given2 != NONE16 && rng.chance(pick(0.05, 0.25)) {
        p.given_first().to_owned()
    } else {
        p.given_full()
    };
    if rng.chance(pick(0.0, 0.05)) {
        first = format!("{}.", first_char(&first));
    }
    if !p.title.is_empty() && rng.chance(0.5) {
        first = format!("{} {first}", p.title);
    }
    let surname = p.surname();
    let (particle, core) = split_particles(surname);
    let mut last = surname.to_owned();
    if !particle.is_empty() {
        let r = rng.unit();
        if r < pick(0.1, 0.2) {
            last = capitalize_first(surname);
        } else if r < pick(0.12, 0.24) {
            last = format!("{core}, {particle}");
        }
    }
    if has_non_ascii(&last) && rng.chance(pick(0.06, 0.15)) {
        last = transliterate(&last);
    }
    if rng.chance(pick(0.03, 0.25)) {
        if rng.chance(0.5) {
            last = typo(&last, german_keys, &mut rng);
        } else {
            first = typo(&first, german_keys, &mut rng);
        }
    }
    if rng.chance(nz(0.02)) {
        last = last.to_uppercase();
    }
    if rng.chance(pick(0.01, 0.03)) {
        std::mem::swap(&mut first, &mut last);
    }
    let first_name = (!rng.chance(pick(0.01, 0.04))).then_some(first);
    let last_name = (!rng.chance(pick(0.005, 0.01))).then_some(last);

    // E-mail
    let reach = p.reach(plan);
    let mut company = Employer::new(plan, &p);
    let mut emails = Vec::new();
    if !rng.chance(pick(0.08, 0.2)) {
        let r = rng.unit();
        let main = if dup {
            if r < 0.55 {
                reach.email
            } else if r < 0.8 {
                reach.email2
            } else {
                reach.work_email.unwrap_or(reach.email2)
            }
        } else if r < 0.85 {
            reach.email
        } else {
            reach.work_email.unwrap_or(reach.email)
        };
        emails.extend(email_address(&p, &main, company.get()));
        if rng.chance(0.15) {
            let other = reach
                .work_email
                .filter(|w| w.domain != main.domain)
                .unwrap_or(reach.email2);
            if let Some(e) = email_address(&p, &other, company.get()) {
                if !emails.contains(&e) {
                    emails.push(e);
                }
            }
        }
        if rng.chance(nz(0.02)) {
            if let Some(e) = emails.first_mut() {
                *e = e.to_uppercase();
            }
        }
    }

    // Phones: each record formats numbers its own way, as whoever typed them did.
    let mut phones = Vec::new();
    let style = |rng: &mut SplitMix64| if rng.chance(0.5) { 0 } else { rng.below(6) };
    if let Some(m) = reach.mobile {
        if !rng.chance(pick(0.15, 0.35)) {
            let s = style(&mut rng);
            phones.push(phone_text(c, &m, s));
        }
    }
    if let Some(l) = reach.landline {
        if rng.chance(0.6) {
            let s = style(&mut rng);
            let text = phone_text(c, &l, s);
            if rng.chance(0.5) {
                phones.insert(0, text);
            } else {
                phones.push(text);
            }
        }
    }

    // Address: a moved person's record may still show the old one.
    let addr = match p.previous {
        Some(prev) if rng.chance(if dup { 0.5 } else { 0.4 }) => prev,
        _ => p.home,
    };
    let city = p.city_of(&addr);
    let street = (!rng.chance(pick(0.08, 0.2))).then(|| {
        let abbreviate = if c == Country::Us {
            rng.chance(0.75)
        } else {
            rng.chance(pick(0.1, 0.35))
        };
        let mut s = street_line(c, &addr, abbreviate);
        if c == Country::De && !abbreviate && rng.chance(nz(0.05)) {
            s = s.replace('ß', "ss");
        }
        if rng.chance(pick(0.02, 0.08)) {
            s = typo(&s, german_keys, &mut rng);
        }
        s
    });
    let postcode_text = (!rng.chance(pick(0.06, 0.15))).then(|| {
        let mut pc = postcode(c, city, &addr);
        let r = rng.unit();
        // Spreadsheets eat the leading zero of German and US postcodes ("01067" → "1067").
        if matches!(c, Country::De | Country::Us) && pc.starts_with('0') && r < nz(0.3) {
            pc.remove(0);
        } else if c == Country::Nl && r < nz(0.15) {
            pc.retain(|ch| ch != ' ');
        } else if c == Country::Gb && r < nz(0.05) {
            pc.retain(|ch| ch != ' ');
        }
        pc
    });
    let city_text = (!rng.chance(pick(0.03, 0.1))).then(|| {
        // Cumulative thresholds: alias (a habit, not noise), then the noisy variants.
        let alias = city_alias(city.name).map_or(0.0, |_| 0.25);
        let translit = alias
            + if has_non_ascii(city.name) {
                nz(0.04)
            } else {
                0.0
            };
        let typoed = translit + pick(0.01, 0.04);
        let upper = typoed + nz(0.01);
        let r = rng.unit();
        if r < alias {
            city_alias(city.name).unwrap_or(city.name).to_owned()
        } else if r < translit {
            transliterate(city.name)
        } else if r < typoed {
            typo(city.name, german_keys, &mut rng)
        } else if r < upper {
            city.name.to_uppercase()
        } else {
            city.name.to_owned()
        }
    });
    let country = (!rng.chance(pick(0.05, 0.15))).then(|| {
        if c == Country::Gb && rng.chance(nz(0.1)) {
            "UK".to_owned()
        } else {
            c.code().to_owned()
        }
    });
    let company_name = if p.employer.is_some() && rng.chance(if dup { 0.35 } else { 0.55 }) {
        let short = rng.chance(0.25);
        company.get().map(|co| {
            if short {
                co.short.clone()
            } else {
                co.name.clone()
            }
        })
    } else {
        None
    };
    let birth_date = rng.chance(if dup { 0.45 } else { 0.6 }).then(|| {
        let mut b = p.birth;
        if dup && b.2 <= 12 && rng.chance(nz(0.03)) {
            (b.1, b.2) = (b.2, b.1); // day and month swapped on entry
        }
        birth_text(c, b, rng.chance(0.55))
    });

    Contact {
        id,
        first_name,
        last_name,
        emails,
        phones,
        street,
        postcode: postcode_text,
        city: city_text,
        country,
        company: company_name,
        birth_date,
        consent: Consent {
            social_linking: consent(plan, person_no, k),
        },
    }
}

// ---------------------------------------------------------------------------------------
// Social profiles

/// The handle a person would pick under a habit (before platform rules).
fn handle_text(p: &Person, h: &Handle) -> String {
    let u = h.umlaut;
    let surname = p.surname();
    let (particle, core) = split_particles(surname);
    let gi = fold_initial(p.given_first());
    let ci = fold_initial(core);
    let yy = p.birth.0 % 100;
    let mut out = String::with_capacity(24);
    let given = |out: &mut String| fold_into(out, p.given_first(), u);
    let sur = |out: &mut String| fold_into(out, surname, u);
    match h.habit {
        0 | 1 => {
            given(&mut out);
            if h.habit == 1 {
                out.push('.');
            }
            sur(&mut out);
        }
        2 => {
            given(&mut out);
            for word in surname.split([' ', '-']) {
                out.push('_');
                fold_into(&mut out, word, u);
            }
        }
        3 => {
            out.push(gi);
            sur(&mut out);
            push_num(&mut out, u64::from(yy), 2);
        }
        4 | 5 => {
            sur(&mut out);
            if h.habit == 5 {
                out.push('.');
            }
            given(&mut out);
        }
        6 => {
            given(&mut out);
            out.push('_');
            out.push(ci);
        }
        7 => {
            out.push(gi);
            out.push('.');
            if particle.is_empty() {
                let mut folded = String::new();
                fold_into(&mut folded, core, u);
                out.extend(folded.chars().take(2));
                push_num(&mut out, u64::from(yy), 2);
            } else {
                out.extend(particle.split(' ').map(fold_initial));
                out.push(ci);
            }
        }
        8 => {
            let nick = p.nickname();
            if nick.is_empty() {
                given(&mut out);
            } else {
                fold_into(&mut out, nick, u);
            }
            out.push('_');
            out.push(ci);
        }
        9 => {
            given(&mut out);
            if h.digits % 2 == 1 {
                out.push('_');
            }
            push_digits(&mut out, h.digits);
        }
        10 => {
            sur(&mut out);
            push_digits(&mut out, h.digits);
        }
        11 => {
            out.push_str(words::HANDLE_WORDS[usize::from(h.word)]);
            if h.digits % 3 != 0 {
                out.push('_');
            }
            push_digits(&mut out, h.digits);
        }
        _ => {
            given(&mut out);
            out.push('.');
            sur(&mut out);
            out.push('.');
            push_digits(&mut out, h.digits);
        }
    }
    out
}

fn platform_handle(p: &Person, h: &Handle, platform: &str, rng: &mut SplitMix64) -> String {
    match platform {
        // LinkedIn URL slugs: "jan-de-vries-4a7b12".
        "linkedin" if rng.chance(0.7) => {
            let mut slug = fold(p.given_first(), h.umlaut);
            for t in surname_tokens(p.surname(), h.umlaut) {
                slug.push('-');
                slug.push_str(&t);
            }
            if rng.chance(0.5) {
                let _ = write!(slug, "-{:x}", rng.below(0xFF_FFFF) + 0x10_0000);
            }
            slug
        }
        // XING profile names: "Jan_deVries".
        "xing" => {
            let surname: String = transliterate(p.surname()).split(' ').collect();
            let mut x = format!("{}_{surname}", transliterate(p.given_first()));
            if rng.chance(0.3) {
                let _ = write!(x, "{}", 2 + rng.below(8));
            }
            x
        }
        "facebook" => handle_text(p, h).replace('_', "."),
        // Twitter/X allows 15 characters.
        "twitter" => handle_text(p, h).chars().take(15).collect(),
        _ => handle_text(p, h),
    }
}

fn display_name(
    p: &Person,
    social: &Social,
    handle: &str,
    company: &mut Employer<'_>,
    nz: &dyn Fn(f64) -> f64,
    rng: &mut SplitMix64,
) -> Option<String> {
    let given = if p.id.given2 != NONE16 && rng.chance(0.3) {
        p.given_first().to_owned()
    } else {
        p.given_full()
    };
    let surname = p.surname();
    let (particle, core) = split_particles(surname);
    let full = cat(&[&given, " ", surname]);
    let nick = p.nickname();
    let mut name = match rng.below(100) {
        0..44 => full,
        44..52 if !nick.is_empty() => format!("{nick} {surname}"),
        52..60 if particle.is_empty() => format!("{given} {}.", first_char(core)),
        52..60 => format!("{given} {particle} {}.", first_char(core)),
        60..67 => given,
        67..73 if !p.title.is_empty() => format!("{} {full}", p.title),
        73..79 if has_non_ascii(&full) => transliterate(&full),
        79..82 => format!("{}. {surname}", first_char(&given)),
        82..84 => format!("{}, {given}", capitalize_first(surname)),
        84..88 => capitalize_first(words::HANDLE_WORDS[usize::from(social.handle.word)]),
        88..91 => return None,
        91..94 => handle.trim_start_matches('@').to_owned(),
        94..96 if p.employer.is_some() => {
            format!("{full} | {}", company.get().map_or("", |c| &c.short))
        }
        96.. if !particle.is_empty() => format!("{given} {}", capitalize_first(surname)),
        _ => full,
    };
    if rng.chance(if social.uses_emoji { 0.6 } else { 0.04 }) {
        let list = match p.country() {
            Country::De => words::DE_EMOJI,
            Country::Nl => words::NL_EMOJI,
            Country::Gb => words::GB_EMOJI,
            Country::Us => words::US_EMOJI,
        };
        let e = if rng.chance(0.6) {
            *rng.pick(list)
        } else {
            *rng.pick(words::ANY_EMOJI)
        };
        name.push(' ');
        name.push_str(e);
    }
    let r = rng.unit();
    if r < nz(0.02) {
        name = name.to_uppercase();
    } else if r < nz(0.05) {
        name = name.to_lowercase();
    } else if r < nz(0.08) {
        name = typo(&name, p.country() == Country::De, rng);
    }
    Some(name)
}

fn bio(p: &Person, company: &mut Employer<'_>, rng: &mut SplitMix64) -> String {
    let c = p.country();
    // Where people say they are from is mostly where they live, sometimes where they grew
    // up (the town they moved away from).
    let city = match p.previous {
        Some(prev) if rng.chance(0.3) => p.city_of(&prev).name,
        _ => p.city_of(&p.home).name,
    };
    let hobbies = match c {
        Country::De => words::DE_HOBBIES,
        Country::Nl => words::NL_HOBBIES,
        _ => words::EN_HOBBIES,
    };
    let h1 = *rng.pick(hobbies);
    let h2 = *rng.pick(hobbies);
    let kids = 1 + rng.below(3);
    let with_city = rng.chance(0.4);
    if p.employer.is_some() && rng.chance(0.35) {
        let co = company.get().expect("employed");
        let job = match c {
            Country::De => {
                let (m, f) = words::DE_JOBS[usize::from(p.job) % words::DE_JOBS.len()];
                if p.id.female { f } else { m }
            }
            Country::Nl => words::NL_JOBS[usize::from(p.job) % words::NL_JOBS.len()],
            _ => words::EN_JOBS[usize::from(p.job) % words::EN_JOBS.len()],
        };
        let at = match (c, rng.chance(0.5)) {
            (_, true) => "@",
            (Country::De, false) => "bei",
            (Country::Nl, false) => "bij",
            _ => "at",
        };
        // Mostly the everyday name, sometimes with the legal form ("Bakker Transport B.V.").
        let name = if rng.chance(0.3) { &co.name } else { &co.short };
        let mut s = format!("{job} {at} {name}");
        if with_city {
            let _ = write!(s, " | {city}");
        }
        return s;
    }
    match (c, rng.below(4)) {
        (Country::De, 0) => format!("{h1} | {h2} | {city}"),
        (Country::De, 1) => {
            let parent = if p.id.female { "Mama" } else { "Papa" };
            format!("{parent} von {kids} | {h1}")
        }
        (Country::De, 2) => format!("Aus {city} 💛 {h1}"),
        (Country::De, _) => format!("{h1}, {h2}. Hier privat."),
        (Country::Nl, 0) => format!("{} | {h2} | {city}", capitalize_first(h1)),
        (Country::Nl, 1) => {
            let parent = if p.id.female { "Moeder" } else { "Vader" };
            format!("{parent} van {kids} | {h1}")
        }
        (Country::Nl, 2) => format!("Woont in {city}. Houdt van {h1}."),
        (Country::Nl, _) => format!("{} en {h2}. Tweets zijn persoonlijk.", capitalize_first(h1)),
        (_, 0) => format!(
            "{}. {}. {city}.",
            capitalize_first(h1),
            capitalize_first(h2)
        ),
        (_, 1) => {
            let parent = match (p.id.female, c) {
                (true, Country::Us) => "Mom",
                (true, _) => "Mum",
                (false, _) => "Dad",
            };
            format!("{parent} of {kids} | {h1}")
        }
        (_, 2) => format!("Born and raised in {city}. {} fan.", capitalize_first(h1)),
        _ => format!("{} & {h2}. Views my own.", capitalize_first(h1)),
    }
}

fn location(p: &Person, rng: &mut SplitMix64) -> Option<String> {
    if rng.chance(0.3) {
        return None;
    }
    let c = p.country();
    let city = p.city_of(&p.home);
    let name = city.name;
    let nation = match c {
        Country::De => "Deutschland",
        Country::Nl => "Nederland",
        Country::Gb => match city.region {
            "Scotland" => "Scotland",
            "Wales" => "Wales",
            "Northern Ireland" => "Northern Ireland",
            _ => "England",
        },
        Country::Us => "USA",
    };
    Some(match rng.below(100) {
        0..45 => name.to_owned(),
        45..60 if c == Country::Us => cat(&[name, ", ", city.region]),
        45..60 => cat(&[name, ", ", if c == Country::Gb { "UK" } else { c.code() }]),
        60..70 => cat(&[name, ", ", nation]),
        70..76 if city_exonym(name).is_some() => {
            let english = match c {
                Country::De => "Germany",
                Country::Nl => "Netherlands",
                _ => nation,
            };
            format!("{}, {english}", city_exonym(name).unwrap_or(name))
        }
        70..76 => city_alias(name).unwrap_or(name).to_owned(),
        76..87 => city.region.to_owned(),
        87..93 => match c {
            Country::De => format!("Raum {name}"),
            Country::Nl => format!("bij {name}"),
            _ => format!("near {name}"),
        },
        93..96 if has_non_ascii(name) => transliterate(name),
        _ => (*rng.pick(words::VAGUE_LOCATIONS)).to_owned(),
    })
}

fn website(
    p: &Person,
    handle: &str,
    company: &mut Employer<'_>,
    rng: &mut SplitMix64,
) -> Option<String> {
    if !rng.chance(0.15) {
        return None;
    }
    let tld = match p.country() {
        Country::De => "de",
        Country::Nl => "nl",
        Country::Gb => "co.uk",
        Country::Us => "com",
    };
    let g = fold(p.given_first(), Umlaut::Expand);
    let s = fold(p.surname(), Umlaut::Expand);
    let scheme = *rng.pick(&["https://", "https://www.", "www.", "http://"]);
    let plain = handle.trim_start_matches('@');
    Some(match rng.below(10) {
        0..4 if rng.chance(0.5) => format!("{scheme}{g}{s}.{tld}"),
        0..4 => format!("{scheme}{g}-{s}.{tld}"),
        4..7 if p.employer.is_some() => {
            format!("{scheme}{}", company.get().map_or("", |c| &c.domain))
        }
        4..7 => format!("{scheme}{s}.{tld}"),
        7..9 => format!("https://linktr.ee/{plain}"),
        _ => format!("https://{plain}.wordpress.com"),
    })
}

pub(super) fn render_profile(plan: &Plan, owner: Owner, id: String) -> SocialProfile {
    let (p, k, mut rng) = match owner {
        Owner::Customer { person, k } => (
            customer(plan, person),
            k,
            SplitMix64::keyed(plan.cfg.seed, S_PROFILE, person, u64::from(k)),
        ),
        Owner::Shadow(s) => (
            shadow(plan, s),
            0,
            SplitMix64::keyed(plan.cfg.seed, S_SHADOW_PROFILE, s, 0),
        ),
    };
    let noise = plan.cfg.noise;
    let nz = |x: f64| (x * noise).min(1.0);
    let social = p.social(plan);
    let platform = social.platforms[usize::from(k)];
    // People reuse their handle across platforms about half the time.
    let spec = if k == 0 || rng.chance(0.55) {
        social.handle
    } else {
        draw_handle(p.birth.0, &mut rng)
    };
    let mut handle = platform_handle(&p, &spec, platform, &mut rng);
    if rng.chance(0.08) {
        handle.insert(0, '@');
    }
    let mut company = Employer::new(plan, &p);
    let display = display_name(&p, &social, &handle, &mut company, &nz, &mut rng);
    let bio_text = rng.chance(0.55).then(|| bio(&p, &mut company, &mut rng));
    let loc = location(&p, &mut rng);
    let site = website(&p, &handle, &mut company, &mut rng);
    let email = rng.chance(0.12).then(|| {
        let reach = p.reach(plan);
        let r = rng.unit();
        let spec = if r < 0.6 {
            reach.email
        } else if r < 0.85 {
            reach.work_email.unwrap_or(reach.email2)
        } else {
            reach.email2
        };
        email_address(&p, &spec, company.get())
    });
    SocialProfile {
        id,
        platform: platform.to_owned(),
        handle: (!rng.chance(nz(0.01))).then_some(handle),
        display_name: display,
        bio: bio_text,
        location: loc,
        website: site,
        email: email.flatten(),
    }
}
