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
        "socialcrm {} — text layer demo on {} posts ({})\n",
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
    out.flush()?;
    Ok(())
}
