//! Identity matching across modules: fitting, linking, deduplication, explanations,
//! assertions, persistence, incremental matching, consent and bad input.

use socialcrm::identity::{
    BlockingRule, FieldKind, FieldSpec, MatchIndex, Matcher, MatcherConfig, Records, SocialLinker,
    SocialLinkerConfig, link_social,
};
use socialcrm::{Consent, ConsentStatus, Contact, Error, SocialProfile};

const FIRST: [&str; 24] = [
    "Jan",
    "Petra",
    "Anna",
    "Lukas",
    "Sophie",
    "Daan",
    "Emma",
    "Thomas",
    "Julia",
    "Sem",
    "Lotte",
    "Maximilian",
    "Olivia",
    "Noah",
    "Mila",
    "Felix",
    "Sanne",
    "Jonas",
    "Hannah",
    "Bram",
    "Laura",
    "Finn",
    "Eva",
    "Luca",
];
const LAST: [&str; 24] = [
    "de Vries",
    "Müller",
    "Schmidt",
    "Jansen",
    "Bakker",
    "Schneider",
    "van den Berg",
    "Fischer",
    "Visser",
    "Weber",
    "Smit",
    "Meyer",
    "de Jong",
    "Wagner",
    "Mulder",
    "Becker",
    "de Boer",
    "Hoffmann",
    "Dekker",
    "Schulz",
    "Brouwer",
    "Koch",
    "van Dijk",
    "Richter",
];
const CITY: [&str; 8] = [
    "Utrecht",
    "Köln",
    "Berlin",
    "Amsterdam",
    "Hamburg",
    "Rotterdam",
    "München",
    "Leiden",
];

/// A deterministic little world: `n` people, a CRM record each, and a second, noisy record
/// for every other person (typos, transliteration, reformatted dates).
fn people(n: usize) -> (Records, Records, Vec<(String, String)>) {
    let fields = ["first_name", "last_name", "dob", "city", "email"];
    let mut crm = Records::new(fields);
    let mut shop = Records::new(fields);
    let mut truth = Vec::new();
    let mut state = 7u64;
    let mut rnd = |m: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % m
    };
    for i in 0..n {
        let first = FIRST[rnd(FIRST.len())];
        let last = LAST[rnd(LAST.len())];
        let (y, m, d) = (1950 + rnd(50), 1 + rnd(12), 1 + rnd(28));
        let city = CITY[rnd(CITY.len())];
        let email = format!(
            "{}.{}{}@example.org",
            first.to_lowercase(),
            last.replace(' ', "").to_lowercase(),
            i
        );
        crm.push(
            format!("c{i}"),
            [
                Some(first.to_owned()),
                Some(last.to_owned()),
                Some(format!("{y}-{m:02}-{d:02}")),
                Some(city.to_owned()),
                Some(email.clone()),
            ],
        )
        .unwrap();
        if i % 2 == 0 {
            let noisy_last = match rnd(3) {
                0 => last.replace('ü', "ue").replace('ö', "oe"),
                1 => last.to_uppercase(),
                _ => {
                    let mut s: Vec<char> = last.chars().collect();
                    let k = 1 + rnd(s.len() - 1);
                    s.swap(k - 1, k);
                    s.into_iter().collect()
                }
            };
            shop.push(
                format!("s{i}"),
                [
                    Some(first.to_owned()),
                    Some(noisy_last),
                    Some(format!("{d:02}.{m:02}.{y}")),
                    if rnd(4) == 0 {
                        None
                    } else {
                        Some(city.to_owned())
                    },
                    if rnd(3) == 0 { None } else { Some(email) },
                ],
            )
            .unwrap();
            truth.push((format!("c{i}"), format!("s{i}")));
        }
    }
    (crm, shop, truth)
}

fn config() -> MatcherConfig {
    MatcherConfig::new(
        vec![
            FieldSpec::new("first_name", FieldKind::Name),
            FieldSpec::new("last_name", FieldKind::Name),
            FieldSpec::new("dob", FieldKind::Date),
            FieldSpec::new("city", FieldKind::Text),
            FieldSpec::new("email", FieldKind::Email),
        ],
        vec![
            BlockingRule::exact(["dob"]),
            "last_name:phonetic".parse().unwrap(),
            BlockingRule::exact(["email"]),
        ],
    )
}

fn pairs(links: &[socialcrm::identity::Link]) -> Vec<(String, String)> {
    links
        .iter()
        .map(|l| (l.left_id.clone(), l.right_id.clone()))
        .collect()
}

#[test]
fn links_a_noisy_copy_accurately() {
    let (crm, shop, truth) = people(400);
    let mut matcher = Matcher::new(config()).unwrap();
    matcher.fit(&crm, &shop).unwrap();
    let result = matcher.link(&crm, &shop, 0.5, true).unwrap();
    let found = pairs(&result.links);
    let correct = found.iter().filter(|p| truth.contains(p)).count();
    let precision = correct as f64 / found.len() as f64;
    let recall = correct as f64 / truth.len() as f64;
    assert!(precision >= 0.98, "precision {precision}");
    assert!(recall >= 0.95, "recall {recall}");
    // every link carries one piece of evidence per field
    assert!(result.links.iter().all(|l| l.evidence.len() == 5));
    assert!(result.stats.estimated_recall.is_some_and(|r| r > 0.9));
}

/// Runs `work` on a rayon pool of `threads` threads.
fn on_threads<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(work)
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let (crm, shop, _) = people(300);
    let run = |threads: usize| {
        on_threads(threads, || {
            let mut m = Matcher::new(config()).unwrap();
            m.fit(&crm, &shop).unwrap();
            (m.to_json(), m.link(&crm, &shop, 0.3, false).unwrap())
        })
    };
    let (model_1, links_1) = run(1);
    let (model_2, links_2) = run(2);
    assert_eq!(model_1, model_2);
    assert_eq!(links_1, links_2);
}

/// The social linker too: its fit (sessions, u refined on the candidates) and its link
/// (rival-aware probabilities) give the same model and links on 1 and 2 threads.
#[test]
fn social_results_do_not_depend_on_the_number_of_threads() {
    let world = socialcrm::synth::generate(&socialcrm::synth::WorldConfig::new(1_500, 5));
    let run = |threads: usize| {
        on_threads(threads, || {
            let mut linker = SocialLinker::new(SocialLinkerConfig::default()).unwrap();
            linker.fit(&world.contacts, &world.profiles).unwrap();
            let links = linker.link(&world.contacts, &world.profiles, 0.2).unwrap();
            (linker.to_json(), links)
        })
    };
    let (model_1, links_1) = run(1);
    let (model_2, links_2) = run(2);
    assert!(links_1.links.len() > 200, "{}", links_1.links.len());
    assert_eq!(model_1, model_2);
    assert!(
        links_1 == links_2,
        "social links differ between 1 and 2 threads"
    );
}

#[test]
fn save_load_gives_the_same_links() {
    let (crm, shop, _) = people(200);
    let mut matcher = Matcher::new(config()).unwrap();
    matcher.fit(&crm, &shop).unwrap();
    matcher.assert_no_link("c0", "s0");
    let before = matcher.link(&crm, &shop, 0.5, true).unwrap();
    let dir = std::env::temp_dir().join(format!("socialcrm-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("matcher.json");
    matcher.save(&path).unwrap();
    let loaded = Matcher::load(&path).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(loaded.assertions(), matcher.assertions());
    let after = loaded.link(&crm, &shop, 0.5, true).unwrap();
    assert!(after == before, "links differ after save/load");
    assert!(!pairs(&before.links).contains(&("c0".to_owned(), "s0".to_owned())));
}

#[test]
fn corrupt_or_newer_models_are_errors() {
    let (crm, shop, _) = people(50);
    let mut matcher = Matcher::new(config()).unwrap();
    matcher.fit(&crm, &shop).unwrap();
    let json = matcher.to_json();
    for bad in [
        String::new(),
        "{".to_owned(),
        json[..json.len() / 2].to_owned(),
        json.replace("\"version\":1", "\"version\":99"),
        json.replace("socialcrm.matcher", "something.else"),
        json.replace("\"lambda\":", "\"lambda\":-1,\"x\":"),
    ] {
        match Matcher::from_json(&bad) {
            Err(Error::Model(msg)) => assert!(!msg.is_empty()),
            other => panic!("expected a model error for {:.40?}, got {other:?}", bad),
        }
    }
    let newer = json.replace("\"version\":1", "\"version\":2");
    let err = Matcher::from_json(&newer).unwrap_err().to_string();
    assert!(err.contains("newer"), "{err}");
    // files: bytes that are not UTF-8 are a corrupt model too, and a missing file is an
    // I/O error that names the file
    let dir = std::env::temp_dir().join(format!("scrm-models-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let binary = dir.join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, b'{']).unwrap();
    assert!(matches!(Matcher::load(&binary), Err(Error::Model(_))));
    assert!(matches!(SocialLinker::load(&binary), Err(Error::Model(_))));
    let missing = dir.join("missing.json");
    match Matcher::load(&missing) {
        Err(e @ Error::Io(_)) => assert!(e.to_string().contains("missing.json"), "{e}"),
        other => panic!("expected an I/O error, got {other:?}"),
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn assertions_override_the_model() {
    let (crm, shop, _) = people(100);
    let mut matcher = Matcher::new(config()).unwrap();
    matcher.fit(&crm, &shop).unwrap();
    // a pair that is surely not a match, and a true one
    matcher.assert_must_link("c1", "s2");
    matcher.assert_no_link("c2", "s2");
    let result = matcher.link(&crm, &shop, 0.5, false).unwrap();
    let found = pairs(&result.links);
    assert!(found.contains(&("c1".to_owned(), "s2".to_owned())));
    assert!(!found.contains(&("c2".to_owned(), "s2".to_owned())));
    let asserted = result
        .links
        .iter()
        .find(|l| l.left_id == "c1" && l.right_id == "s2")
        .unwrap();
    assert!(asserted.asserted);
    assert_eq!(asserted.match_probability, 1.0);
}

#[test]
fn explanations_cover_matches_and_non_matches() {
    let (crm, shop, _) = people(100);
    let mut matcher = Matcher::new(config()).unwrap();
    matcher.fit(&crm, &shop).unwrap();
    let good = matcher.explain(&crm, "c0", &shop, "s0").unwrap();
    assert!(good.match_probability > 0.9, "{good}");
    assert_eq!(good.fields.len(), 5);
    assert!(!good.blocking_rules.is_empty());
    let total: f64 = good.prior_weight + good.fields.iter().map(|f| f.weight).sum::<f64>();
    assert!((total - good.match_weight).abs() < 1e-9);
    let bad = matcher.explain(&crm, "c1", &shop, "s0").unwrap();
    assert!(bad.match_probability < 0.5, "{bad}");
    assert!(bad.fields.iter().any(|f| f.level == "different"));
    assert!(matches!(
        matcher.explain(&crm, "nobody", &shop, "s0"),
        Err(Error::UnknownId(_))
    ));
}

#[test]
fn bad_input_gets_clear_errors() {
    let mut dup = Records::new(["first_name", "last_name", "dob", "city", "email"]);
    dup.push("x", [Some("a"), None, None, None, None]).unwrap();
    dup.push("x", [Some("b"), None, None, None, None]).unwrap();
    let (crm, _, _) = people(10);
    let mut matcher = Matcher::new(config()).unwrap();
    match matcher.fit(&crm, &dup) {
        Err(Error::DuplicateId { id, table }) => {
            assert_eq!((id.as_str(), table.as_str()), ("x", "right"))
        }
        other => panic!("{other:?}"),
    }
    let err = "nickname".parse::<FieldKind>().unwrap_err();
    assert!(matches!(err, Error::UnknownFieldKind { .. }));
    let missing_column = Records::new(["first_name"]);
    let err = matcher.fit(&crm, &missing_column).unwrap_err().to_string();
    assert!(err.contains("\"last_name\" is not a column"), "{err}");
    assert!(matches!(
        matcher.link(&crm, &crm, 0.5, true),
        Err(Error::NotFitted(_))
    ));
    assert!(matches!(
        Matcher::new(MatcherConfig::new(
            vec![FieldSpec::new("a", FieldKind::Name)],
            vec!["b".parse().unwrap()]
        )),
        Err(Error::InvalidArgument(_))
    ));
    matcher.fit(&crm, &crm).unwrap();
    assert!(matcher.link(&crm, &crm, f64::NAN, true).is_err());
    assert!(matcher.link(&crm, &crm, 1.5, true).is_err());
}

#[test]
fn empty_and_single_records_give_empty_results() {
    let fields = ["first_name", "last_name", "dob", "city", "email"];
    let empty = Records::new(fields);
    let mut one = Records::new(fields);
    one.push("only", [Some("Jan"), Some("de Vries"), None, None, None])
        .unwrap();
    let mut matcher = Matcher::new(config()).unwrap();
    matcher.fit(&empty, &empty).unwrap();
    assert!(
        matcher
            .link(&empty, &empty, 0.5, true)
            .unwrap()
            .links
            .is_empty()
    );
    matcher.fit_dedupe(&one).unwrap();
    let d = matcher.dedupe(&one, 0.5).unwrap();
    assert!(d.pairs.is_empty());
    assert_eq!(d.clusters.len(), 1);
}

#[test]
fn missing_values_are_no_evidence_and_huge_values_are_bounded() {
    let (crm, shop, _) = people(60);
    let mut matcher = Matcher::new(config()).unwrap();
    matcher.fit(&crm, &shop).unwrap();
    let fields = ["first_name", "last_name", "dob", "city", "email"];
    let mut a = Records::new(fields);
    a.push(
        "a",
        [
            Some("Jan"),
            Some("de Vries"),
            Some("1980-01-01"),
            None,
            None,
        ],
    )
    .unwrap();
    let mut b = Records::new(fields);
    let huge = "x".repeat(100_000);
    b.push(
        "b",
        [
            Some("Jan"),
            Some("de Vries"),
            Some("1980-01-01"),
            Some(huge.as_str()),
            None,
        ],
    )
    .unwrap();
    let e = matcher.explain(&a, "a", &b, "b").unwrap();
    let city = e.fields.iter().find(|f| f.comparison == "city").unwrap();
    let email = e.fields.iter().find(|f| f.comparison == "email").unwrap();
    assert_eq!((city.level.as_str(), city.weight), ("missing", 0.0));
    assert_eq!((email.level.as_str(), email.weight), ("missing", 0.0));
    // two over-long values that differ only past the first kilobyte do not agree: an
    // over-long value is no evidence at all, in every field kind
    let long = |tail: &str| format!("{}{tail}", "Q".repeat(1100));
    let (la, lb) = (long("a"), long("b"));
    let mut a = Records::new(fields);
    let mut b = Records::new(fields);
    for (records, value) in [(&mut a, &la), (&mut b, &lb)] {
        let v = Some(value.as_str());
        records.push("x", [v, v, v, v, v]).unwrap();
    }
    // a field of several e-mails is held to the limit address by address: a long list
    // still agrees on the address both records have
    let many: Vec<String> = (0..60).map(|i| format!("someone{i}@example.org")).collect();
    let list = format!("{}; jan.devries@example.org", many.join("; "));
    assert!(list.len() > 1024);
    let mut c = Records::new(fields);
    let mut d = Records::new(fields);
    c.push("y", [None, None, None, None, Some(list.as_str())])
        .unwrap();
    d.push(
        "y",
        [None, None, None, None, Some("jan.devries@example.org")],
    )
    .unwrap();
    let email = matcher.explain(&c, "y", &d, "y").unwrap();
    let email = email
        .fields
        .iter()
        .find(|f| f.comparison == "email")
        .unwrap();
    assert!(email.weight > 0.0, "{email:?}");
    let e = matcher.explain(&a, "x", &b, "x").unwrap();
    for f in e.fields.iter() {
        assert_eq!(
            (f.level.as_str(), f.weight),
            ("missing", 0.0),
            "{}",
            f.comparison
        );
    }
}

/// Without a consent field, a deduplication pair (the same table twice) is explained like
/// any other: consent is only read when configured.
#[test]
fn explaining_a_deduplication_pair_needs_no_consent_field() {
    let (crm, _, _) = people(60);
    let mut matcher = Matcher::new(config()).unwrap();
    matcher.fit_dedupe(&crm).unwrap();
    let e = matcher.explain(&crm, "c0", &crm, "c1").unwrap();
    assert_eq!((e.left_id.as_str(), e.right_id.as_str()), ("c0", "c1"));
}

#[test]
fn deduplication_clusters_duplicates() {
    let (crm, shop, truth) = people(200);
    // one table with both copies
    let fields = ["first_name", "last_name", "dob", "city", "email"];
    let mut all = Records::new(fields);
    for table in [&crm, &shop] {
        for (row, id) in table.ids().iter().enumerate() {
            all.push(
                id.clone(),
                fields
                    .iter()
                    .map(|f| table.value(row, f).map(str::to_owned)),
            )
            .unwrap();
        }
    }
    let mut matcher = Matcher::new(config()).unwrap();
    matcher.fit_dedupe(&all).unwrap();
    let result = matcher.dedupe(&all, 0.5).unwrap();
    let cluster = |id: &str| {
        result
            .clusters
            .iter()
            .find(|m| m.id == id)
            .unwrap()
            .cluster_id
            .clone()
    };
    let together = truth
        .iter()
        .filter(|(a, b)| cluster(a) == cluster(b))
        .count();
    assert!(
        together as f64 >= 0.95 * truth.len() as f64,
        "{together} of {}",
        truth.len()
    );
    // a cluster id is the id of its first record
    assert_eq!(cluster("c0"), "c0");
    assert_eq!(cluster("s0"), "c0");
}

#[test]
fn incremental_index_keeps_cluster_ids_and_forgets() {
    let (crm, shop, truth) = people(200);
    // the model is fitted once on data with duplicates (here: both tables together), then
    // serves the index
    let mut matcher = Matcher::new(config()).unwrap();
    matcher.fit(&crm, &shop).unwrap();
    let mut index = MatchIndex::build(&matcher, &crm, 0.5).unwrap();
    let before: Vec<Option<String>> = crm.ids().iter().map(|id| index.cluster_of(id)).collect();
    let assigned = index.add(&shop).unwrap();
    assert_eq!(assigned.len(), shop.len());
    let correct = assigned
        .iter()
        .filter(|a| {
            let crm_id = truth
                .iter()
                .find(|(_, s)| s == &a.id)
                .map(|(c, _)| c.clone())
                .unwrap();
            Some(a.cluster_id.clone()) == index.cluster_of(&crm_id)
        })
        .count();
    assert!(
        correct as f64 >= 0.95 * assigned.len() as f64,
        "{correct} of {}",
        assigned.len()
    );
    let after: Vec<Option<String>> = crm.ids().iter().map(|id| index.cluster_of(id)).collect();
    assert_eq!(before, after, "existing cluster ids changed");
    // adding a known id is an error naming it
    assert!(matches!(index.add(&shop), Err(Error::DuplicateId { .. })));
    // erase one record: it is gone, the others keep their clusters
    assert!(index.remove("c0").unwrap());
    assert_eq!(index.cluster_of("c0"), None);
    assert_eq!(index.cluster_of("c1"), after[1]);
    assert!(!index.remove("c0").unwrap());
}

/// The generic matcher's `consent_field`: a record without granted consent is not fitted on
/// (not even counted for term frequencies, which are saved), never paired by `dedupe`, not
/// linked by a must-link assertion in either order, not explained, and neither matched by
/// nor matched to a record added to an incremental index.
#[test]
fn matcher_consent_field_holds_in_dedupe_assertions_explain_and_index() {
    let (crm, shop, _) = people(200);
    let fields = ["first_name", "last_name", "dob", "city", "email", "consent"];
    let mut table = Records::new(fields);
    for source in [&crm, &shop] {
        for (row, id) in source.ids().iter().enumerate() {
            let values = fields[..5]
                .iter()
                .map(|f| source.value(row, f).map(str::to_owned))
                .chain([Some("granted".to_owned())]);
            table.push(id.clone(), values).unwrap();
        }
    }
    let anna = |consent: &'static str| {
        [
            Some("Anna"),
            Some("Quaxley"),
            Some("1975-05-05"),
            Some("Berlin"),
            Some("anna@quaxley.example"),
            Some(consent),
        ]
    };
    table.push("refused", anna("withdrawn")).unwrap();
    table.push("willing", anna("granted")).unwrap();
    table
        .push(
            "secret",
            [
                Some("Wilhelmina"),
                Some("Zzyzxovic"),
                Some("1901-01-01"),
                Some("Nowhere"),
                None,
                Some("absent"),
            ],
        )
        .unwrap();
    let mut config = config();
    config.consent_field = Some("consent".into());
    let mut matcher = Matcher::new(config).unwrap();
    matcher.fit_dedupe(&table).unwrap();
    assert!(
        !matcher.to_json().to_lowercase().contains("zzyzxovic"),
        "a record without consent was counted into the saved term frequencies"
    );
    // the two Annas agree on everything: only consent keeps them apart
    let involves = |pairs: &[socialcrm::identity::Link], id: &str| {
        pairs.iter().any(|l| l.left_id == id || l.right_id == id)
    };
    let result = matcher.dedupe(&table, 0.0).unwrap();
    assert!(!involves(&result.pairs, "refused"));
    for (a, b) in [("willing", "refused"), ("refused", "willing")] {
        let mut asserted = matcher.clone();
        asserted.assert_must_link(a, b);
        let result = asserted.dedupe(&table, 0.0).unwrap();
        assert!(!involves(&result.pairs, "refused"), "must-link {a} -> {b}");
        let cluster = |id: &str| {
            result
                .clusters
                .iter()
                .find(|m| m.id == id)
                .map(|m| m.cluster_id.clone())
        };
        assert_ne!(cluster("refused"), cluster("willing"));
        match asserted.explain(&table, a, &table, b) {
            Err(Error::ConsentRequired { contact_id, .. }) => assert_eq!(contact_id, "refused"),
            other => panic!("explain {a} -> {b}: {other:?}"),
        }
    }
    // an incremental index: a new Anna without consent matches nobody, and a new Anna with
    // consent matches the willing one, never the refused one
    let mut index = MatchIndex::build(&matcher, &table, 0.5).unwrap();
    let mut new = Records::new(fields);
    new.push("new-refused", anna("absent")).unwrap();
    new.push("new-willing", anna("granted")).unwrap();
    let added = index.add(&new).unwrap();
    assert_eq!(added[0].matched_id, None);
    assert!(added[0].new_cluster);
    assert_eq!(added[1].matched_id.as_deref(), Some("willing"));
    assert_ne!(index.cluster_of("refused"), index.cluster_of("new-willing"));
    assert_ne!(index.cluster_of("refused"), index.cluster_of("new-refused"));
    // one table linked with itself: its consent holds on the right side too
    let mut asserted = matcher.clone();
    asserted.assert_must_link("willing", "refused");
    let links = asserted.link(&table, &table, 0.0, false).unwrap();
    assert!(!links.links.is_empty());
    assert!(!involves(&links.links, "refused"));
    // a value that is no consent status is an error naming it, not a silent "no"
    let mut odd = Records::new(fields);
    odd.push("odd", [None, None, None, None, None, Some("maybe")])
        .unwrap();
    match matcher.dedupe(&odd, 0.5) {
        Err(Error::InvalidArgument(msg)) => {
            assert!(
                msg.contains("\"maybe\"") && msg.contains("\"odd\""),
                "{msg}"
            )
        }
        other => panic!("expected an error for consent \"maybe\", got {other:?}"),
    }
    let mut empty = self::config();
    empty.consent_field = Some(" ".into());
    assert!(matches!(
        Matcher::new(empty),
        Err(Error::InvalidArgument(_))
    ));
}

fn granted() -> Consent {
    Consent {
        social_linking: ConsentStatus::Granted,
    }
}

fn contact(id: &str, first: &str, last: &str, city: &str, consent: Consent) -> Contact {
    Contact {
        id: id.into(),
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        city: Some(city.into()),
        emails: vec![format!(
            "{}.{}@example.org",
            first.to_lowercase(),
            last.replace(' ', "").to_lowercase()
        )],
        consent,
        ..Contact::default()
    }
}

fn profile(id: &str, handle: &str, display: &str, location: &str) -> SocialProfile {
    SocialProfile {
        id: id.into(),
        platform: "twitter".into(),
        handle: Some(handle.into()),
        display_name: Some(display.into()),
        location: Some(location.into()),
        ..SocialProfile::default()
    }
}

#[test]
fn social_linking_respects_consent_everywhere() {
    let contacts = vec![
        contact("c1", "Jan", "de Vries", "Utrecht", granted()),
        contact("c2", "Petra", "Müller", "Köln", Consent::default()),
        contact(
            "c3",
            "Anna",
            "Schmidt",
            "Berlin",
            Consent {
                social_linking: ConsentStatus::Withdrawn,
            },
        ),
    ];
    let profiles = vec![
        profile("p1", "jdevries82", "Jan de Vries 🚲", "Utrecht, NL"),
        profile("p2", "petra.mueller", "Petra Müller", "Köln"),
        profile("p3", "anna_schmidt", "Anna Schmidt", "Berlin"),
    ];
    let mut linker = SocialLinker::new(SocialLinkerConfig::default()).unwrap();
    linker.fit(&contacts, &profiles).unwrap();
    linker.assert_must_link("c2", "p2");
    let result = linker.link(&contacts, &profiles, 0.0).unwrap();
    assert!(
        result.links.iter().all(|l| l.left_id == "c1"),
        "{:?}",
        result.links
    );
    assert_eq!(result.contacts_without_consent, 2);
    assert!(matches!(
        linker.explain(&contacts, "c2", &profiles, "p2"),
        Err(Error::ConsentRequired { .. })
    ));
    let e = linker.explain(&contacts, "c1", &profiles, "p1").unwrap();
    // display name "Jan de Vries" is the full name and handle "jdevries82" initial + surname
    assert_eq!(e.fields[0].comparison, "name");
    assert_eq!(e.fields[0].level, "full name in display name and handle");
    let location = e
        .fields
        .iter()
        .find(|f| f.comparison == "location")
        .unwrap();
    assert_eq!(location.level, "same city");
}

#[test]
fn social_linking_duplicate_ids_are_errors() {
    let c = contact("c1", "Jan", "de Vries", "Utrecht", granted());
    let p = profile("p1", "jdevries82", "Jan de Vries", "Utrecht");
    assert!(matches!(
        link_social(&[c.clone(), c], std::slice::from_ref(&p)),
        Err(Error::DuplicateId { .. })
    ));
}

mod consent_property {
    use super::*;
    use proptest::prelude::*;

    fn consent_strategy() -> impl Strategy<Value = ConsentStatus> {
        prop_oneof![
            Just(ConsentStatus::Granted),
            Just(ConsentStatus::Withdrawn),
            Just(ConsentStatus::Absent)
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever the data, assertions and threshold: no contact without granted consent is
        /// ever linked.
        #[test]
        fn no_link_without_consent(
            people in proptest::collection::vec((0usize..24, 0usize..24, 0usize..8, consent_strategy()), 1..30),
            must_link in proptest::collection::vec((0usize..30, 0usize..30), 0..5),
            threshold in 0.0f64..1.0,
        ) {
            let contacts: Vec<Contact> = people.iter().enumerate().map(|(i, &(f, l, c, consent))| {
                contact(&format!("c{i}"), FIRST[f], LAST[l], CITY[c], Consent { social_linking: consent })
            }).collect();
            let profiles: Vec<SocialProfile> = people.iter().enumerate().map(|(i, &(f, l, c, _))| {
                let handle = format!("{}{}", &FIRST[f][..1], LAST[l].replace(' ', "")).to_lowercase();
                profile(&format!("p{i}"), &handle, &format!("{} {}", FIRST[f], LAST[l]), CITY[c])
            }).collect();
            let mut linker = SocialLinker::new(SocialLinkerConfig::default()).unwrap();
            linker.fit(&contacts, &profiles).unwrap();
            for (a, b) in must_link {
                linker.assert_must_link(&format!("c{a}"), &format!("p{b}"));
            }
            let result = linker.link(&contacts, &profiles, threshold).unwrap();
            for link in &result.links {
                let c = contacts.iter().find(|c| c.id == link.left_id).unwrap();
                prop_assert!(c.consent.social_linking.is_granted(), "linked {} without consent", c.id);
            }
            // one profile per contact and platform, one contact per profile
            let mut seen_profiles = std::collections::HashSet::new();
            let mut seen_contacts = std::collections::HashSet::new();
            for link in &result.links {
                prop_assert!(seen_profiles.insert(link.right_id.clone()));
                prop_assert!(seen_contacts.insert(link.left_id.clone()));
            }
        }
    }
}

/// `link` right after `fit` on the same records reuses the fit's comparisons; a loaded copy
/// of the matcher (no cache) must produce exactly the same links, with and without
/// term-frequency fields.
#[test]
fn reused_comparisons_match_fresh_ones() {
    let (crm, shop, _) = people(300);
    for with_tf in [true, false] {
        let mut config = config();
        for f in &mut config.fields {
            f.term_frequency = with_tf && f.kind == FieldKind::Name;
        }
        let mut matcher = Matcher::new(config).unwrap();
        matcher.fit(&crm, &shop).unwrap();
        let cached = matcher.link(&crm, &shop, 0.2, false).unwrap();
        let fresh = Matcher::from_json(&matcher.to_json())
            .unwrap()
            .link(&crm, &shop, 0.2, false)
            .unwrap();
        assert!(
            cached == fresh,
            "cached and fresh links differ (term frequency {with_tf})"
        );
        assert!(!cached.links.is_empty());
    }
}

/// The social linker's `link` after `fit` scores the fit's comparisons; a loaded copy (no
/// cache), and the same linker after the cache is dropped by `forget_id`, must link exactly
/// alike, links, weights and evidence.
#[test]
fn social_reused_comparisons_match_fresh_ones() {
    let world = socialcrm::synth::generate(&socialcrm::synth::WorldConfig::new(1_500, 3));
    let mut linker = SocialLinker::new(SocialLinkerConfig::default()).unwrap();
    linker.fit(&world.contacts, &world.profiles).unwrap();
    let cached = linker.link(&world.contacts, &world.profiles, 0.3).unwrap();
    assert!(cached.links.len() > 200, "{}", cached.links.len());
    let loaded = SocialLinker::from_json(&linker.to_json()).unwrap();
    let fresh = loaded.link(&world.contacts, &world.profiles, 0.3).unwrap();
    assert!(cached == fresh, "cached and fresh social links differ");
    linker.forget_id("nobody");
    let after_forget = linker.link(&world.contacts, &world.profiles, 0.3).unwrap();
    assert!(cached == after_forget);
    // other records than the fitted ones are never scored from the cache
    let fewer = &world.profiles[..world.profiles.len() / 2];
    let part = linker.link(&world.contacts, fewer, 0.3).unwrap();
    let part_fresh = loaded.link(&world.contacts, fewer, 0.3).unwrap();
    assert!(part == part_fresh);
    assert!(part.links.len() < cached.links.len());
}
