//! Language identification, normalisation and stemming.

use std::ffi::c_char;

use socialcrm_core::Language;
use socialcrm_core::text::{AccentFolding, Normalizer, Stemmer, detect_language};

use crate::args::{out_arg, str_arg};
use crate::error::{FfiError, scrm_error};
use crate::guard::ffi_guard;
use crate::status::scrm_status;
use crate::string::scrm_string;

/// The result of `scrm_detect_language`. A plain value: copy it freely.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct scrm_language_guess {
    /// The language as a NUL-terminated ISO 639-1 code (`"en"`, `"de"`, `"nl"`, `"fr"`, ...),
    /// or `"und"` (ISO 639-2 "undetermined") when the text is too short or too mixed to tell.
    /// Codes are at most three letters, so the array always has room for the NUL.
    pub code: [c_char; 4],
    /// How sure the detector is, in `0.0 ..= 1.0`: the probability of the winning language
    /// among the candidates. For `"und"` it is the probability of the best candidate (0 when
    /// there was nothing to judge).
    pub confidence: f64,
}

impl scrm_language_guess {
    fn new(language: Language, confidence: f64) -> scrm_language_guess {
        let mut code = [0 as c_char; 4];
        // Codes are ASCII and at most 3 bytes (a unit test checks every language), so the
        // last byte stays NUL; `zip` would cut a longer code rather than overflow.
        for (dst, src) in code[..3].iter_mut().zip(language.code().bytes()) {
            *dst = src as c_char;
        }
        scrm_language_guess { code, confidence }
    }
}

/// Identifies the language of a text (a post, a message, a review) among the languages
/// socialcrm supports (`en`, `de`, `nl` first-class; also `fr es it pt da sv no fi hu ro tr ru
/// el ar ta`). Mentions, URLs, e-mail addresses, emoji and numbers are ignored; text with fewer
/// than 3 letters, or where no language reaches 15 % confidence (mixed or ambiguous text),
/// gives `"und"`.
///
/// `text` is `len` bytes of UTF-8 (not necessarily NUL-terminated); NULL is accepted when
/// `len` is 0. On success `*out` receives the guess; on failure `*out` is not written.
///
/// Uses one detector shared by the whole process, built on the first call (this loads the
/// language models: the first call takes noticeably longer than the following ones, and
/// the models stay in memory until the process exits). Thread-safe: any number of threads
/// may call this at once.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`out` is NULL, or `text` is NULL with `len > 0`),
/// `SCRM_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// `text` is NULL or points to `len` readable bytes; `out` is NULL or valid for writing one
/// `scrm_language_guess`; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_detect_language(
    text: *const c_char,
    len: usize,
    out: *mut scrm_language_guess,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let out = out_arg(out, "out")?;
        // SAFETY: text is NULL or points to len readable bytes (this function's contract);
        // the borrow ends with this call.
        let text = unsafe { str_arg(text, len, "text") }?;
        let guess = detect_language(text);
        let result = scrm_language_guess::new(guess.language, guess.confidence);
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { out.write(result) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The accent handling of `scrm_normalize`: one of the `SCRM_ACCENT_FOLDING_*` values.
pub type scrm_accent_folding = u32;

/// Keep accents and other diacritics: `"Müller"` → `"müller"` (with case folding).
pub const SCRM_ACCENT_FOLDING_KEEP: scrm_accent_folding = 0;
/// Remove diacritics and spell out letters that have no decomposition:
/// `"Müller"` → `"muller"`, `"Ørsted"` → `"orsted"`, `"Straße"` → `"strasse"`.
pub const SCRM_ACCENT_FOLDING_STRIP: scrm_accent_folding = 1;
/// German transliteration (`ä`→`ae`, `ö`→`oe`, `ü`→`ue`, `ß`→`ss`), then strip the rest:
/// `"Müller"` → `"mueller"`, `"Réne"` → `"rene"`. The usual key for matching German names.
pub const SCRM_ACCENT_FOLDING_TRANSLITERATE: scrm_accent_folding = 2;

fn accent_folding(value: scrm_accent_folding) -> Result<AccentFolding, FfiError> {
    match value {
        SCRM_ACCENT_FOLDING_KEEP => Ok(AccentFolding::Keep),
        SCRM_ACCENT_FOLDING_STRIP => Ok(AccentFolding::Strip),
        SCRM_ACCENT_FOLDING_TRANSLITERATE => Ok(AccentFolding::Transliterate),
        other => Err(FfiError::invalid_argument(format!(
            "argument `accent_folding`: unknown value {other}; expected \
             SCRM_ACCENT_FOLDING_KEEP (0), _STRIP (1) or _TRANSLITERATE (2)"
        ))),
    }
}

/// Normalises a text: Unicode NFKC (full-width letters, ligatures, "font" letters and
/// decomposed accents become ordinary characters), then, if `case_fold`, Unicode case folding
/// (`"Straße"` → `"strasse"`), then the accent handling chosen by `accent_folding` (a
/// `SCRM_ACCENT_FOLDING_*` value). Normalising normalised text changes nothing.
///
/// `text` is `len` bytes of UTF-8; NULL is accepted when `len` is 0 (the result is empty).
/// On success `*out` receives a new string that the caller owns and frees with
/// `scrm_string_free`; on failure `*out` is not written. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER`, `SCRM_STATUS_INVALID_UTF8`,
/// `SCRM_STATUS_INVALID_ARGUMENT` (unknown `accent_folding` value).
///
/// # Safety
///
/// `text` is NULL or points to `len` readable bytes; `out` is NULL or valid for writing one
/// pointer; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_normalize(
    text: *const c_char,
    len: usize,
    accent_folding: scrm_accent_folding,
    case_fold: bool,
    out: *mut *mut scrm_string,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let folding = accent_folding;
    let body = || {
        let out = out_arg(out, "out")?;
        // SAFETY: text is NULL or points to len readable bytes (this function's contract);
        // the borrow ends with this call.
        let text = unsafe { str_arg(text, len, "text") }?;
        let normalizer = Normalizer {
            case_fold,
            accents: self::accent_folding(folding)?,
        };
        let result = scrm_string::new(normalizer.apply(text))?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { out.write(Box::into_raw(Box::new(result))) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Stems one word with the Snowball stemmer of a language: `("Kündigungen", "de")` →
/// `"kundig"`, `("cancelling", "en")` → `"cancel"`. The word is normalised (NFKC + case
/// folding) first, so any case and Unicode spelling give the same stem. Note that the German
/// stemmer folds umlauts.
///
/// `language` is an ISO 639-1 code as returned by `scrm_detect_language` (`"en"`, `"de"`,
/// `"nl"`, ..., case-insensitive; `"nb"` is accepted for Norwegian). For `"und"` the word is
/// only normalised. `word` and `language` are UTF-8 `(pointer, length)` pairs; NULL is accepted
/// with length 0. On success `*out` receives a new string that the caller owns and frees with
/// `scrm_string_free`; on failure `*out` is not written. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER`, `SCRM_STATUS_INVALID_UTF8`,
/// `SCRM_STATUS_UNKNOWN_LANGUAGE` (the message lists the known codes).
///
/// # Safety
///
/// `word` and `language` are NULL or point to `word_len` / `language_len` readable bytes;
/// `out` is NULL or valid for writing one pointer; `err_out` is NULL or valid for writing one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_stem(
    word: *const c_char,
    word_len: usize,
    language: *const c_char,
    language_len: usize,
    out: *mut *mut scrm_string,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let out = out_arg(out, "out")?;
        // SAFETY: word and language are NULL or point to word_len / language_len readable
        // bytes (this function's contract); the borrows end with this call.
        let (word, language) = unsafe {
            (
                str_arg(word, word_len, "word")?,
                str_arg(language, language_len, "language")?,
            )
        };
        let stemmer = Stemmer::new(Language::from_code(language)?);
        let result = scrm_string::new(stemmer.stem(word).into_owned())?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { out.write(Box::into_raw(Box::new(result))) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::scrm_error_free;
    use crate::status::*;
    use crate::string::scrm_string_free;
    use std::ffi::CStr;
    use std::ptr;

    #[test]
    fn every_language_code_fits() {
        for lang in Language::ALL {
            let guess = scrm_language_guess::new(lang, 0.5);
            // SAFETY: code is NUL-terminated (checked by CStr on the array bytes).
            let code = unsafe { CStr::from_ptr(guess.code.as_ptr()) };
            assert_eq!(code.to_str().unwrap(), lang.code());
        }
    }

    #[test]
    fn detect() {
        let text = "De trein had weer vertraging en niemand zegt waarom";
        let mut guess = scrm_language_guess::new(Language::Unknown, -1.0);
        // SAFETY: valid buffers; NULL err_out.
        let status = unsafe {
            scrm_detect_language(
                text.as_ptr().cast(),
                text.len(),
                &mut guess,
                ptr::null_mut(),
            )
        };
        assert_eq!(status, SCRM_STATUS_OK);
        // SAFETY: code is NUL-terminated.
        assert_eq!(unsafe { CStr::from_ptr(guess.code.as_ptr()) }, c"nl");
        assert!(guess.confidence > 0.5);
    }

    /// Calls `f` for a string result; returns the string or the error status.
    fn string_result(
        f: impl FnOnce(*mut *mut scrm_string, *mut *mut scrm_error) -> scrm_status,
    ) -> Result<String, scrm_status> {
        let mut out: *mut scrm_string = ptr::null_mut();
        let mut err: *mut scrm_error = ptr::null_mut();
        let status = f(&mut out, &mut err);
        // SAFETY: exactly one of out and err is set, and freed once here.
        unsafe {
            if status == SCRM_STATUS_OK {
                assert!(err.is_null());
                let s = String::from_utf8((*out).as_bytes().to_vec()).unwrap();
                scrm_string_free(out);
                Ok(s)
            } else {
                assert!(out.is_null());
                scrm_error_free(err);
                Err(status)
            }
        }
    }

    fn normalize(text: &str, folding: scrm_accent_folding, fold: bool) -> Result<String, u32> {
        // SAFETY: valid buffers and out-pointers.
        string_result(|out, err| unsafe {
            scrm_normalize(text.as_ptr().cast(), text.len(), folding, fold, out, err)
        })
    }

    fn stem(word: &str, lang: &str) -> Result<String, u32> {
        // SAFETY: valid buffers and out-pointers.
        string_result(|out, err| unsafe {
            scrm_stem(
                word.as_ptr().cast(),
                word.len(),
                lang.as_ptr().cast(),
                lang.len(),
                out,
                err,
            )
        })
    }

    #[test]
    fn normalize_variants() {
        assert_eq!(
            normalize("Jürgen Müller", SCRM_ACCENT_FOLDING_KEEP, true).unwrap(),
            "jürgen müller"
        );
        assert_eq!(
            normalize("Jürgen Müller", SCRM_ACCENT_FOLDING_STRIP, true).unwrap(),
            "jurgen muller"
        );
        assert_eq!(
            normalize("Jürgen Müller", SCRM_ACCENT_FOLDING_TRANSLITERATE, false).unwrap(),
            "Juergen Mueller"
        );
        assert_eq!(normalize("x", 3, true), Err(SCRM_STATUS_INVALID_ARGUMENT));
    }

    #[test]
    fn stemming() {
        assert_eq!(stem("Kündigungen", "de").unwrap(), "kundig");
        assert_eq!(stem("Cancelling", "EN").unwrap(), "cancel");
        assert_eq!(stem("Läufer", "und").unwrap(), "läufer");
        assert_eq!(stem("x", "xx"), Err(SCRM_STATUS_UNKNOWN_LANGUAGE));
        // the Greek word that panics inside rust-stemmers 1.2 is handled by the core
        assert!(stem("ισαισα", "el").is_ok());
    }
}
