//! Tests of the generator: determinism, exact sizes and ground truth, and realism checks
//! whose thresholds fail if the noise model drifts.

use std::collections::{HashMap, HashSet};

use super::person::{self, customer, shadow_identity};
use super::text::{Umlaut, fold, split_particles};
use super::*;
use crate::records::ConsentStatus;

fn config(persons: usize, seed: u64) -> WorldConfig {
    WorldConfig::new(persons, seed)
}

/// FNV-1a: a fixed, dependency-free hash for fingerprints (std's hasher may change).
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

fn fingerprint(w: &World) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325;
    for c in &w.contacts {
        fnv(&mut h, serde_json::to_string(c).unwrap().as_bytes());
    }
    for p in &w.profiles {
        fnv(&mut h, serde_json::to_string(p).unwrap().as_bytes());
    }
    for (a, b) in w
        .truth
        .true_links()
        .iter()
        .chain(&w.truth.duplicate_pairs())
    {
        fnv(&mut h, a.as_bytes());
        fnv(&mut h, b.as_bytes());
    }
    h
}

fn num(id: &str) -> usize {
    id[1..].parse().unwrap()
}

#[test]
fn same_seed_same_world_different_seed_different_world() {
    let a = generate(&config(1_000, 7));
    let b = generate(&config(1_000, 7));
    let c = generate(&config(1_000, 8));
    assert_eq!(fingerprint(&a), fingerprint(&b));
    assert_eq!(a.contacts, b.contacts);
    assert_ne!(fingerprint(&a), fingerprint(&c));
    // Not just different somewhere: different almost everywhere.
    let same = a
        .contacts
        .iter()
        .zip(&c.contacts)
        .filter(|(x, y)| x == y)
        .count();
    assert!(same < 10, "{same}");
}

/// The output is a fixture that other tests and benchmarks rely on: it must never change
/// by accident. If you change the generator on purpose, update the value and say so in the
/// changelog (worlds generated with the same seed will differ from before).
#[test]
fn output_is_pinned() {
    let w = generate(&config(300, 2024));
    assert_eq!(
        fingerprint(&w),
        PINNED,
        "generator output changed: {:#x}",
        fingerprint(&w)
    );
}
const PINNED: u64 = 0xa7ba3eb4de735c68;

#[test]
fn generators_can_be_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Generator>();
    send_sync::<GroundTruth>();
    send_sync::<World>();
    send_sync::<Contacts>();
    send_sync::<Profiles>();
    // Ranges produced on two threads concatenate to the whole stream.
    let g = Generator::new(&config(300, 3));
    let half = g.contact_count() / 2;
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| g.contacts_range(0..half).collect::<Vec<_>>());
        let b = s.spawn(|| g.contacts_range(half..usize::MAX).collect::<Vec<_>>());
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(
        a.iter()
            .chain(&b)
            .eq(g.contacts().collect::<Vec<_>>().iter())
    );
}

#[test]
fn sizes_match_the_config() {
    let w = generate(&config(1_000, 1));
    // 5 % duplicates (50), a tenth of them a third record (5).
    assert_eq!(w.contacts.len(), 1_000 + 50 + 5);
    // 600 with profiles, 35 % of them a 2nd (210), 12 % a 3rd (72); 400 non-customers.
    assert_eq!(w.profiles.len(), 600 + 210 + 72 + 400);

    let custom = WorldConfig {
        persons: 2_000,
        profile_rate: 1.0,
        extra_profiles: 0.0,
        duplicate_rate: 0.2,
        ..config(0, 3)
    };
    let g = Generator::new(&custom);
    assert_eq!(g.contact_count(), 2_000 + 400 + 40);
    assert_eq!(g.profile_count(), 2_000 + 700 + 240);
    assert_eq!(g.contacts().len(), g.contact_count());
    assert_eq!(g.truth().persons(), 2_000);
}

#[test]
fn ids_are_dense_and_in_order() {
    let w = generate(&config(500, 4));
    for (i, c) in w.contacts.iter().enumerate() {
        assert_eq!(c.id, format!("c{i}"));
    }
    for (i, p) in w.profiles.iter().enumerate() {
        assert_eq!(p.id, format!("p{i}"));
    }
}

#[test]
fn ids_say_nothing_about_persons() {
    let w = generate(&config(1_000, 5));
    let t = &w.truth;
    // Persons of consecutive ids are not consecutive.
    let persons: Vec<u64> = (0..200)
        .map(|i| t.person_of_contact(&format!("c{i}")).unwrap())
        .collect();
    let adjacent = persons
        .windows(2)
        .filter(|w| w[0].abs_diff(w[1]) <= 1)
        .count();
    assert!(adjacent < 5, "{adjacent}");
    // Duplicates are not next to each other.
    let close = t
        .duplicate_pairs()
        .iter()
        .filter(|(a, b)| num(b) - num(a) < 5)
        .count();
    assert!(close < 3, "{close}");
}

#[test]
fn streaming_and_random_access_agree_with_generate() {
    let cfg = config(400, 6);
    let w = generate(&cfg);
    assert_eq!(contacts_iter(&cfg).collect::<Vec<_>>(), w.contacts);
    assert_eq!(profiles_iter(&cfg).collect::<Vec<_>>(), w.profiles);
    let g = Generator::new(&cfg);
    for n in [0, 1, 17, w.contacts.len() - 1] {
        assert_eq!(g.contact(n).as_ref(), Some(&w.contacts[n]));
    }
    assert_eq!(g.contact(w.contacts.len()), None);
    assert_eq!(g.profile(5).as_ref(), Some(&w.profiles[5]));
    assert_eq!(g.profile(w.profiles.len()), None);
    // Ranges (e.g. one per thread) concatenate to the whole.
    let mut parts: Vec<Contact> = g.contacts_range(0..100).collect();
    parts.extend(g.contacts_range(100..usize::MAX));
    assert_eq!(parts, w.contacts);
    let back: Vec<SocialProfile> = g.profiles().rev().collect();
    assert!(back.iter().rev().eq(w.profiles.iter()));
    assert_eq!(g.contacts().nth(3).as_ref(), Some(&w.contacts[3]));
    assert_eq!(
        g.contacts_range(std::ops::Range { start: 7, end: 3 })
            .count(),
        0
    );
}

#[test]
fn ground_truth_is_consistent() {
    let w = generate(&config(1_000, 9));
    let t = &w.truth;
    let persons = t.persons() as u64;

    let mut contacts_by_person: HashMap<u64, Vec<String>> = HashMap::new();
    for c in &w.contacts {
        let p = t
            .person_of_contact(&c.id)
            .expect("every contact has a person");
        assert!(p < persons);
        contacts_by_person.entry(p).or_default().push(c.id.clone());
    }
    // Every person has one to three records, and contacts_of_person agrees.
    assert_eq!(contacts_by_person.len() as u64, persons);
    for (p, mut ids) in contacts_by_person.clone() {
        ids.sort_by_key(|id| num(id));
        assert!((1..=3).contains(&ids.len()));
        assert_eq!(t.contacts_of_person(p), ids);
    }

    let mut customer_profiles = 0;
    let mut expected_links = 0;
    for p in &w.profiles {
        if let Some(person) = t.person_of_profile(&p.id) {
            customer_profiles += 1;
            assert!(contacts_by_person.contains_key(&person));
            assert!(t.profiles_of_person(person).contains(&p.id));
            expected_links += contacts_by_person[&person].len();
        }
    }
    assert_eq!(customer_profiles, 600 + 210 + 72);

    let links = t.true_links();
    assert_eq!(links.len(), expected_links);
    for (c, p) in &links {
        assert_eq!(t.person_of_contact(c), t.person_of_profile(p));
    }

    let pairs = t.duplicate_pairs();
    // 45 persons with two records (one pair), 5 with three (three pairs).
    assert_eq!(pairs.len(), 45 + 3 * 5);
    for (a, b) in &pairs {
        assert!(num(a) < num(b));
        assert_eq!(t.person_of_contact(a), t.person_of_contact(b));
    }
    let dup_persons: HashSet<u64> = pairs
        .iter()
        .map(|(a, _)| t.person_of_contact(a).unwrap())
        .collect();
    assert_eq!(dup_persons.len(), 50);

    // Lookups of ids that are not in the world.
    for bad in [
        "",
        "c",
        "c01",
        "c-1",
        "c1055",
        "x1",
        "C1",
        "c 1",
        "p1282",
        "p99999999999999999999",
    ] {
        assert_eq!(t.person_of_contact(bad), None, "{bad}");
        assert_eq!(t.person_of_profile(bad), None, "{bad}");
    }
    assert!(t.contacts_of_person(persons).is_empty());
    assert!(t.profiles_of_person(persons).is_empty());
}

#[test]
fn consent_rates_and_consented_links() {
    let w = generate(&config(1_000, 10));
    let count = |s: ConsentStatus| {
        w.contacts
            .iter()
            .filter(|c| c.consent.social_linking == s)
            .count() as f64
            / w.contacts.len() as f64
    };
    let granted = count(ConsentStatus::Granted);
    assert!((0.65..0.75).contains(&granted), "{granted}");
    assert!(count(ConsentStatus::Withdrawn) > 0.05);
    assert!(count(ConsentStatus::Absent) > 0.12);

    let all = w.truth.true_links();
    let consented = w.truth.consented_true_links(&w.contacts);
    let by_id: HashMap<&str, &Contact> = w.contacts.iter().map(|c| (c.id.as_str(), c)).collect();
    assert!(!consented.is_empty() && consented.len() < all.len());
    for link in &consented {
        assert!(all.contains(link));
        assert!(by_id[link.0.as_str()].consent.social_linking.is_granted());
    }
    let missing = all.len() - consented.len();
    let not_granted = all
        .iter()
        .filter(|(c, _)| !by_id[c.as_str()].consent.social_linking.is_granted())
        .count();
    assert_eq!(missing, not_granted);
    // Contacts absent from the slice count as not consented.
    assert!(w.truth.consented_true_links(&[]).is_empty());

    let extremes = |rate: f64| {
        let w = generate(&WorldConfig {
            consent_rate: rate,
            ..config(200, 11)
        });
        w.contacts
            .iter()
            .filter(|c| c.consent.social_linking.is_granted())
            .count()
    };
    assert_eq!(extremes(0.0), 0);
    assert_eq!(extremes(1.0), generate(&config(200, 11)).contacts.len());
}

#[test]
fn some_persons_have_consent_in_one_record_only() {
    let w = generate(&config(4_000, 12));
    let granted: HashMap<&str, bool> = w
        .contacts
        .iter()
        .map(|c| (c.id.as_str(), c.consent.social_linking.is_granted()))
        .collect();
    let mixed = w
        .truth
        .duplicate_pairs()
        .iter()
        .filter(|(a, b)| granted[a.as_str()] != granted[b.as_str()])
        .count();
    assert!(mixed > 5, "{mixed}");
}

/// The folded surname without particles: "de Vries" → "vries", "Müller" → "mueller".
fn surname_keys(surname: &str) -> [String; 2] {
    let core = split_particles(surname).1;
    [fold(core, Umlaut::Expand), fold(core, Umlaut::Strip)]
}

#[test]
fn handles_contain_the_surname_often_but_not_always() {
    let w = generate(&config(1_000, 13));
    let g = Generator::new(&config(1_000, 13));
    let (mut with, mut total) = (0, 0);
    for p in &w.profiles {
        let (Some(person), Some(handle)) = (w.truth.person_of_profile(&p.id), &p.handle) else {
            continue;
        };
        let surname = customer(&g.plan, person).surname();
        let handle = handle.to_lowercase();
        total += 1;
        if surname_keys(surname)
            .iter()
            .any(|k| handle.contains(k.as_str()))
        {
            with += 1;
        }
    }
    let share = f64::from(with) / f64::from(total);
    assert!((0.3..0.8).contains(&share), "{share}");
}

#[test]
fn namesakes_occur() {
    let g = Generator::new(&config(1_000, 14));
    let mut seen: HashMap<(String, &str, &str), usize> = HashMap::new();
    for i in 0..1_000 {
        let p = customer(&g.plan, i);
        let (given, surname) = p.canonical_name();
        *seen
            .entry((given, surname, p.city_of(&p.home).name))
            .or_default() += 1;
    }
    let pairs: usize = seen.values().map(|&k| k * (k - 1) / 2).sum();
    assert!(pairs >= 10, "{pairs} namesake pairs among 1000 persons");

    // And they are visible in the CRM: records of different persons, same name and city.
    let w = g.generate();
    let mut by_key: HashMap<(&str, &str, &str), HashSet<u64>> = HashMap::new();
    for c in &w.contacts {
        if let (Some(f), Some(l), Some(city)) = (&c.first_name, &c.last_name, &c.city) {
            let person = w.truth.person_of_contact(&c.id).unwrap();
            by_key.entry((f, l, city)).or_default().insert(person);
        }
    }
    let visible = by_key.values().filter(|persons| persons.len() > 1).count();
    assert!(visible >= 5, "{visible}");
}

#[test]
fn surname_frequencies_are_skewed_like_real_ones() {
    let g = Generator::new(&config(20_000, 15));
    let mut per_country: HashMap<Country, HashMap<&str, usize>> = HashMap::new();
    for i in 0..20_000 {
        let p = customer(&g.plan, i);
        *per_country
            .entry(p.id.country)
            .or_default()
            .entry(p.surname())
            .or_default() += 1;
    }
    assert_eq!(per_country.len(), 3, "the default mix has no US");
    for (country, counts) in &per_country {
        let total: usize = counts.values().sum();
        let (top, &max) = counts.iter().max_by_key(|(_, n)| **n).unwrap();
        // Real statistics: the most common surname is 0.3–1 % of a country (Müller, de
        // Jong, Smith) and the ~150–200 most common cover well under half of the people.
        let share = max as f64 / total as f64;
        assert!(
            (0.003..0.015).contains(&share),
            "{country:?}: {top} {share}"
        );
        let head = person::head_surnames(*country);
        let in_head: usize = counts
            .iter()
            .filter(|(k, _)| head.contains(k))
            .map(|(_, n)| n)
            .sum();
        let head_share = in_head as f64 / total as f64;
        assert!(
            (0.2..0.6).contains(&head_share),
            "{country:?}: {head_share}"
        );
        // A long tail: thousands of surnames in use, few very common.
        assert!(counts.len() > 1_000, "{country:?}: {}", counts.len());
        let expected_top = match country {
            Country::De => "Müller",
            Country::Nl => "de Jong",
            _ => "Smith",
        };
        assert!(
            counts[expected_top] as f64 > 0.6 * max as f64,
            "{country:?}"
        );
    }
}

#[test]
fn country_mix_is_followed() {
    let w = generate(&config(2_000, 16));
    let share = |code: &str| {
        w.contacts
            .iter()
            .filter(|c| c.country.as_deref() == Some(code))
            .count() as f64
            / w.contacts.len() as f64
    };
    // Defaults 45/35/20, minus the records without a country (and "UK" for some GB).
    assert!((0.38..0.48).contains(&share("DE")), "{}", share("DE"));
    assert!((0.29..0.37).contains(&share("NL")), "{}", share("NL"));
    assert!((0.14..0.21).contains(&share("GB")), "{}", share("GB"));
    assert_eq!(share("US"), 0.0);

    let us = generate(&WorldConfig {
        countries: CountryMix::only(Country::Us),
        ..config(300, 16)
    });
    assert!(
        us.contacts
            .iter()
            .all(|c| c.country.is_none() || c.country.as_deref() == Some("US"))
    );
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn valid_postcode(country: &str, pc: &str) -> bool {
    let b = pc.as_bytes();
    match country {
        "DE" | "US" => is_digits(pc) && (pc.len() == 5 || pc.len() == 4),
        "NL" => {
            let compact: String = pc.chars().filter(|c| *c != ' ').collect();
            compact.len() == 6
                && is_digits(&compact[..4])
                && compact[4..].bytes().all(|b| b.is_ascii_uppercase())
        }
        "GB" | "UK" => {
            let compact: Vec<u8> = b.iter().copied().filter(|c| *c != b' ').collect();
            let n = compact.len();
            (5..=7).contains(&n)
                && compact[0].is_ascii_uppercase()
                && compact[n - 3].is_ascii_digit()
                && compact[n - 2..].iter().all(u8::is_ascii_uppercase)
        }
        _ => false,
    }
}

#[test]
fn postcodes_and_phones_have_national_formats() {
    let w = generate(&WorldConfig {
        countries: CountryMix {
            de: 1.0,
            nl: 1.0,
            gb: 1.0,
            us: 1.0,
        },
        ..config(2_000, 17)
    });
    let mut checked = 0;
    for c in &w.contacts {
        let (Some(country), Some(pc)) = (&c.country, &c.postcode) else {
            continue;
        };
        assert!(valid_postcode(country, pc), "{country} {pc:?}");
        checked += 1;
        for phone in &c.phones {
            // "+44 (0)7700 ..." carries a bracketed trunk zero that is not dialled.
            let digits = phone
                .replace("(0)", "")
                .bytes()
                .filter(u8::is_ascii_digit)
                .count();
            let ok = match country.as_str() {
                "DE" => (9..=13).contains(&digits),
                "NL" => (10..=11).contains(&digits),
                "GB" | "UK" => (10..=12).contains(&digits),
                _ => (10..=11).contains(&digits),
            };
            assert!(ok, "{country} {phone}");
            assert!(
                phone.starts_with('0') || phone.starts_with('+') || country == "US",
                "{phone}"
            );
        }
    }
    assert!(checked > 1_500);
    // Dutch postcodes keep their letters in most records, German ones their 5 digits.
    let nl_spaced = w
        .contacts
        .iter()
        .filter_map(|c| c.postcode.as_deref())
        .filter(|pc| pc.len() == 7)
        .count();
    assert!(nl_spaced > 200);
}

#[test]
fn emails_look_like_emails_and_rarely_collide() {
    let w = generate(&config(2_000, 18));
    let mut owners: HashMap<String, HashSet<u64>> = HashMap::new();
    let mut count = 0;
    for c in &w.contacts {
        for e in &c.emails {
            let (local, domain) = e.split_once('@').expect("one @");
            assert!(
                !local.is_empty() && domain.contains('.') && !domain.contains('@'),
                "{e}"
            );
            assert!(e.is_ascii(), "{e}");
            count += 1;
            let person = w.truth.person_of_contact(&c.id).unwrap();
            owners.entry(e.to_lowercase()).or_default().insert(person);
        }
    }
    assert!(count as f64 > 0.9 * w.contacts.len() as f64);
    let shared = owners.values().filter(|p| p.len() > 1).count();
    assert!(
        (shared as f64) < 0.01 * owners.len() as f64,
        "{shared} of {}",
        owners.len()
    );
}

#[test]
fn noise_zero_gives_clean_names() {
    let cfg = WorldConfig {
        noise: 0.0,
        ..config(500, 19)
    };
    let g = Generator::new(&cfg);
    for c in g.contacts() {
        let person = g.truth().person_of_contact(&c.id).unwrap();
        let p = customer(&g.plan, person);
        let (given, surname) = p.canonical_name();
        assert_eq!(c.last_name.as_deref(), Some(surname));
        let first = c.first_name.unwrap();
        assert!(
            first == given || first.ends_with(&format!(" {given}")),
            "{first} vs {given}"
        );
    }
}

#[test]
fn records_show_the_mess_of_real_data() {
    let w = generate(&config(3_000, 20));
    let contacts = &w.contacts;
    let profiles = &w.profiles;
    let count_c = |f: &dyn Fn(&Contact) -> bool| contacts.iter().filter(|c| f(c)).count();
    let count_p = |f: &dyn Fn(&SocialProfile) -> bool| profiles.iter().filter(|p| f(p)).count();
    let last = |c: &Contact| c.last_name.clone().unwrap_or_default();
    let first = |c: &Contact| c.first_name.clone().unwrap_or_default();

    // Each habit shows up, none dominates.
    let checks: Vec<(&str, usize, usize, usize)> = vec![
        (
            "capitalised particle",
            count_c(&|c| last(c).starts_with("Van ") || last(c).starts_with("De ")),
            10,
            300,
        ),
        (
            "lower-case particle",
            count_c(&|c| last(c).starts_with("van ") || last(c).starts_with("de ")),
            200,
            1_200,
        ),
        (
            "transliterated umlaut",
            count_c(&|c| last(c).contains("ue") && !last(c).contains("uel")),
            5,
            200,
        ),
        (
            "umlaut",
            count_c(&|c| last(c).contains('ü') || last(c).contains('ö') || last(c).contains('ä')),
            100,
            900,
        ),
        (
            "title",
            count_c(&|c| {
                first(c).starts_with("Dr")
                    || first(c).starts_with("Prof")
                    || first(c).starts_with("ir.")
            }),
            10,
            150,
        ),
        (
            "double given name",
            count_c(&|c| {
                first(c).contains('-') || first(c).trim_start_matches("Dr. ").contains(' ')
            }),
            50,
            400,
        ),
        ("no e-mail", count_c(&|c| c.emails.is_empty()), 100, 500),
        ("two e-mails", count_c(&|c| c.emails.len() == 2), 200, 700),
        (
            "international phone",
            count_c(&|c| c.phones.iter().any(|p| p.starts_with('+'))),
            200,
            1_500,
        ),
        (
            "lost leading zero",
            count_c(&|c| {
                c.country.as_deref() == Some("DE")
                    && c.postcode.as_ref().is_some_and(|p| p.len() == 4)
            }),
            2,
            100,
        ),
        (
            "UK for GB",
            count_c(&|c| c.country.as_deref() == Some("UK")),
            10,
            150,
        ),
        ("company", count_c(&|c| c.company.is_some()), 500, 1_500),
        (
            "birth date",
            count_c(&|c| c.birth_date.is_some()),
            1_400,
            2_300,
        ),
        (
            "emoji in display name",
            count_p(&|p| {
                p.display_name
                    .as_ref()
                    .is_some_and(|d| !d.is_ascii() && d.chars().any(|ch| ch as u32 > 0x2000))
            }),
            100,
            1_200,
        ),
        (
            "no display name",
            count_p(&|p| p.display_name.is_none()),
            30,
            400,
        ),
        (
            "initial display name",
            count_p(&|p| p.display_name.as_ref().is_some_and(|d| d.ends_with('.'))),
            50,
            600,
        ),
        (
            "@handle",
            count_p(&|p| p.handle.as_ref().is_some_and(|h| h.starts_with('@'))),
            100,
            700,
        ),
        (
            "bio with company",
            count_p(&|p| {
                p.bio.as_ref().is_some_and(|b| {
                    b.contains(" @ ")
                        || b.contains(" bei ")
                        || b.contains(" bij ")
                        || b.contains(" at ")
                })
            }),
            100,
            1_500,
        ),
        ("location", count_p(&|p| p.location.is_some()), 2_500, 4_500),
        ("website", count_p(&|p| p.website.is_some()), 300, 1_200),
        ("public e-mail", count_p(&|p| p.email.is_some()), 300, 1_000),
    ];
    for (what, n, lo, hi) in checks {
        assert!((lo..=hi).contains(&n), "{what}: {n} not in {lo}..={hi}");
    }
}

#[test]
fn profiles_of_moved_people_show_another_city() {
    let w = generate(&config(3_000, 21));
    let by_id: HashMap<&str, &Contact> = w.contacts.iter().map(|c| (c.id.as_str(), c)).collect();
    let (mut differ, mut total) = (0, 0);
    for (c, p) in w.truth.true_links() {
        let profile = &w.profiles[num(&p)];
        let (Some(loc), Some(city)) = (&profile.location, &by_id[c.as_str()].city) else {
            continue;
        };
        total += 1;
        if !loc.contains(city.as_str()) {
            differ += 1;
        }
    }
    let share = f64::from(differ) / f64::from(total);
    // Moves, regions, aliases, exonyms and vague locations: a location is weak evidence.
    assert!((0.15..0.4).contains(&share), "{share}");
}

#[test]
fn duplicates_are_noisy_copies() {
    let w = generate(&config(5_000, 22));
    let pairs = w.truth.duplicate_pairs();
    let mut identical = 0;
    let mut same_surname = 0;
    for (a, b) in &pairs {
        let (x, y) = (&w.contacts[num(a)], &w.contacts[num(b)]);
        let strip = |c: &Contact| Contact {
            id: String::new(),
            consent: Default::default(),
            ..c.clone()
        };
        if strip(x) == strip(y) {
            identical += 1;
        }
        if x.last_name.is_some() && x.last_name == y.last_name {
            same_surname += 1;
        }
    }
    assert!(
        identical * 20 < pairs.len(),
        "{identical} of {}",
        pairs.len()
    );
    // Still recognisably the same person most of the time.
    assert!(
        same_surname * 2 > pairs.len(),
        "{same_surname} of {}",
        pairs.len()
    );
}

#[test]
fn non_customers_resemble_customers() {
    let g = Generator::new(&config(2_000, 23));
    let customers: HashSet<(Country, u16, u16)> = (0..2_000)
        .map(|i| {
            let p = customer(&g.plan, i);
            (p.id.country, p.id.surname, p.id.city)
        })
        .collect();
    let shadows = (g.plan.profiles - g.plan.prof.iter().sum::<u64>()) as usize;
    assert_eq!(shadows, 800);
    let alike = (0..shadows as u64)
        .filter(|&k| {
            let id = shadow_identity(&g.plan, k);
            customers.contains(&(id.country, id.surname, id.city))
        })
        .count();
    let share = alike as f64 / shadows as f64;
    assert!((0.35..0.6).contains(&share), "{share}");
}

#[test]
fn config_validation_and_clamping() {
    assert!(WorldConfig::default().validate().is_ok());
    let bad = [
        WorldConfig {
            profile_rate: 1.5,
            ..WorldConfig::default()
        },
        WorldConfig {
            consent_rate: f64::NAN,
            ..WorldConfig::default()
        },
        WorldConfig {
            duplicate_rate: -0.1,
            ..WorldConfig::default()
        },
        WorldConfig {
            extra_profiles: f64::INFINITY,
            ..WorldConfig::default()
        },
        WorldConfig {
            noise: -1.0,
            ..WorldConfig::default()
        },
        WorldConfig {
            countries: CountryMix {
                de: 0.0,
                nl: 0.0,
                gb: 0.0,
                us: 0.0,
            },
            ..WorldConfig::default()
        },
        WorldConfig {
            countries: CountryMix {
                de: -1.0,
                nl: 1.0,
                gb: 0.0,
                us: 0.0,
            },
            ..WorldConfig::default()
        },
    ];
    for cfg in bad {
        let err = cfg.validate().unwrap_err().to_string();
        assert!(err.starts_with("invalid argument"), "{err}");
        // Generation clamps instead of failing.
        let w = generate(&WorldConfig { persons: 50, ..cfg });
        assert!(w.contacts.len() >= 50);
    }
    let err = WorldConfig {
        profile_rate: 1.5,
        ..WorldConfig::default()
    }
    .validate()
    .unwrap_err();
    assert!(err.to_string().contains("profile_rate"), "{err}");
    let clamped = Generator::new(&WorldConfig {
        duplicate_rate: 7.0,
        ..config(10, 1)
    });
    assert_eq!(clamped.config().duplicate_rate, 1.0);
    assert_eq!(clamped.contact_count(), 10 + 10 + 1);
}

#[test]
fn tiny_worlds() {
    let empty = generate(&config(0, 1));
    assert!(empty.contacts.is_empty());
    assert!(empty.profiles.is_empty());
    assert!(empty.truth.true_links().is_empty());
    assert!(empty.truth.duplicate_pairs().is_empty());
    // Extra profiles of a world without customers resemble no one and still work.
    let g = Generator::new(&WorldConfig {
        extra_profiles: 0.0,
        ..config(0, 1)
    });
    assert_eq!(g.profile_count(), 0);

    let one = generate(&WorldConfig {
        duplicate_rate: 1.0,
        profile_rate: 1.0,
        ..config(1, 2)
    });
    assert_eq!(one.contacts.len(), 2); // a tenth of one person rounds to no third record
    assert_eq!(one.truth.duplicate_pairs().len(), 1);
    assert_eq!(one.truth.person_of_contact("c1"), Some(0));
    assert_eq!(one.truth.true_links().len(), 2);

    let ten = generate(&WorldConfig {
        duplicate_rate: 1.0,
        ..config(10, 2)
    });
    assert_eq!(ten.contacts.len(), 21);
    assert_eq!(ten.truth.duplicate_pairs().len(), 9 + 3);
}

#[test]
fn word_lists_are_big_enough_and_clean() {
    for c in Country::ALL {
        let surnames = person::surnames(c);
        let unique: HashSet<&str> = surnames.iter().copied().collect();
        assert_eq!(unique.len(), surnames.len(), "{c:?} surnames repeat");
        assert!(surnames.len() >= 150, "{c:?}: {}", surnames.len());
        let mut given = 0;
        for female in [false, true] {
            let list = person::given_names(c, female);
            let unique: HashSet<&str> = list.iter().map(|g| g.0).collect();
            assert_eq!(unique.len(), list.len(), "{c:?} given names repeat");
            given += list.len();
        }
        assert!(given >= 150, "{c:?}: {given}");
        for city in person::cities(c) {
            assert!(city.lo <= city.hi, "{}", city.name);
            assert!(city.pop > 0 && !city.region.is_empty());
            assert_eq!(
                city.dial.starts_with('0'),
                c != Country::Us,
                "{}",
                city.name
            );
            assert_eq!(city.areas.is_empty(), c != Country::Gb, "{}", city.name);
        }
    }
}
