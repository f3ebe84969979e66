//! The `socialcrm` command.
//!
//! `socialcrm demo` is the first thing to run: it analyses the bundled sample posts and shows
//! what the library sees. The other subcommands expose single capabilities on line-oriented
//! input for shell pipelines.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::{Deserialize, Serialize};
use socialcrm::text::{Stemmer, Token, TokenKind, detect_language, tokenize};

/// mimalloc: the identity demo prepares many small strings on worker threads (see the Python
/// binding for the measurement).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Sample posts bundled with the binary, so that `socialcrm demo` needs no files.
const SAMPLE_POSTS: &str = include_str!("../data/posts.jsonl");

#[derive(Parser)]
#[command(
    name = "socialcrm",
    version,
    about = "Social CRM engine: demo and command-line tools"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse the bundled multilingual sample posts (or your own JSONL file) and print the
    /// language, tokens and stems of each.
    Demo {
        /// A JSONL file of posts ({"id": ..., "author": ..., "text": ...}) instead of the
        /// bundled sample.
        #[arg(long)]
        posts: Option<PathBuf>,
    },
    /// Tokenize each line of the input; prints one JSON array of tokens per line.
    Tokenize {
        /// Input file (default: standard input).
        input: Option<PathBuf>,
    },
    /// Detect the language of each line of the input; prints `code<TAB>confidence`.
    DetectLanguage {
        /// Input file (default: standard input).
        input: Option<PathBuf>,
    },
}

#[derive(Deserialize)]
struct Post {
    id: String,
    #[serde(default)]
    author: String,
    text: String,
}

#[derive(Serialize)]
struct TokenRecord<'a> {
    kind: &'static str,
    text: &'a str,
    start: usize,
    end: usize,
    normalized: String,
    elongated: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<&'a str>,
}

impl<'a> From<Token<'a>> for TokenRecord<'a> {
    fn from(t: Token<'a>) -> Self {
        TokenRecord {
            kind: t.kind.name(),
            text: t.text,
            start: t.start,
            end: t.end(),
            normalized: t.normalized().into_owned(),
            elongated: t.elongated,
            parts: t.parts().collect(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo { posts } => demo(posts),
        Command::Tokenize { input } => for_each_line(input, |line, out| {
            let tokens: Vec<TokenRecord> = tokenize(line).map(TokenRecord::from).collect();
            serde_json::to_writer(&mut *out, &tokens)?;
            writeln!(out)?;
            Ok(())
        }),
        Command::DetectLanguage { input } => for_each_line(input, |line, out| {
            let guess = detect_language(line);
            writeln!(out, "{}\t{:.3}", guess.language.code(), guess.confidence)?;
            Ok(())
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e)
            if e.downcast_ref::<io::Error>().map(io::Error::kind)
                == Some(io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("socialcrm: {e}");
            ExitCode::FAILURE
        }
    }
}

type AnyResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn for_each_line(
    input: Option<PathBuf>,
    mut f: impl FnMut(&str, &mut dyn Write) -> AnyResult,
) -> AnyResult {
    let reader: Box<dyn BufRead> = match &input {
        Some(path) => Box::new(BufReader::new(
            File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?,
        )),
        None => Box::new(io::stdin().lock()),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut buf = Vec::new();
    let mut reader = reader;
    let mut line_no = 0usize;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_no += 1;
        let line = std::str::from_utf8(&buf)
            .map_err(|e| format!("line {line_no}: invalid UTF-8 at byte {}", e.valid_up_to()))?;
        f(line.trim_end_matches(['\n', '\r']), &mut out)?;
    }
    out.flush()?;
    Ok(())
}

fn demo(posts: Option<PathBuf>) -> AnyResult {
    let source = match &posts {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        None => SAMPLE_POSTS.to_owned(),
    };
    let mut parsed = Vec::new();
    for (i, line) in source
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let post: Post =
            serde_json::from_str(line).map_err(|e| format!("posts line {}: {e}", i + 1))?;
        parsed.push(post);
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    writeln!(
        out,
        "socialcrm {} demo — text: {} posts ({}); then identity matching\n",
        socialcrm::VERSION,
        parsed.len(),
        posts
            .as_ref()
            .map_or("bundled sample".to_owned(), |p| p.display().to_string())
    )?;
    for post in &parsed {
        let guess = detect_language(&post.text);
        writeln!(out, "── {}  {}", post.id, post.author)?;
        writeln!(out, "   {}", post.text)?;
        writeln!(
            out,
            "   language: {} ({}), confidence {:.2}",
            guess.language.code(),
            guess.language.name(),
            guess.confidence
        )?;
        let tokens: Vec<Token> = tokenize(&post.text).collect();
        let stemmer = Stemmer::new(guess.language);
        let mut social = Vec::new();
        let mut words = Vec::new();
        for t in &tokens {
            match t.kind {
                TokenKind::Word => {
                    let normalized = t.normalized();
                    let stem = stemmer.stem(&normalized);
                    let mark = if t.elongated { "!" } else { "" };
                    if stem == normalized {
                        words.push(format!("{normalized}{mark}"));
                    } else {
                        words.push(format!("{normalized}→{stem}{mark}"));
                    }
                }
                TokenKind::Hashtag => {
                    let parts: Vec<_> = t.parts().collect();
                    social.push(format!("hashtag {} [{}]", t.text, parts.join(", ")));
                }
                TokenKind::Number | TokenKind::Punctuation | TokenKind::Symbol => {}
                kind => social.push(format!("{kind} {}", t.text)),
            }
        }
        writeln!(out, "   {} tokens; {}", tokens.len(), social.join(" · "))?;
        writeln!(out, "   words→stems: {}", words.join(" "))?;
        writeln!(out)?;
    }
    writeln!(
        out,
        "Legend: word→stem; a trailing ! marks an elongated word (\"soooo\" → \"so\")."
    )?;
    if posts.is_none() {
        identity_demo(&mut out)?;
    }
    out.flush()?;
    Ok(())
}

/// The identity part of the demo, on a synthetic world generated on the spot (deterministic:
/// the same seed gives the same people every time) so that the results can be checked
/// against its ground truth.
fn identity_demo(out: &mut dyn Write) -> AnyResult {
    use socialcrm::identity::{
        BlockingRule, FieldKind, FieldSpec, Matcher, MatcherConfig, Records, SocialLinker,
        SocialLinkerConfig,
    };
    use socialcrm::synth::{WorldConfig, generate};
    use std::collections::HashSet;

    let persons = 5_000;
    let world = generate(&WorldConfig::new(persons, 7));
    let truth = &world.truth;
    writeln!(
        out,
        "\n══ Identity: a synthetic CRM of {} contacts and {} social profiles ({persons} people, seed 7)\n",
        world.contacts.len(),
        world.profiles.len()
    )?;

    // link social profiles to contacts, with consent
    let started = std::time::Instant::now();
    let mut linker = SocialLinker::new(SocialLinkerConfig::default())?;
    linker.fit(&world.contacts, &world.profiles)?;
    let result = linker.link(&world.contacts, &world.profiles, 0.5)?;
    let elapsed = started.elapsed().as_secs_f64();
    let same_person = |c: &str, p: &str| {
        truth.person_of_contact(c).is_some()
            && truth.person_of_contact(c) == truth.person_of_profile(p)
    };
    let correct = result
        .links
        .iter()
        .filter(|l| same_person(&l.left_id, &l.right_id))
        .count();
    let linkable: HashSet<String> = truth
        .consented_true_links(&world.contacts)
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    writeln!(
        out,
        "Social linking: {} links in {elapsed:.2} s; {} of them right (precision {:.3}), {} of {} linkable profiles found (recall {:.3}).",
        result.links.len(),
        correct,
        correct as f64 / result.links.len().max(1) as f64,
        correct,
        linkable.len(),
        correct as f64 / linkable.len().max(1) as f64
    )?;
    writeln!(
        out,
        "Consent: {} contacts have not granted consent to social linking and were left out entirely.",
        result.contacts_without_consent
    )?;
    if let Some(link) = result
        .links
        .iter()
        .find(|l| same_person(&l.left_id, &l.right_id) && l.match_probability < 0.999)
    {
        writeln!(out, "\nWhy {} ~ {}:", link.left_id, link.right_id)?;
        write!(
            out,
            "{}",
            linker.explain(
                &world.contacts,
                &link.left_id,
                &world.profiles,
                &link.right_id
            )?
        )?;
    }
    if let Some(c) = world
        .contacts
        .iter()
        .find(|c| !c.consent.social_linking.is_granted())
    {
        if let Some(p) = world.profiles.first() {
            match linker.explain(&world.contacts, &c.id, &world.profiles, &p.id) {
                Err(e) => writeln!(out, "\nExplaining {} ~ {} is refused: {e}", c.id, p.id)?,
                Ok(_) => writeln!(out, "\nBUG: a contact without consent was explained")?,
            }
        }
    }

    // deduplicate the CRM itself (needs no consent)
    let fields = [
        "first_name",
        "last_name",
        "birth_date",
        "email",
        "phone",
        "postcode",
        "city",
    ];
    let mut records = Records::new(fields);
    for c in &world.contacts {
        records.push(
            c.id.clone(),
            [
                c.first_name.clone(),
                c.last_name.clone(),
                c.birth_date.clone(),
                (!c.emails.is_empty()).then(|| c.emails.join(";")),
                (!c.phones.is_empty()).then(|| c.phones.join(";")),
                c.postcode.clone(),
                c.city.clone(),
            ],
        )?;
    }
    let config = MatcherConfig::new(
        vec![
            FieldSpec::new("first_name", FieldKind::Name),
            FieldSpec::new("last_name", FieldKind::Name),
            FieldSpec::new("birth_date", FieldKind::Date),
            FieldSpec::new("email", FieldKind::Email),
            FieldSpec::new("phone", FieldKind::Phone),
            FieldSpec::new("postcode", FieldKind::Postcode),
            FieldSpec::new("city", FieldKind::Text),
        ],
        vec![
            "last_name:phonetic+first_name:initial".parse()?,
            BlockingRule::exact(["email"]),
            BlockingRule::exact(["phone"]),
            BlockingRule::exact(["birth_date"]),
        ],
    );
    let started = std::time::Instant::now();
    let mut matcher = Matcher::new(config)?;
    matcher.fit_dedupe(&records)?;
    let dedupe = matcher.dedupe(&records, 0.5)?;
    let elapsed = started.elapsed().as_secs_f64();
    let true_pairs: HashSet<(String, String)> = truth
        .duplicate_pairs()
        .into_iter()
        .map(|(a, b)| if a < b { (a, b) } else { (b, a) })
        .collect();
    let found = dedupe
        .pairs
        .iter()
        .filter(|l| {
            let (a, b) = (l.left_id.clone(), l.right_id.clone());
            true_pairs.contains(&if a < b { (a, b) } else { (b, a) })
        })
        .count();
    writeln!(
        out,
        "\nCRM deduplication: {} duplicate pairs found in {elapsed:.2} s; {found} right (precision {:.3}); {found} of {} true duplicate pairs (recall {:.3}).",
        dedupe.pairs.len(),
        found as f64 / dedupe.pairs.len().max(1) as f64,
        true_pairs.len(),
        found as f64 / true_pairs.len().max(1) as f64
    )?;
    writeln!(
        out,
        "Blocking: {} candidate pairs of {} possible, estimated blocking recall {:.3}.",
        dedupe.stats.candidate_pairs,
        dedupe.stats.possible_pairs,
        dedupe.stats.estimated_recall.unwrap_or(f64::NAN)
    )?;
    Ok(())
}
