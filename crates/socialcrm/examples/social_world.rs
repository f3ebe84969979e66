//! Links a synthetic CRM to synthetic social profiles and scores the result against the
//! generator's ground truth.
//!
//! ```text
//! cargo run --release -p socialcrm --example social_world -- [PERSONS] [SEED]
//! ```
//!
//! Reports precision and recall against the true links that a consent-respecting linker can
//! find (contacts with granted consent), checks that no link involves a contact without
//! consent, and prints timings and the peak resident memory.
//!
//! The environment variables `EXTRA`, `NOISE`, `NAMESAKES` and `PROFILE_RATE` override the
//! world's defaults (see `WorldConfig`); `CALIBRATE`, `TABULATE`, `ORACLE` and `TRUE_M` add
//! diagnostics.

use std::collections::HashSet;
use std::time::Instant;

use socialcrm::identity::{SocialLinker, SocialLinkerConfig};
use socialcrm::synth::{WorldConfig, generate};

// the allocator an application linking millions of records would choose (the CLI and the
// Python extension use it too); the core crate leaves that choice to the application
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let persons: usize = args.next().map_or(Ok(100_000), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(1), |s| s.parse())?;
    let t = Instant::now();
    // EXTRA, NOISE, NAMESAKES, PROFILE_RATE override the world's defaults, to see how the
    // linker generalises beyond the world it was tuned on
    let mut config = WorldConfig::new(persons, seed);
    let knob = |name: &str, default: f64| -> Result<f64, std::num::ParseFloatError> {
        std::env::var(name).map_or(Ok(default), |v| v.parse())
    };
    config.extra_profiles = knob("EXTRA", config.extra_profiles)?;
    config.noise = knob("NOISE", config.noise)?;
    config.namesake_rate = knob("NAMESAKES", config.namesake_rate)?;
    config.profile_rate = knob("PROFILE_RATE", config.profile_rate)?;
    let world = generate(&config);
    let generated = t.elapsed().as_secs_f64();
    println!(
        "world: {persons} persons, {} contacts, {} profiles (generated in {generated:.1} s)",
        world.contacts.len(),
        world.profiles.len()
    );
    let t = Instant::now();
    // PRIOR=x fixes λ instead of estimating it (to study calibration)
    let prior = std::env::var("PRIOR").ok().map(|p| p.parse()).transpose()?;
    let mut linker = SocialLinker::new(SocialLinkerConfig {
        prior,
        ..SocialLinkerConfig::default()
    })?;
    let fit_stats = linker.fit(&world.contacts, &world.profiles)?;
    let fitted = t.elapsed().as_secs_f64();
    let result = linker.link(&world.contacts, &world.profiles, 0.5)?;
    let total = t.elapsed().as_secs_f64();

    let granted: HashSet<&str> = world
        .contacts
        .iter()
        .filter(|c| c.consent.social_linking.is_granted())
        .map(|c| c.id.as_str())
        .collect();
    let violations = result
        .links
        .iter()
        .filter(|l| !granted.contains(l.left_id.as_str()))
        .count();
    // a profile links to one contact: a person with duplicate CRM records can be found
    // through any of them, so a link is correct if contact and profile are the same person
    let truth = &world.truth;
    let same_person = |contact: &str, profile: &str| {
        truth.person_of_contact(contact).is_some()
            && truth.person_of_contact(contact) == truth.person_of_profile(profile)
    };
    let correct = result
        .links
        .iter()
        .filter(|l| same_person(&l.left_id, &l.right_id))
        .count();
    // recall: profiles that have at least one consenting contact of the same person
    let linkable: HashSet<String> = truth
        .consented_true_links(&world.contacts)
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let precision = correct as f64 / result.links.len().max(1) as f64;
    let recall = correct as f64 / linkable.len().max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
    println!(
        "candidates {} (fit {}), links {}, linkable profiles {}, precision {precision:.4} recall {recall:.4} F1 {f1:.4}",
        result.stats.candidate_pairs,
        fit_stats.candidate_pairs,
        result.links.len(),
        linkable.len()
    );
    println!(
        "consent: {} contacts without consent excluded, {violations} links to them",
        result.contacts_without_consent
    );
    for r in &result.stats.rules {
        println!(
            "  rule {:<28} pairs {:>10} skipped keys {:>5} ({} pairs) share of matches {:.3}",
            r.rule,
            r.pairs,
            r.skipped_keys,
            r.skipped_pairs,
            r.share_of_matches.unwrap_or(0.0)
        );
    }
    println!(
        "  estimated blocking recall {:.4}",
        result.stats.estimated_recall.unwrap_or(0.0)
    );
    if let Some(model) = linker.model() {
        println!(
            "  lambda {:.3e}, EM iterations {}, converged {}",
            model.lambda, model.iterations, model.converged
        );
        for c in &model.comparisons {
            let w: Vec<String> = (1..c.levels.len())
                .map(|l| format!("{:+.1}", c.weight(l)))
                .collect();
            println!("  {:<28} {}", c.name, w.join(" "));
        }
    }
    println!(
        "time: fit {fitted:.1} s, fit + link {total:.1} s; peak RSS {:.0} MiB",
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    if std::env::var("CALIBRATE").is_ok() {
        let all = linker.link(&world.contacts, &world.profiles, 0.01)?;
        let mut buckets = [(0usize, 0usize); 10];
        for l in &all.links {
            let b = ((l.match_probability * 10.0) as usize).min(9);
            buckets[b].0 += 1;
            if same_person(&l.left_id, &l.right_id) {
                buckets[b].1 += 1;
            }
        }
        for (i, (n, ok)) in buckets.iter().enumerate() {
            println!(
                "p in [{:.1}, {:.1}): {n} links, {:.3} correct",
                i as f64 / 10.0,
                (i + 1) as f64 / 10.0,
                *ok as f64 / (*n).max(1) as f64
            );
        }
        let mut best = (0.0, 0.0);
        for t in 1..20 {
            let t = t as f64 / 20.0;
            let chosen: Vec<_> = all
                .links
                .iter()
                .filter(|l| l.match_probability >= t)
                .collect();
            let ok = chosen
                .iter()
                .filter(|l| same_person(&l.left_id, &l.right_id))
                .count();
            let (p, r) = (
                ok as f64 / chosen.len().max(1) as f64,
                ok as f64 / linkable.len().max(1) as f64,
            );
            let f = 2.0 * p * r / (p + r).max(1e-9);
            if f > best.1 {
                best = (t, f);
            }
            println!("threshold {t:.2}: precision {p:.4} recall {r:.4} F1 {f:.4}");
        }
        println!("best threshold {:.2} F1 {:.4}", best.0, best.1);
    }
    // per linkable profile, the explanation of its first consenting contact that is a
    // candidate, or the contact it is never a candidate with (explaining ~60k pairs at 100k
    // persons takes seconds, so only when asked for)
    let (true_candidates, never_candidates) = if std::env::var("TRUE_M").is_ok()
        || std::env::var("ORACLE").is_ok()
    {
        let mut explained = std::collections::HashMap::new();
        let mut missed = std::collections::HashMap::new();
        for (c, p) in truth.consented_true_links(&world.contacts) {
            if explained.contains_key(&p) {
                continue;
            }
            let e = linker.explain(&world.contacts, &c, &world.profiles, &p)?;
            if e.blocking_rules.is_empty() {
                missed.entry(p).or_insert(c);
            } else {
                missed.remove(&p);
                explained.insert(p, e);
            }
        }
        let mut missed: Vec<(String, String)> = missed.into_iter().map(|(p, c)| (c, p)).collect();
        missed.sort();
        (explained.into_values().collect::<Vec<_>>(), missed)
    } else {
        (Vec::new(), Vec::new())
    };
    if std::env::var("TRUE_M").is_ok() {
        // the m-probabilities the truth implies (level shares among true links that are
        // candidates) beside the fitted ones
        let model = linker.model().ok_or("not fitted")?;
        let mut counts: Vec<Vec<usize>> = model
            .comparisons
            .iter()
            .map(|c| vec![0; c.levels.len()])
            .collect();
        let mut tf_sum = 0.0;
        let n = true_candidates.len();
        for e in &true_candidates {
            for (k, f) in e.fields.iter().enumerate() {
                counts[k][f.level_index as usize] += 1;
            }
            tf_sum += e.fields[0].term_frequency_adjustment;
        }
        for (k, c) in model.comparisons.iter().enumerate() {
            let truth_m: Vec<String> = counts[k]
                .iter()
                .map(|&x| format!("{:.3}", x as f64 / n.max(1) as f64))
                .collect();
            let fitted: Vec<String> = c.m.iter().map(|x| format!("{x:.3}")).collect();
            let u: Vec<String> = c.u.iter().map(|x| format!("{x:.2e}")).collect();
            println!(
                "  {:<28} true m {}\n  {:<28} fit  m {}\n  {:<28} u      {}",
                c.name,
                truth_m.join(" "),
                "",
                fitted.join(" "),
                "",
                u.join(" ")
            );
        }
        println!(
            "  mean name tf adjustment on true links {:+.2}",
            tf_sum / n.max(1) as f64
        );
    }
    if std::env::var("ORACLE").is_ok() {
        // What any scorer of these comparisons could reach: candidates whose evidence
        // (every comparison's level, and the name weight, which carries the term-frequency
        // adjustment, to 0.5 bit) is identical are indistinguishable, so the best possible
        // ranking takes the groups by their true share of matches. Measured on the same
        // links it ranks, so an optimistic ceiling.
        let all = linker.link(&world.contacts, &world.profiles, 0.001)?;
        let mut groups: std::collections::HashMap<Vec<i64>, (usize, usize)> =
            std::collections::HashMap::new();
        for l in &all.links {
            let mut key: Vec<i64> = l.evidence.iter().map(|e| e.level as i64).collect();
            key.push((l.evidence[0].weight * 2.0).round() as i64);
            let g = groups.entry(key).or_default();
            g.0 += 1;
            if same_person(&l.left_id, &l.right_id) {
                g.1 += 1;
            }
        }
        let mut ranked: Vec<(usize, usize)> = groups.into_values().collect();
        ranked.sort_by(|a, b| (b.1 * a.0).cmp(&(a.1 * b.0)));
        let (mut chosen, mut ok, mut best) = (0usize, 0usize, (0.0f64, 0.0, 0.0));
        for (n, t) in ranked {
            chosen += n;
            ok += t;
            let (p, r) = (
                ok as f64 / chosen as f64,
                ok as f64 / linkable.len().max(1) as f64,
            );
            let f = 2.0 * p * r / (p + r).max(1e-9);
            if f > best.0 {
                best = (f, p, r);
            }
        }
        // and a perfect decision on every candidate pair
        let candidate = true_candidates.len();
        if std::env::var("ORACLE").is_ok_and(|v| v == "show") {
            let contacts: std::collections::HashMap<&str, &socialcrm::Contact> =
                world.contacts.iter().map(|c| (c.id.as_str(), c)).collect();
            let profiles: std::collections::HashMap<&str, &socialcrm::SocialProfile> =
                world.profiles.iter().map(|p| (p.id.as_str(), p)).collect();
            for (c, p) in never_candidates.iter().take(25) {
                let (cc, pp) = (contacts[c.as_str()], profiles[p.as_str()]);
                println!(
                    "NOT A CANDIDATE {:?} {:?} {:?} {:?} {:?} | {:?} {:?} {:?} {:?} {:?} {:?}",
                    cc.first_name,
                    cc.last_name,
                    cc.emails,
                    cc.city,
                    cc.company,
                    pp.platform,
                    pp.handle,
                    pp.display_name,
                    pp.location,
                    pp.email,
                    pp.bio
                );
            }
        }
        println!(
            "ceiling: best grouping of the evidence F1 {:.4} (P {:.4} R {:.4}); \
             linkable profiles that are candidates {candidate} of {} (recall ceiling {:.4})",
            best.0,
            best.1,
            best.2,
            linkable.len(),
            candidate as f64 / linkable.len().max(1) as f64
        );
    }
    if std::env::var("TABULATE").is_ok() {
        let mut false_by_level = std::collections::BTreeMap::new();
        for l in &result.links {
            if truth.person_of_contact(&l.left_id) != truth.person_of_profile(&l.right_id) {
                *false_by_level.entry(l.evidence[0].level).or_insert(0usize) += 1;
            }
        }
        println!("false links by name level: {false_by_level:?}");
        let linked: HashSet<&str> = result.links.iter().map(|l| l.right_id.as_str()).collect();
        let mut missed_by_level = std::collections::BTreeMap::new();
        let mut missed_not_candidate = 0usize;
        let mut n = 0usize;
        let pairs = truth.consented_true_links(&world.contacts);
        let mut seen_profiles = HashSet::new();
        for (c, p) in &pairs {
            if linked.contains(p.as_str()) || !seen_profiles.insert(p.clone()) {
                continue;
            }
            n += 1;
            if n > 3000 {
                break;
            }
            let e = linker.explain(&world.contacts, c, &world.profiles, p)?;
            if e.blocking_rules.is_empty() {
                missed_not_candidate += 1;
            } else {
                *missed_by_level
                    .entry((e.fields[0].level.clone(), e.match_probability > 0.5))
                    .or_insert(0usize) += 1;
            }
        }
        println!(
            "missed (first {n}): not a candidate {missed_not_candidate}; by (name level, p>0.5): {missed_by_level:#?}"
        );
    }
    if std::env::var("SHOW_ERRORS").is_ok() {
        let by_id: std::collections::HashMap<&str, &socialcrm::Contact> =
            world.contacts.iter().map(|c| (c.id.as_str(), c)).collect();
        let pr: std::collections::HashMap<&str, &socialcrm::SocialProfile> =
            world.profiles.iter().map(|p| (p.id.as_str(), p)).collect();
        let wrong: Vec<_> = result
            .links
            .iter()
            .filter(|l| {
                truth.person_of_contact(&l.left_id) != truth.person_of_profile(&l.right_id)
                    && l.evidence[0].level == 1
            })
            .take(8)
            .collect();
        for l in wrong {
            let c = by_id[l.left_id.as_str()];
            let p = pr[l.right_id.as_str()];
            println!(
                "FALSE {:?} {:?} {:?} | {:?} {:?} {:?} {:?} (profile person {:?}, its contacts {:?})",
                c.first_name,
                c.last_name,
                c.city,
                p.handle,
                p.display_name,
                p.location,
                p.bio,
                truth.person_of_profile(&p.id),
                truth
                    .person_of_profile(&p.id)
                    .map(|x| truth.contacts_of_person(x))
            );
            println!(
                "{}",
                linker.explain(&world.contacts, &l.left_id, &world.profiles, &l.right_id)?
            );
        }
        let linked: HashSet<&str> = result.links.iter().map(|l| l.right_id.as_str()).collect();
        let mut shown = 0;
        for (c, p) in truth.consented_true_links(&world.contacts) {
            if linked.contains(p.as_str()) || shown >= 6 {
                continue;
            }
            let e = linker.explain(&world.contacts, &c, &world.profiles, &p)?;
            if e.fields[0].level_index != 1 {
                continue;
            }
            shown += 1;
            let (cc, pp) = (by_id[c.as_str()], pr[p.as_str()]);
            println!(
                "MISSED {:?} {:?} {:?} | {:?} {:?} {:?}",
                cc.first_name, cc.last_name, cc.emails, pp.handle, pp.display_name, pp.location
            );
            println!(
                "{}",
                linker.explain(&world.contacts, &c, &world.profiles, &p)?
            );
        }
    }
    if violations > 0 {
        return Err("consent violated".into());
    }
    Ok(())
}
