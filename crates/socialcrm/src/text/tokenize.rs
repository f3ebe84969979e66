//! A tokenizer for social-media text.
//!
//! Generic word segmentation ([UAX #29], via `unicode-segmentation`) splits `@DB_Bahn` into
//! `@` and `DB_Bahn`, a URL into a dozen pieces, `:-)` into three punctuation marks, and
//! `unicode_words()` drops emoji entirely. Every one of those carries meaning in a post, so this
//! tokenizer recognises them first and falls back to UAX #29 word boundaries for the rest:
//!
//! | kind | examples |
//! |---|---|
//! | [`TokenKind::Word`] | `Verspätung`, `don't`, `DB_Bahn`, `soooo` (elongated) |
//! | [`TokenKind::Number`] | `42`, `3,50`, `1.000` |
//! | [`TokenKind::Mention`] | `@DB_Bahn`, `@jan.devries` |
//! | [`TokenKind::Hashtag`] | `#Verspätung`, `#KundenserviceFail` (parts: `Kundenservice`, `Fail`) |
//! | [`TokenKind::Url`] | `https://x.de/a?b=1`, `www.bol.com`, `bahn.de/reise` |
//! | [`TokenKind::Email`] | `jan.devries+shop@example.nl` |
//! | [`TokenKind::Emoji`] | `😡`, `👍🏽`, `👨‍👩‍👧`, `🇳🇱`, `1️⃣` |
//! | [`TokenKind::Emoticon`] | `:-)`, `:(`, `;D`, `xD`, `<3`, `^_^`, `:)))` (elongated) |
//! | [`TokenKind::Punctuation`] | `.`, `!!!` (one token, elongated), `„`, `%`, a lone `#` |
//! | [`TokenKind::Symbol`] | `€`, `+`, `=` and anything else that is not whitespace |
//!
//! Nothing is dropped but whitespace: the tokens, concatenated, are the input without its
//! whitespace. Tokens borrow from the input and the iterator allocates nothing, so a text of any
//! size is tokenized in constant extra memory.
//!
//! [UAX #29]: https://www.unicode.org/reports/tr29/

use std::borrow::Cow;
use std::iter::FusedIterator;
use std::ops::Range;

use unicode_normalization::char::is_combining_mark;
use unicode_properties::{GeneralCategoryGroup, UnicodeEmoji, UnicodeGeneralCategory};
use unicode_segmentation::UnicodeSegmentation;

use super::normalize::normalize;

/// The type of a [`Token`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum TokenKind {
    /// A word: letters, possibly with digits, apostrophes, underscores (`don't`, `b2b`).
    Word,
    /// A number, with its decimal and thousands separators (`3,50`).
    Number,
    /// A user handle: `@` followed by letters, digits, `_` or inner dots.
    Mention,
    /// A hashtag: `#` followed by letters, digits or `_`, with at least one letter.
    Hashtag,
    /// A web address starting with a scheme or `www.`, or a bare domain with a common top-level
    /// domain (`bahn.de`).
    Url,
    /// An e-mail address (ASCII local part and domain).
    Email,
    /// One emoji, with its modifiers: skin tones, ZWJ sequences, flags, keycaps.
    Emoji,
    /// An ASCII (or kaomoji) emoticon such as `:-)`, `:(`, `xD`, `<3`, `^_^`.
    Emoticon,
    /// Punctuation; a run of the same mark (`!!!`) is one token.
    Punctuation,
    /// Any other non-whitespace character: currency, maths and other symbols, stray marks.
    /// (`#`, `%`, `&`, `@` and `*` are Unicode punctuation, so they are
    /// [`TokenKind::Punctuation`] when they stand alone.)
    Symbol,
}

impl TokenKind {
    /// Every kind, in the order of their numeric codes in the C and Python surfaces.
    pub const ALL: [TokenKind; 10] = [
        TokenKind::Word,
        TokenKind::Number,
        TokenKind::Mention,
        TokenKind::Hashtag,
        TokenKind::Url,
        TokenKind::Email,
        TokenKind::Emoji,
        TokenKind::Emoticon,
        TokenKind::Punctuation,
        TokenKind::Symbol,
    ];

    /// The lower-case name used in C, Python and serialised output (`"word"`, `"hashtag"`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            TokenKind::Word => "word",
            TokenKind::Number => "number",
            TokenKind::Mention => "mention",
            TokenKind::Hashtag => "hashtag",
            TokenKind::Url => "url",
            TokenKind::Email => "email",
            TokenKind::Emoji => "emoji",
            TokenKind::Emoticon => "emoticon",
            TokenKind::Punctuation => "punctuation",
            TokenKind::Symbol => "symbol",
        }
    }
}

impl TokenKind {
    /// Looks a kind up by [name](TokenKind::name).
    pub fn from_name(name: &str) -> crate::Result<TokenKind> {
        TokenKind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| {
                crate::Error::InvalidArgument(format!(
                    "unknown token kind {name:?}; expected one of: {}",
                    TokenKind::ALL.map(TokenKind::name).join(", ")
                ))
            })
    }
}

impl std::fmt::Display for TokenKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One token: a slice of the input with its kind.
///
/// ```
/// use socialcrm::text::{tokenize, TokenKind};
/// let tokens: Vec<_> = tokenize("soooo gut 👍🏽 #KundenserviceFail").collect();
/// assert_eq!(tokens[0].kind, TokenKind::Word);
/// assert!(tokens[0].elongated);
/// assert_eq!(tokens[0].normalized(), "so");
/// assert_eq!(tokens[2].kind, TokenKind::Emoji);
/// assert_eq!(tokens[2].text, "👍🏽");
/// let parts: Vec<_> = tokens[3].parts().collect();
/// assert_eq!(parts, ["Kundenservice", "Fail"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token<'a> {
    /// What kind of token this is.
    pub kind: TokenKind,
    /// The token exactly as it appears in the input.
    pub text: &'a str,
    /// Byte offset of the token in the input.
    pub start: usize,
    /// The token repeats a character beyond normal spelling for emphasis: a letter three or
    /// more times in a word (`soooo`), `!!`/`??`, or an emoticon's mouth (`:)))`).
    pub elongated: bool,
}

impl<'a> Token<'a> {
    /// Byte offset just past the token.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// The byte range of the token in the input.
    pub fn span(&self) -> Range<usize> {
        self.start..self.end()
    }

    /// The form in which the token is compared, counted and stemmed.
    ///
    /// Words, numbers, mentions, hashtags and e-mail addresses are
    /// [normalised](super::normalize()) (NFKC, case-folded); elongated words have every run of
    /// three or more equal letters collapsed to one (`Soooo` → `so`) and a punctuation run is
    /// one mark (`!!!` → `!`). URLs, emoji, emoticons and symbols are returned as they are:
    /// their case or exact form carries meaning (`:D` is not `:d`).
    ///
    /// Collapsing to one letter is right for the common case (`sooo`, `jaaa`, `neeee`) but turns
    /// `goooood` into `god`: a consumer with a vocabulary should also try
    /// [`Token::collapsed_to`] with 2.
    pub fn normalized(&self) -> Cow<'a, str> {
        match self.kind {
            TokenKind::Word
            | TokenKind::Number
            | TokenKind::Mention
            | TokenKind::Hashtag
            | TokenKind::Email => {
                let base = if self.elongated {
                    Cow::Owned(collapse_runs(self.text, 1))
                } else {
                    Cow::Borrowed(self.text)
                };
                if base
                    .bytes()
                    .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
                {
                    base
                } else {
                    Cow::Owned(normalize(&base))
                }
            }
            TokenKind::Punctuation if self.elongated => {
                let first = self.text.chars().next().map_or(0, char::len_utf8);
                Cow::Borrowed(&self.text[..first])
            }
            _ => Cow::Borrowed(self.text),
        }
    }

    /// The token with every run of three or more equal letters shortened to `max_run`
    /// letters (at least 1), normalised like [`Token::normalized`]. For tokens that are not
    /// elongated this is the normalised form.
    pub fn collapsed_to(&self, max_run: usize) -> Cow<'a, str> {
        if !self.elongated || self.kind != TokenKind::Word {
            return self.normalized();
        }
        Cow::Owned(normalize(&collapse_runs(self.text, max_run.max(1))))
    }

    /// The words inside a hashtag or mention, split at `_`, `.`, letter/digit changes and
    /// camel case: `#KundenserviceFail` → `Kundenservice`, `Fail`; `@DB_Bahn` → `DB`, `Bahn`;
    /// `#COVID19` → `COVID`, `19`; `#iPhone` stays whole. Empty for other kinds.
    ///
    /// All-lower-case hashtags (`#kundenservicefail`) are not split: that needs a dictionary.
    pub fn parts(&self) -> Parts<'a> {
        let body = match self.kind {
            TokenKind::Hashtag | TokenKind::Mention => {
                let sigil = self.text.chars().next().map_or(0, char::len_utf8);
                &self.text[sigil..]
            }
            _ => "",
        };
        Parts { rest: body }
    }
}

/// Iterator over the words inside a hashtag or mention; see [`Token::parts`].
#[derive(Debug, Clone)]
pub struct Parts<'a> {
    rest: &'a str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Upper,
    Lower,
    Digit,
    Mark,
}

fn char_class(c: char) -> CharClass {
    if c.is_uppercase() {
        CharClass::Upper
    } else if c.is_numeric() {
        CharClass::Digit
    } else if is_combining_mark(c) {
        CharClass::Mark
    } else {
        // lower-case letters and letters without case (CJK, Arabic, ...)
        CharClass::Lower
    }
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest.trim_start_matches(['_', '.']);
        if s.is_empty() {
            self.rest = s;
            return None;
        }
        let mut chars = s.char_indices().peekable();
        let (_, first) = chars.next()?;
        let mut prev = char_class(first);
        let mut letters_in_part = 1usize;
        let mut end = s.len();
        while let Some((i, c)) = chars.next() {
            if c == '_' || c == '.' {
                end = i;
                break;
            }
            let class = char_class(c);
            let boundary = match (prev, class) {
                (_, CharClass::Mark) => false,
                // "eBay", "iPhone": a single lower-case letter before capitals is a prefix
                (CharClass::Lower, CharClass::Upper) => letters_in_part > 1,
                // "HTTPServer": the last capital of a run starts the next word
                (CharClass::Upper, CharClass::Upper) => {
                    chars.peek().is_some_and(|&(_, n)| n.is_lowercase())
                }
                (CharClass::Digit, CharClass::Upper | CharClass::Lower)
                | (CharClass::Upper | CharClass::Lower, CharClass::Digit) => true,
                _ => false,
            };
            if boundary {
                end = i;
                break;
            }
            if class != CharClass::Mark {
                prev = class;
                letters_in_part += 1;
            }
        }
        let (part, rest) = s.split_at(end);
        self.rest = rest;
        Some(part)
    }
}

impl FusedIterator for Parts<'_> {}

/// Tokenizes `text`. The iterator borrows `text` and allocates nothing.
///
/// ```
/// use socialcrm::text::{tokenize, TokenKind};
/// let kinds: Vec<_> = tokenize("@DB_Bahn #Verspätung schon wieder 😡 https://x.de")
///     .map(|t| (t.kind, t.text))
///     .collect();
/// assert_eq!(kinds, [
///     (TokenKind::Mention, "@DB_Bahn"),
///     (TokenKind::Hashtag, "#Verspätung"),
///     (TokenKind::Word, "schon"),
///     (TokenKind::Word, "wieder"),
///     (TokenKind::Emoji, "😡"),
///     (TokenKind::Url, "https://x.de"),
/// ]);
/// ```
pub fn tokenize(text: &str) -> Tokens<'_> {
    Tokens { text, pos: 0 }
}

/// Iterator over the tokens of a text; see [`tokenize`].
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let text = self.text;
        let bytes = text.as_bytes();
        // skip whitespace
        let mut pos = self.pos;
        while pos < bytes.len() {
            let b = bytes[pos];
            if b.is_ascii() {
                if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
                    pos += 1;
                    continue;
                }
                break;
            }
            match text[pos..].chars().next() {
                Some(c) if c.is_whitespace() => pos += c.len_utf8(),
                _ => break,
            }
        }
        if pos >= bytes.len() {
            self.pos = bytes.len();
            return None;
        }
        let prev = text[..pos].chars().next_back();
        let rest = &text[pos..];
        let (kind, len, elongated) = scan(rest, prev);
        // `scan` always consumes at least one character; the max() keeps the iterator
        // advancing even if that invariant were ever broken.
        let len = len.max(rest.chars().next().map_or(1, char::len_utf8));
        self.pos = pos + len;
        Some(Token {
            kind,
            text: &rest[..len],
            start: pos,
            elongated,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // at most one token per remaining byte; possibly none (all whitespace)
        (0, Some(self.text.len() - self.pos))
    }
}

impl FusedIterator for Tokens<'_> {}

/// Recognises the token at the start of `rest` (which starts with a non-whitespace
/// character); `prev` is the character before it, for the boundary rules of emoticons.
fn scan(rest: &str, prev: Option<char>) -> (TokenKind, usize, bool) {
    let first = rest.as_bytes()[0];
    if matches!(first, b'h' | b'H' | b'w' | b'W' | b'f' | b'F') {
        if let Some(len) = url_len(rest) {
            return (TokenKind::Url, len, false);
        }
    }
    if is_email_local_byte(first) {
        if let Some(len) = email_len(rest) {
            return (TokenKind::Email, len, false);
        }
    }
    match first {
        b'@' => {
            if let Some(len) = sigil_body_len(rest, true) {
                return (TokenKind::Mention, len, false);
            }
        }
        b'#' => {
            if let Some(len) = sigil_body_len(rest, false) {
                return (TokenKind::Hashtag, len, false);
            }
        }
        _ => {}
    }
    if let Some((len, elongated)) = emoticon_len(rest, prev) {
        return (TokenKind::Emoticon, len, elongated);
    }
    let segment = rest.split_word_bounds().next().unwrap_or(rest);
    // UAX #29 joins U+202F NARROW NO-BREAK SPACE into words (it is ExtendNumLet, for
    // Mongolian); a token never contains whitespace, so the segment ends before it.
    let segment = match segment
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c.is_whitespace())
    {
        Some((i, _)) => &segment[..i],
        None => segment,
    };
    classify_segment(rest, segment)
}

fn classify_segment(rest: &str, segment: &str) -> (TokenKind, usize, bool) {
    let mut chars = segment.chars();
    let Some(first) = chars.next() else {
        return (TokenKind::Symbol, rest.len(), false);
    };
    if first.is_alphabetic() || segment.chars().any(char::is_alphabetic) {
        if segment.contains('.') {
            if let Some(len) = bare_domain_url_len(rest, segment.len()) {
                return (TokenKind::Url, len, false);
            }
        }
        return (TokenKind::Word, segment.len(), has_elongation(segment));
    }
    if segment.contains('\u{20E3}') || is_emoji_start(first) {
        return (TokenKind::Emoji, segment.len(), false);
    }
    if first.is_numeric() {
        return (TokenKind::Number, segment.len(), false);
    }
    if first.general_category_group() == GeneralCategoryGroup::Punctuation {
        // "!!!" is three UAX #29 segments but one gesture
        let width = first.len_utf8();
        let mut len = segment.len();
        let mut count = 1;
        while rest[len..].starts_with(first) {
            len += width;
            count += 1;
        }
        if len == segment.len() && segment.len() > width {
            // the segment carries combining marks: keep it whole
            return (TokenKind::Punctuation, segment.len(), false);
        }
        let elongated = count >= 2 && matches!(first, '!' | '?');
        return (TokenKind::Punctuation, len, elongated);
    }
    (TokenKind::Symbol, segment.len(), false)
}

fn is_emoji_start(c: char) -> bool {
    !c.is_ascii() && c.is_emoji_char()
}

/// A word is elongated when a letter repeats three or more times in a row ("soooo", "jaaa").
fn has_elongation(word: &str) -> bool {
    let mut run = 0usize;
    let mut last = '\0';
    for c in word.chars() {
        let c = c.to_ascii_lowercase();
        if c == last && c.is_alphabetic() {
            run += 1;
            if run >= 3 {
                return true;
            }
        } else {
            run = 1;
            last = c;
        }
    }
    false
}

/// Shortens runs of three or more equal (ASCII-case-insensitive) letters to `max_run`.
fn collapse_runs(word: &str, max_run: usize) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut j = i + 1;
        while j < chars.len() && chars[j].eq_ignore_ascii_case(&c) {
            j += 1;
        }
        let run = j - i;
        let keep = if run >= 3 && c.is_alphabetic() {
            max_run.min(run)
        } else {
            run
        };
        out.extend(&chars[i..i + keep]);
        i = j;
    }
    out
}

fn starts_with_ignore_ascii_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// A URL with a scheme or `www.`; returns its length with trailing punctuation removed.
fn url_len(rest: &str) -> Option<usize> {
    let prefix = ["https://", "http://", "ftp://", "www."]
        .into_iter()
        .find(|p| starts_with_ignore_ascii_case(rest, p))?;
    let end = url_body_end(rest, prefix.len());
    (end > prefix.len()).then_some(end)
}

/// `bahn.de`, `bol.com/boeken`: a UAX #29 word with dots whose last label is a common
/// top-level domain. A list rather than "any two letters" keeps "z.B" and "e.g" words.
fn bare_domain_url_len(rest: &str, segment_len: usize) -> Option<usize> {
    const TLDS: [&str; 26] = [
        "com", "net", "org", "de", "nl", "be", "at", "ch", "eu", "uk", "io", "co", "info", "biz",
        "fr", "es", "it", "us", "ca", "au", "me", "tv", "ly", "app", "dev", "shop",
    ];
    let domain = &rest[..segment_len];
    let mut labels = domain.split('.');
    let tld = labels.next_back()?;
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !labels_ok || labels.next().is_none() {
        return None;
    }
    if !TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld)) {
        return None;
    }
    if rest[segment_len..].starts_with('/') {
        Some(url_body_end(rest, segment_len))
    } else {
        Some(segment_len)
    }
}

/// End of a URL body starting at `from`: up to whitespace, a quote, angle bracket or emoji,
/// minus trailing punctuation and unbalanced closing brackets.
fn url_body_end(rest: &str, from: usize) -> usize {
    let mut end = from;
    for (i, c) in rest[from..].char_indices() {
        if c.is_whitespace() || matches!(c, '"' | '<' | '>' | '`' | '\u{201C}' | '\u{201D}') {
            break;
        }
        if is_emoji_start(c) && c.emoji_status() != unicode_properties::EmojiStatus::EmojiOther {
            break;
        }
        end = from + i + c.len_utf8();
    }
    // trim trailing punctuation that ends the sentence rather than the URL
    while let Some(last) = rest[from..end].chars().next_back() {
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '…' | '*' => true,
            ')' => rest[..end].matches(')').count() > rest[..end].matches('(').count(),
            ']' => rest[..end].matches(']').count() > rest[..end].matches('[').count(),
            '}' => rest[..end].matches('}').count() > rest[..end].matches('{').count(),
            _ => false,
        };
        if !trim {
            break;
        }
        end -= last.len_utf8();
    }
    end
}

fn is_email_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// An e-mail address at the start of `rest`. The local part is scanned for at most 64 bytes
/// (the RFC 5321 limit), so plain words cost almost nothing here.
fn email_len(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() && i <= 64 && is_email_local_byte(b[i]) {
        i += 1;
    }
    if i == 0 || i >= b.len() || b[i] != b'@' || b[0] == b'.' || b[i - 1] == b'.' {
        return None;
    }
    let domain_start = i + 1;
    let mut j = domain_start;
    let mut label_len = 0usize;
    let mut last_dot = None;
    while j < b.len() && j - domain_start < 255 {
        match b[j] {
            c if c.is_ascii_alphanumeric() || c == b'-' => label_len += 1,
            b'.' if label_len > 0 && b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric) => {
                last_dot = Some(j);
                label_len = 0;
            }
            _ => break,
        }
        j += 1;
    }
    let tld = &b[last_dot? + 1..j];
    (tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)).then_some(j)
}

/// `@handle` or `#tag` at the start of `rest` (which starts with the one-byte sigil).
/// Mentions may contain inner dots (Instagram); hashtags need at least one letter (Twitter's
/// rule, so that `#1` stays a symbol and a number).
fn sigil_body_len(rest: &str, mention: bool) -> Option<usize> {
    let body = &rest[1..];
    let mut end = 0;
    let mut has_letter = false;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ok = c.is_alphanumeric()
            || c == '_'
            || (end > 0 && is_combining_mark(c))
            || (mention
                && c == '.'
                && end > 0
                && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric()));
        if !ok {
            break;
        }
        has_letter |= c.is_alphabetic();
        end = i + c.len_utf8();
    }
    (end > 0 && (mention || has_letter)).then_some(1 + end)
}

/// Emoticons with letters, digits or punctuation that a word boundary must surround.
const KAOMOJI: [&str; 22] = [
    "¯\\_(ツ)_/¯",
    "^_^",
    "^.^",
    "^-^",
    "^o^",
    "^^",
    "-_-",
    "o_O",
    "O_o",
    "o.O",
    "O.o",
    "o_o",
    "O_O",
    "T_T",
    ">_<",
    "x_x",
    "X_X",
    "*_*",
    ";_;",
    "\\o/",
    "</3",
    "<3",
];

/// An emoticon at the start of `rest`: `(length, elongated)`.
///
/// The rules keep false positives out of ordinary text: eyes `:` and `;` may follow a letter
/// ("Danke;)") but not a digit ("12:30"); `=`, `x` and `8` need a non-alphanumeric before them
/// ("a=(b)", "Box)"); no emoticon may be followed by a letter, digit or `/` (":Default",
/// "http://").
fn emoticon_len(rest: &str, prev: Option<char>) -> Option<(usize, bool)> {
    let b = rest.as_bytes();
    let prev_alnum = prev.is_some_and(char::is_alphanumeric);
    let prev_digit = prev.is_some_and(|c| c.is_ascii_digit());
    let followed_ok = |len: usize| {
        rest[len..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '/' || c == '_'))
    };
    for k in KAOMOJI {
        if rest.starts_with(k) {
            let starts_alnum = k.starts_with(|c: char| c.is_ascii_alphanumeric());
            if (prev_alnum && starts_alnum) || prev_digit || !followed_ok(k.len()) {
                return None;
            }
            return Some((k.len(), false));
        }
    }
    let mut i = 0;
    if b.len() > 2 && b[0] == b'>' && matches!(b[1], b':' | b';') {
        i = 1; // angry brows ">:("
    }
    let eyes = *b.get(i)?;
    match eyes {
        b':' | b';' if !prev_digit => {}
        b'=' | b'x' | b'X' | b'8' if !prev_alnum => {}
        _ => return None,
    }
    i += 1;
    let nose = b.get(i).is_some_and(|&c| matches!(c, b'-' | b'\'' | b'^'));
    if nose {
        i += 1;
    }
    let mouth = *b.get(i)?;
    let mouth_ok = match eyes {
        b'x' | b'X' => matches!(mouth, b'D' | b'P' | b'p' | b'd'),
        b'8' => nose && matches!(mouth, b')' | b'(' | b'D'),
        _ => matches!(
            mouth,
            b')' | b'('
                | b']'
                | b'['
                | b'D'
                | b'P'
                | b'p'
                | b'O'
                | b'o'
                | b'/'
                | b'\\'
                | b'|'
                | b'*'
                | b'3'
                | b'@'
                | b'$'
                | b'S'
                | b's'
                | b'c'
                | b'C'
        ),
    };
    // "C:/", "http:/" are paths, not a skeptical face
    if !mouth_ok || (matches!(mouth, b'/' | b'\\') && prev_alnum) {
        return None;
    }
    let mut j = i + 1;
    if matches!(mouth, b')' | b'(' | b']' | b'[' | b'D' | b'P' | b'p') {
        while j < b.len() && b[j] == mouth {
            j += 1;
        }
    }
    // ":DD" is a laugh; ":oo" or ":ss" is more likely the start of a word
    if !followed_ok(j) {
        return None;
    }
    Some((j, j - i >= 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text).map(|t| (t.kind, t.text)).collect()
    }

    use TokenKind::*;

    #[test]
    fn social_tokens() {
        assert_eq!(
            kinds("@DB_Bahn #Verspätung schon wieder 😡 https://x.de"),
            [
                (Mention, "@DB_Bahn"),
                (Hashtag, "#Verspätung"),
                (Word, "schon"),
                (Word, "wieder"),
                (Emoji, "😡"),
                (Url, "https://x.de"),
            ]
        );
    }

    #[test]
    fn urls_lose_trailing_punctuation_but_keep_balanced_parens() {
        assert_eq!(
            kinds("zie https://nl.wikipedia.org/wiki/Rijn_(rivier)."),
            [
                (Word, "zie"),
                (Url, "https://nl.wikipedia.org/wiki/Rijn_(rivier)"),
                (Punctuation, "."),
            ]
        );
        assert_eq!(
            kinds("(see www.example.com/a?b=1&c=2)"),
            [
                (Punctuation, "("),
                (Word, "see"),
                (Url, "www.example.com/a?b=1&c=2"),
                (Punctuation, ")"),
            ]
        );
        assert_eq!(
            kinds("HTTPS://X.DE!"),
            [(Url, "HTTPS://X.DE"), (Punctuation, "!")]
        );
        assert_eq!(
            kinds("http://"),
            [(Word, "http"), (Punctuation, ":"), (Punctuation, "//")]
        );
    }

    #[test]
    fn bare_domains_need_a_known_tld() {
        assert_eq!(
            kinds("bestellt bei bol.com/boeken, z.B. heute"),
            [
                (Word, "bestellt"),
                (Word, "bei"),
                (Url, "bol.com/boeken"),
                (Punctuation, ","),
                (Word, "z.B"),
                (Punctuation, "."),
                (Word, "heute"),
            ]
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            kinds("mail jan.de-vries+shop@example.co.uk."),
            [
                (Word, "mail"),
                (Email, "jan.de-vries+shop@example.co.uk"),
                (Punctuation, "."),
            ]
        );
        // not an e-mail: no dot in the domain -> a word and a mention
        assert_eq!(kinds("foo@bar"), [(Word, "foo"), (Mention, "@bar")]);
    }

    #[test]
    fn mentions_and_hashtags() {
        assert_eq!(
            kinds("@jan.devries. #1 #2024Wahl #_"),
            [
                (Mention, "@jan.devries"),
                (Punctuation, "."),
                (Punctuation, "#"),
                (Number, "1"),
                (Hashtag, "#2024Wahl"),
                (Punctuation, "#"),
                (Punctuation, "_"),
            ]
        );
    }

    #[test]
    fn hashtag_parts() {
        let parts = |s: &str| -> Vec<String> {
            tokenize(s)
                .next()
                .unwrap()
                .parts()
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(parts("#KundenserviceFail"), ["Kundenservice", "Fail"]);
        assert_eq!(parts("@DB_Bahn"), ["DB", "Bahn"]);
        assert_eq!(parts("#COVID19"), ["COVID", "19"]);
        assert_eq!(parts("#HTTPServerDown"), ["HTTP", "Server", "Down"]);
        assert_eq!(parts("#iPhone15"), ["iPhone", "15"]);
        assert_eq!(parts("#Verspätung"), ["Verspätung"]);
        assert_eq!(parts("#slechte_service__NS"), ["slechte", "service", "NS"]);
        assert!(tokenize("word").next().unwrap().parts().next().is_none());
    }

    #[test]
    fn emoji_sequences_are_single_tokens() {
        let text = "👍🏽👨‍👩‍👧🇳🇱🇩🇪1️⃣❤️";
        assert_eq!(
            kinds(text),
            [
                (Emoji, "👍🏽"),
                (Emoji, "👨‍👩‍👧"),
                (Emoji, "🇳🇱"),
                (Emoji, "🇩🇪"),
                (Emoji, "1️⃣"),
                (Emoji, "❤️"),
            ]
        );
    }

    #[test]
    fn emoticons() {
        assert_eq!(
            kinds("super :-) echt :( xD <3 ^_^ Danke;) :)))"),
            [
                (Word, "super"),
                (Emoticon, ":-)"),
                (Word, "echt"),
                (Emoticon, ":("),
                (Emoticon, "xD"),
                (Emoticon, "<3"),
                (Emoticon, "^_^"),
                (Word, "Danke"),
                (Emoticon, ";)"),
                (Emoticon, ":)))"),
            ]
        );
        let laugh = tokenize(":)))").next().unwrap();
        assert!(laugh.elongated);
    }

    #[test]
    fn emoticon_look_alikes_are_not_emoticons() {
        assert_eq!(
            kinds("12:30"),
            [(Number, "12"), (Punctuation, ":"), (Number, "30")]
        );
        assert_eq!(kinds("xDate")[0], (Word, "xDate"));
        assert_eq!(
            kinds("a=(b)"),
            [
                (Word, "a"),
                (Symbol, "="),
                (Punctuation, "("),
                (Word, "b"),
                (Punctuation, ")")
            ]
        );
        // UAX #29 keeps a colon between letters inside the word (Swedish "C:a")
        assert_eq!(kinds("Note:Done"), [(Word, "Note:Done")]);
        assert_eq!(kinds("<30")[0], (Symbol, "<"));
    }

    #[test]
    fn elongation() {
        let t: Vec<_> = tokenize("Soooo GUUUUT!!! jaaa").collect();
        assert_eq!(t[0].text, "Soooo");
        assert!(t[0].elongated);
        assert_eq!(t[0].normalized(), "so");
        assert_eq!(t[1].normalized(), "gut");
        assert_eq!(
            (t[2].kind, t[2].text, t[2].elongated),
            (Punctuation, "!!!", true)
        );
        assert_eq!(t[2].normalized(), "!");
        assert_eq!(t[3].normalized(), "ja");
        let good = tokenize("goooood").next().unwrap();
        assert_eq!(good.normalized(), "god");
        assert_eq!(good.collapsed_to(2), "good");
        // doubled letters are spelling, not emphasis
        assert!(!tokenize("Kaffee").next().unwrap().elongated);
        // "..." is an ellipsis: one token, not emphasis
        let dots = tokenize("...").next().unwrap();
        assert_eq!((dots.text, dots.elongated), ("...", false));
    }

    #[test]
    fn words_numbers_and_symbols() {
        assert_eq!(
            kinds("Don't pay €3,50 (50%) für’s Ticket — b2b"),
            [
                (Word, "Don't"),
                (Word, "pay"),
                (Symbol, "€"),
                (Number, "3,50"),
                (Punctuation, "("),
                (Number, "50"),
                (Punctuation, "%"),
                (Punctuation, ")"),
                (Word, "für’s"),
                (Word, "Ticket"),
                (Punctuation, "—"),
                (Word, "b2b"),
            ]
        );
    }

    #[test]
    fn normalized_forms() {
        let t: Vec<_> = tokenize("STRAẞE @DB_Bahn :D https://X.de/A").collect();
        assert_eq!(t[0].normalized(), "strasse");
        assert_eq!(t[1].normalized(), "@db_bahn");
        assert_eq!(t[2].normalized(), ":D");
        assert_eq!(t[3].normalized(), "https://X.de/A");
        assert!(matches!(
            tokenize("klein").next().unwrap().normalized(),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn offsets_are_bytes_into_the_input() {
        let text = "ä 😡 x";
        let t: Vec<_> = tokenize(text).collect();
        assert_eq!(t[1].span(), 3..7);
        assert_eq!(&text[t[2].span()], "x");
    }

    #[test]
    fn narrow_no_break_space_separates_tokens() {
        assert_eq!(kinds("ힰ\u{202f}x"), [(Word, "ힰ"), (Word, "x")]);
        assert_eq!(kinds("a_\u{202f}_b"), [(Word, "a_"), (Word, "_b")]);
    }

    #[test]
    fn empty_and_whitespace_only() {
        assert_eq!(tokenize("").count(), 0);
        assert_eq!(tokenize(" \t\n\u{a0}\u{3000}").count(), 0);
    }

    fn assert_covers(text: &str) -> Result<(), TestCaseError> {
        let mut last_end = 0;
        let mut joined = String::new();
        for t in tokenize(text) {
            prop_assert!(!t.text.is_empty());
            prop_assert!(t.start >= last_end, "overlap at {}", t.start);
            prop_assert_eq!(&text[t.span()], t.text);
            prop_assert!(
                text[last_end..t.start].chars().all(char::is_whitespace),
                "skipped non-whitespace before {}",
                t.start
            );
            last_end = t.end();
            joined.push_str(t.text);
            let _ = t.normalized();
            let _ = t.parts().count();
        }
        prop_assert!(text[last_end..].chars().all(char::is_whitespace));
        let without_ws: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(joined, without_ws);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn tokens_cover_all_non_whitespace(text in "\\PC{0,80}") {
            assert_covers(&text)?;
        }

        #[test]
        fn tokens_cover_social_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "@", "#", ":", ")", "(", "-", "x", "D", "<", "3", "/", ".", "_", "www.", "http://",
                    "https://", "a", "ü", "😡", "👍", "🏽", "\u{200d}", "🇳", "🇱", "\u{fe0f}", "\u{20e3}",
                    " ", "\n", "ooo", "!", "?", "@x.de", "de", "com", "^", "'", "=", "\u{308}", "e",
                    "\u{a0}", "1", "ツ", "¯", "\\",
                ]),
                0..24,
            )
        ) {
            assert_covers(&parts.concat())?;
        }
    }
}
