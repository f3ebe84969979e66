//! The text layer: `tokenize`, `normalize`, `stem`, `detect_language` and their batch forms.
//!
//! Only conversion happens here. The one computation of its own is turning the core's UTF-8
//! byte offsets into the code-point offsets that index a Python `str`, done in one forward pass
//! over the text.

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyFloat, PyList, PyString, PyTuple, PyType};
use socialcrm::Language;
use socialcrm::text::{self as core, AccentFolding, Normalizer, TokenKind};

use crate::convert::{nested_object_list, object_list, str_items};
use crate::errors::{Class, CoreError};

/// The accepted values of `normalize(accents=...)`, in the order the error message lists them.
const ACCENT_CHOICES: [(&str, AccentFolding); 3] = [
    ("keep", AccentFolding::Keep),
    ("strip", AccentFolding::Strip),
    ("transliterate", AccentFolding::Transliterate),
];

fn accent_folding(name: &str) -> PyResult<AccentFolding> {
    ACCENT_CHOICES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, folding)| folding)
        .ok_or_else(|| {
            let choices: Vec<&str> = ACCENT_CHOICES.iter().map(|(n, _)| *n).collect();
            Class::InvalidInput.new_err(format!(
                "invalid accents value {name:?}; expected one of: {}",
                choices.join(", ")
            ))
        })
}

fn language(code: &str) -> PyResult<Language> {
    Ok(Language::from_code(code).map_err(CoreError)?)
}

fn token_kind(name: &str) -> PyResult<TokenKind> {
    TokenKind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = TokenKind::ALL.iter().map(|k| k.name()).collect();
            Class::InvalidInput.new_err(format!(
                "unknown token kind {name:?}; expected one of: {}",
                names.join(", ")
            ))
        })
}

/// Python's `repr()` of a str, so that reprs quote and escape exactly like Python does.
fn py_repr_str(py: Python<'_>, s: &str) -> PyResult<String> {
    Ok(PyString::new(py, s).repr()?.to_str()?.to_owned())
}

/// One token of a text, as returned by :func:`tokenize`.
///
/// Attributes:
///     kind: ``"word"``, ``"number"``, ``"mention"``, ``"hashtag"``, ``"url"``, ``"email"``,
///         ``"emoji"``, ``"emoticon"``, ``"punctuation"`` or ``"symbol"``.
///     text: The token exactly as it appears in the input.
///     start: Offset of the first character in the input ``str``: ``text[start:end]`` is the
///         token. Offsets count characters (code points), like all ``str`` indices.
///     end: Offset just past the last character.
///     normalized: The form in which the token is compared, counted and stemmed: NFKC and
///         case-folded for words, numbers, mentions, hashtags and e-mail addresses, with
///         elongation collapsed (``"Soooo"`` -> ``"so"``, ``"!!!"`` -> ``"!"``); URLs, emoji,
///         emoticons and symbols as they are.
///     elongated: The token repeats a character for emphasis (``"soooo"``, ``"!!!"``, ``":)))"``).
///     parts: The words inside a hashtag or mention (``"#KundenserviceFail"`` ->
///         ``["Kundenservice", "Fail"]``); empty for other kinds.
///
/// ``normalized`` and ``parts`` are derived from ``kind``, ``text`` and ``elongated`` when read
/// (by the same core functions as in Rust and C), so tokenizing does not pay for them and a
/// token can never disagree with itself. Each read makes a new ``str``/``list``.
///
/// Tokens are immutable, compare equal when kind, text, offsets and elongation are equal,
/// hash, and pickle.
#[pyclass(module = "socialcrm", frozen, eq, hash)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    kind: TokenKind,
    text: Box<str>,
    start: usize,
    end: usize,
    elongated: bool,
}

impl Token {
    fn from_core(token: &core::Token<'_>, start: usize, end: usize) -> Token {
        Token {
            kind: token.kind,
            text: token.text.into(),
            start,
            end,
            elongated: token.elongated,
        }
    }

    /// The core's view of this token, for the derived attributes. Its byte offset is not
    /// used by `normalized()` or `parts()`, so 0 stands in for it.
    fn as_core(&self) -> core::Token<'_> {
        core::Token {
            kind: self.kind,
            text: &self.text,
            start: 0,
            elongated: self.elongated,
        }
    }
}

#[pymethods]
impl Token {
    /// Makes a token by hand (for tests and for unpickling). ``kind`` must be one of the names
    /// listed in the class docstring.
    #[new]
    #[pyo3(signature = (kind, text, start, end, elongated = false))]
    fn new(kind: &str, text: String, start: usize, end: usize, elongated: bool) -> PyResult<Token> {
        let kind = token_kind(kind)?;
        if end < start {
            return Err(Class::InvalidInput.new_err(format!(
                "a token cannot end ({end}) before it starts ({start})"
            )));
        }
        Ok(Token {
            kind,
            text: text.into(),
            start,
            end,
            elongated,
        })
    }

    /// What kind of token this is, e.g. ``"word"`` or ``"hashtag"``.
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind.name()
    }

    /// The token exactly as it appears in the input.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    /// Character offset of the token in the input.
    #[getter]
    fn start(&self) -> usize {
        self.start
    }

    /// Character offset just past the token.
    #[getter]
    fn end(&self) -> usize {
        self.end
    }

    /// The normalised form of the token (see the class docstring).
    #[getter]
    fn normalized(&self) -> String {
        self.as_core().normalized().into_owned()
    }

    /// Whether a character is repeated for emphasis.
    #[getter]
    fn elongated(&self) -> bool {
        self.elongated
    }

    /// The words inside a hashtag or mention; empty for other kinds.
    #[getter]
    fn parts(&self) -> Vec<&str> {
        self.as_core().parts().collect()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Token(kind='{}', text={}, start={}, end={})",
            self.kind.name(),
            py_repr_str(py, &self.text)?,
            self.start,
            self.end
        ))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        let t = slf.get();
        let args =
            (t.kind.name(), &*t.text, t.start, t.end, t.elongated).into_pyobject(slf.py())?;
        Ok((slf.get_type(), args))
    }
}

/// Tokenizes one text and converts byte offsets to character offsets.
///
/// The core yields tokens in increasing, non-overlapping order, so one cursor walks the text
/// once: the cost is linear in the text, not in tokens times text. (Should the core ever break
/// that order, the offset is recounted from the start instead of slicing out of order.)
fn tokens_of(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    if text.is_ascii() {
        // one byte per character: byte offsets are character offsets
        out.extend(core::tokenize(text).map(|t| Token::from_core(&t, t.start, t.end())));
        return out;
    }
    let mut byte_pos = 0;
    let mut char_pos = 0;
    for t in core::tokenize(text) {
        match text.get(byte_pos..t.start) {
            Some(gap) => char_pos += gap.chars().count(),
            None => char_pos = text.get(..t.start).map_or(0, |s| s.chars().count()),
        }
        let start = char_pos;
        char_pos += t.text.chars().count();
        byte_pos = t.end();
        out.push(Token::from_core(&t, start, char_pos));
    }
    out
}

/// Splits a text into social-media tokens.
///
/// Mentions (``@DB_Bahn``), hashtags, URLs, e-mail addresses, emoji (including skin tones,
/// ZWJ sequences and flags) and emoticons (``:-)``, ``<3``) are single tokens; the rest is
/// split at Unicode word boundaries. Nothing but whitespace is dropped. The GIL is released
/// while tokenizing.
///
/// >>> [(t.kind, t.text) for t in tokenize("soooo gut 👍🏽 #KundenserviceFail")]
/// [('word', 'soooo'), ('word', 'gut'), ('emoji', '👍🏽'), ('hashtag', '#KundenserviceFail')]
#[pyfunction]
pub fn tokenize<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyList>> {
    let tokens = py.detach(|| tokens_of(text));
    object_list(py, tokens)
}

/// Tokenizes each text of an iterable of str (a list, tuple, pandas Series, generator, ...).
///
/// Returns one list of tokens per text, in order; equal to ``[tokenize(t) for t in texts]``,
/// but with one call and the GIL released for the whole batch. A non-str item raises
/// ``TypeError`` naming its index.
#[pyfunction]
pub fn tokenize_batch<'py>(
    py: Python<'py>,
    texts: &Bound<'_, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let texts = str_items(texts, "texts")?;
    let tokens: Vec<Vec<Token>> = py.detach(|| texts.iter().map(|t| tokens_of(t)).collect());
    nested_object_list(py, tokens)
}

/// Normalises a text: Unicode NFKC, then optionally case folding and accent folding.
///
/// Args:
///     text: The text.
///     case_fold: Apply Unicode case folding (``"Straße"`` -> ``"strasse"``). Default True.
///     accents: ``"keep"`` (default), ``"strip"`` (``"Müller"`` -> ``"muller"``) or
///         ``"transliterate"`` (German first: ``"Müller"`` -> ``"mueller"``, then strip).
///
/// Raises:
///     InvalidInputError: ``accents`` is not one of the three values.
///
/// >>> normalize("Ｊürgen Müller", accents="transliterate")
/// 'juergen mueller'
#[pyfunction]
#[pyo3(signature = (text, *, case_fold = true, accents = "keep"))]
pub fn normalize(py: Python<'_>, text: &str, case_fold: bool, accents: &str) -> PyResult<String> {
    let normalizer = Normalizer {
        case_fold,
        accents: accent_folding(accents)?,
    };
    Ok(py.detach(|| normalizer.apply(text)))
}

/// Stems one word with the Snowball stemmer of a language.
///
/// The word is normalised first (NFKC, case folding), so any case or Unicode spelling gives the
/// same stem. ``language`` is an ISO 639-1 code such as ``"en"``, ``"de"``, ``"nl"``;
/// ``"und"`` only normalises. The German stemmer folds umlauts (``"Kündigungen"`` ->
/// ``"kundig"``).
///
/// Raises:
///     UnknownLanguageError: ``language`` is not a supported code.
///
/// >>> stem("Cancelling", "en")
/// 'cancel'
#[pyfunction]
pub fn stem(word: &str, language: &str) -> PyResult<String> {
    let stemmer = core::Stemmer::new(self::language(language)?);
    Ok(stemmer.stem(word).into_owned())
}

/// A Snowball stemmer for one language; build it once to stem many words.
///
/// ``language`` is an ISO 639-1 code (``"en"``, ``"de"``, ``"nl"``, ...; ``"und"`` only
/// normalises). Raises UnknownLanguageError for a code socialcrm does not know. A Stemmer is
/// immutable, safe to share between threads, and pickles.
///
/// >>> Stemmer("nl").stem_batch(["klachten", "klacht"])
/// ['klacht', 'klacht']
#[pyclass(module = "socialcrm", frozen)]
pub struct Stemmer {
    inner: core::Stemmer,
}

#[pymethods]
impl Stemmer {
    #[new]
    fn new(language: &str) -> PyResult<Stemmer> {
        Ok(Stemmer {
            inner: core::Stemmer::new(self::language(language)?),
        })
    }

    /// The ISO 639-1 code of the stemmer's language (``"und"`` for none).
    #[getter]
    fn language(&self) -> &'static str {
        self.inner.language().code()
    }

    /// Stems one word (normalised first, like :func:`stem`).
    fn stem(&self, word: &str) -> String {
        self.inner.stem(word).into_owned()
    }

    /// Stems each word of an iterable of str, with the GIL released; equal to
    /// ``[self.stem(w) for w in words]``. A non-str item raises TypeError naming its index.
    fn stem_batch(&self, py: Python<'_>, words: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        let words = str_items(words, "words")?;
        Ok(py.detach(|| {
            words
                .iter()
                .map(|w| self.inner.stem(w).into_owned())
                .collect()
        }))
    }

    fn __repr__(&self) -> String {
        format!("Stemmer('{}')", self.language())
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        let args = (slf.get().language(),).into_pyobject(slf.py())?;
        Ok((slf.get_type(), args))
    }
}

/// The result of :func:`detect_language`.
///
/// Attributes:
///     language: ISO 639-1 code of the most likely language (``"en"``, ``"de"``, ``"nl"``,
///         ...), or ``"und"`` when the text is too short or too ambiguous to tell.
///     confidence: How sure the detector is, from 0.0 to 1.0: the probability of the winning
///         language among the candidates. For ``"und"`` it is the probability of the best
///         candidate, or 0.0 when there was nothing to judge.
///
/// Immutable; compares equal when both attributes are equal; hashes and pickles.
#[pyclass(module = "socialcrm", frozen, eq, hash)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LanguageGuess {
    language: Language,
    confidence: f64,
}

impl std::hash::Hash for LanguageGuess {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.language.hash(state);
        // confidence is finite (checked on construction); + 0.0 turns -0.0 into 0.0 so that
        // values equal under == hash alike
        (self.confidence + 0.0).to_bits().hash(state);
    }
}

impl From<core::LanguageGuess> for LanguageGuess {
    fn from(guess: core::LanguageGuess) -> Self {
        LanguageGuess {
            language: guess.language,
            confidence: guess.confidence,
        }
    }
}

#[pymethods]
impl LanguageGuess {
    /// Makes a guess by hand (for tests and for unpickling). ``language`` must be a known code
    /// and ``confidence`` a number from 0.0 to 1.0.
    #[new]
    fn new(language: &str, confidence: f64) -> PyResult<LanguageGuess> {
        if !(0.0..=1.0).contains(&confidence) {
            return Err(Class::InvalidInput.new_err(format!(
                "confidence must be between 0.0 and 1.0, got {confidence}"
            )));
        }
        Ok(LanguageGuess {
            language: self::language(language)?,
            confidence,
        })
    }

    /// ISO 639-1 code of the language, or ``"und"``.
    #[getter]
    fn language(&self) -> &'static str {
        self.language.code()
    }

    /// Confidence from 0.0 to 1.0.
    #[getter]
    fn confidence(&self) -> f64 {
        self.confidence
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let confidence = PyFloat::new(py, self.confidence).repr()?;
        Ok(format!(
            "LanguageGuess(language='{}', confidence={})",
            self.language.code(),
            confidence.to_str()?
        ))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        let g = slf.get();
        let args = (g.language(), g.confidence).into_pyobject(slf.py())?;
        Ok((slf.get_type(), args))
    }
}

/// Identifies the language of a text among the languages socialcrm supports (English, German
/// and Dutch first-class; the other Snowball languages too).
///
/// Mentions, URLs, e-mail addresses, emoji, emoticons and numbers are ignored; hashtags count
/// with their words. Text with fewer than 6 letters, or too ambiguous to tell, gives
/// ``language="und"``. The first call loads the language models (about a second); the GIL is
/// released while detecting.
///
/// >>> detect_language("Waarom is mijn pakket nog steeds niet bezorgd?").language
/// 'nl'
#[pyfunction]
pub fn detect_language(py: Python<'_>, text: &str) -> LanguageGuess {
    py.detach(|| core::detect_language(text).into())
}

/// Identifies the language of each text of an iterable of str, with the GIL released for the
/// whole batch; equal to ``[detect_language(t) for t in texts]``. A non-str item raises
/// TypeError naming its index.
#[pyfunction]
pub fn detect_language_batch<'py>(
    py: Python<'py>,
    texts: &Bound<'_, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let texts: Vec<PyBackedStr> = str_items(texts, "texts")?;
    let guesses: Vec<LanguageGuess> = py.detach(|| {
        texts
            .iter()
            .map(|t| core::detect_language(t).into())
            .collect()
    });
    object_list(py, guesses)
}

/// Adds the text layer to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Token>()?;
    m.add_class::<LanguageGuess>()?;
    m.add_class::<Stemmer>()?;
    m.add_function(wrap_pyfunction!(tokenize, m)?)?;
    m.add_function(wrap_pyfunction!(tokenize_batch, m)?)?;
    m.add_function(wrap_pyfunction!(normalize, m)?)?;
    m.add_function(wrap_pyfunction!(stem, m)?)?;
    m.add_function(wrap_pyfunction!(detect_language, m)?)?;
    m.add_function(wrap_pyfunction!(detect_language_batch, m)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one computation of this crate: offsets must index code points, so that
    /// `text[start:end]` in Python is the token.
    #[test]
    fn offsets_index_code_points() {
        for text in [
            "@DB_Bahn #Verspätung schon wieder 😡 https://x.de",
            "only ascii, 12:30 :-)",
            "Mu\u{308}ller 👨\u{200d}👩\u{200d}👧 東京駅\u{3000}🇳🇱 Straße!!!",
            " \u{a0} ",
            "",
        ] {
            let chars: Vec<char> = text.chars().collect();
            let tokens = tokens_of(text);
            assert_eq!(tokens.len(), core::tokenize(text).count(), "{text:?}");
            let mut last_end = 0;
            for t in tokens {
                assert!(t.start >= last_end && t.end > t.start, "{text:?}: {t:?}");
                let slice: String = chars[t.start..t.end].iter().collect();
                assert_eq!(slice, &*t.text, "{text:?}");
                last_end = t.end;
            }
        }
    }
}
