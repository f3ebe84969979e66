//! Tokenization: `scrm_tokenize` and the `scrm_token_list` it returns.

use std::borrow::Cow;
use std::ffi::{CStr, c_char};
use std::ptr::NonNull;

use socialcrm_core::text::{TokenKind, tokenize};

use crate::args::{out_arg, ref_arg, str_arg};
use crate::error::{FfiError, scrm_error};
use crate::guard::{ffi_guard, ffi_guard_value};
use crate::status::{SCRM_STATUS_INTERNAL, scrm_status};

/// The kind of a token: one of the `SCRM_TOKEN_KIND_*` values. New kinds may be added in later
/// releases (with new values), so a `switch` over kinds needs a `default:` branch.
pub type scrm_token_kind = u32;

/// A word: letters, possibly with digits, apostrophes, underscores (`don't`, `b2b`, `soooo`).
pub const SCRM_TOKEN_KIND_WORD: scrm_token_kind = 0;
/// A number with its separators (`42`, `3,50`, `1.000`).
pub const SCRM_TOKEN_KIND_NUMBER: scrm_token_kind = 1;
/// A user handle: `@DB_Bahn`, `@jan.devries`.
pub const SCRM_TOKEN_KIND_MENTION: scrm_token_kind = 2;
/// A hashtag with at least one letter: `#Verspätung`, `#KundenserviceFail`.
pub const SCRM_TOKEN_KIND_HASHTAG: scrm_token_kind = 3;
/// A web address: `https://x.de/a?b=1`, `www.bol.com`, `bahn.de/reise`.
pub const SCRM_TOKEN_KIND_URL: scrm_token_kind = 4;
/// An e-mail address: `jan.devries+shop@example.nl`.
pub const SCRM_TOKEN_KIND_EMAIL: scrm_token_kind = 5;
/// One emoji with its modifiers (skin tones, ZWJ sequences, flags, keycaps): `😡`, `👍🏽`.
pub const SCRM_TOKEN_KIND_EMOJI: scrm_token_kind = 6;
/// An emoticon: `:-)`, `:(`, `;D`, `xD`, `<3`, `^_^`, `:)))` (elongated).
pub const SCRM_TOKEN_KIND_EMOTICON: scrm_token_kind = 7;
/// Punctuation; a run of the same mark (`!!!`) is one token. A lone `#` or `@` is punctuation.
pub const SCRM_TOKEN_KIND_PUNCTUATION: scrm_token_kind = 8;
/// Any other non-whitespace character: currency, maths and other symbols (`€`, `+`, `=`).
pub const SCRM_TOKEN_KIND_SYMBOL: scrm_token_kind = 9;

/// The constants above, in the order of `TokenKind::ALL` (their values are the indices).
const KINDS: [(scrm_token_kind, TokenKind, &CStr); 10] = [
    (SCRM_TOKEN_KIND_WORD, TokenKind::Word, c"word"),
    (SCRM_TOKEN_KIND_NUMBER, TokenKind::Number, c"number"),
    (SCRM_TOKEN_KIND_MENTION, TokenKind::Mention, c"mention"),
    (SCRM_TOKEN_KIND_HASHTAG, TokenKind::Hashtag, c"hashtag"),
    (SCRM_TOKEN_KIND_URL, TokenKind::Url, c"url"),
    (SCRM_TOKEN_KIND_EMAIL, TokenKind::Email, c"email"),
    (SCRM_TOKEN_KIND_EMOJI, TokenKind::Emoji, c"emoji"),
    (SCRM_TOKEN_KIND_EMOTICON, TokenKind::Emoticon, c"emoticon"),
    (
        SCRM_TOKEN_KIND_PUNCTUATION,
        TokenKind::Punctuation,
        c"punctuation",
    ),
    (SCRM_TOKEN_KIND_SYMBOL, TokenKind::Symbol, c"symbol"),
];

/// The C code of a token kind. `TokenKind` is `#[non_exhaustive]`: a kind added to the core
/// before this binding knows it is an error rather than a made-up number.
fn kind_code(kind: TokenKind) -> Result<scrm_token_kind, FfiError> {
    KINDS
        .iter()
        .find(|(_, k, _)| *k == kind)
        .map(|(code, _, _)| *code)
        .ok_or_else(|| {
            FfiError::new(
                SCRM_STATUS_INTERNAL,
                format!("token kind {kind:?} has no C code in this version of libsocialcrm"),
            )
        })
}

/// The lower-case name of a token kind as a static NUL-terminated string (`"word"`,
/// `"hashtag"`, ...; the names the Python package and the CLI use), or `"unknown"` for a value
/// that is not a `SCRM_TOKEN_KIND_*`. Never free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn scrm_token_kind_name(kind: scrm_token_kind) -> *const c_char {
    ffi_guard_value(c"unknown".as_ptr(), || {
        KINDS
            .iter()
            .find(|(code, _, _)| *code == kind)
            .map_or(c"unknown", |(_, _, name)| name)
            .as_ptr()
    })
}

/// One token of a `scrm_token_list`, as filled in by `scrm_token_list_get`. A plain value:
/// copy it freely; it does not point into the list.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct scrm_token {
    /// What kind of token this is: a `SCRM_TOKEN_KIND_*` value.
    pub kind: scrm_token_kind,
    /// The token repeats a character beyond normal spelling for emphasis: a letter three or
    /// more times in a word (`soooo`), `!!`/`??`, or an emoticon's mouth (`:)))`).
    pub elongated: bool,
    /// Byte offset of the token in the text passed to `scrm_tokenize`.
    pub start: usize,
    /// Length of the token in bytes; the token is `text[start .. start + len]`.
    pub len: usize,
    /// Number of parts (`scrm_token_list_part`): the words inside a hashtag or mention
    /// (`#KundenserviceFail` has 2: `Kundenservice`, `Fail`); 0 for other kinds.
    pub part_count: usize,
}

/// One token as stored in the list. Spans are byte ranges in `scrm_token_list::arena`.
#[derive(Debug, Clone, Copy)]
struct StoredToken {
    start: usize,
    len: usize,
    normalized_start: usize,
    normalized_len: usize,
    /// One past this token's last entry in `scrm_token_list::parts` (the first entry is the
    /// previous token's `parts_end`).
    parts_end: usize,
    kind: scrm_token_kind,
    elongated: bool,
}

/// The tokens of one text, produced by `scrm_tokenize`.
///
/// The list owns copies of everything it returns (the input text, the normalised forms, the
/// hashtag parts): it does not refer to the caller's buffer after `scrm_tokenize` returns. The
/// `(pointer, length)` views that the `scrm_token_list_*` accessors return point into the list
/// and stay valid until the list is freed; they are UTF-8 and *not* NUL-terminated (print them
/// with `printf("%.*s", (int)len, ptr)`).
///
/// The caller owns the list and frees it with `scrm_token_list_free`. It is immutable after
/// creation, so any number of threads may read the same list at once; freeing it while another
/// thread reads it is a use-after-free.
pub struct scrm_token_list {
    /// The input text followed by every normalised form or part that is not a slice of it.
    arena: String,
    tokens: Vec<StoredToken>,
    /// `(start, len)` in `arena` of each part, for all tokens in order.
    parts: Vec<(usize, usize)>,
}

impl scrm_token_list {
    fn build(text: &str) -> Result<scrm_token_list, FfiError> {
        let mut arena = String::new();
        arena.try_reserve_exact(text.len())?;
        arena.push_str(text);
        let mut tokens: Vec<StoredToken> = Vec::new();
        let mut parts: Vec<(usize, usize)> = Vec::new();

        // Where `s` lies in `text`, if it is a slice of it (normalised forms often are, parts
        // always are); otherwise it is copied to the end of the arena.
        let text_range = text.as_ptr() as usize..text.as_ptr() as usize + text.len();
        let place = |s: &str, arena: &mut String| -> Result<(usize, usize), FfiError> {
            let addr = s.as_ptr() as usize;
            if text_range.contains(&addr) && addr + s.len() <= text_range.end {
                return Ok((addr - text_range.start, s.len()));
            }
            arena.try_reserve(s.len())?;
            let start = arena.len();
            arena.push_str(s);
            Ok((start, s.len()))
        };

        for token in tokenize(text) {
            let normalized = token.normalized();
            let (normalized_start, normalized_len) = match &normalized {
                Cow::Borrowed(s) => place(s, &mut arena)?,
                Cow::Owned(s) => place(s, &mut arena)?,
            };
            for part in token.parts() {
                let span = place(part, &mut arena)?;
                parts.try_reserve(1)?;
                parts.push(span);
            }
            tokens.try_reserve(1)?;
            tokens.push(StoredToken {
                start: token.start,
                len: token.text.len(),
                normalized_start,
                normalized_len,
                parts_end: parts.len(),
                kind: kind_code(token.kind)?,
                elongated: token.elongated,
            });
        }
        // Growth doubles capacity; give back what a large text left unused.
        tokens.shrink_to_fit();
        parts.shrink_to_fit();
        Ok(scrm_token_list {
            arena,
            tokens,
            parts,
        })
    }

    fn token(&self, index: usize) -> Result<&StoredToken, FfiError> {
        self.tokens.get(index).ok_or_else(|| {
            FfiError::invalid_argument(format!(
                "argument `index`: {index} is out of range, the list has {} tokens",
                self.tokens.len()
            ))
        })
    }

    fn parts_of(&self, index: usize) -> &[(usize, usize)] {
        let start = index
            .checked_sub(1)
            .map_or(0, |prev| self.tokens[prev].parts_end);
        &self.parts[start..self.tokens[index].parts_end]
    }

    fn view(&self, (start, len): (usize, usize)) -> &str {
        &self.arena[start..start + len]
    }
}

/// Splits a text into social-media tokens: words, numbers, `@mentions`, `#hashtags`, URLs,
/// e-mail addresses, emoji (with skin tones, ZWJ sequences and flags), emoticons, punctuation
/// and symbols. Nothing but whitespace is dropped.
///
/// `text` is `len` bytes of UTF-8 (not necessarily NUL-terminated); NULL is accepted when
/// `len` is 0 (the list is empty). Offsets in the result are byte offsets into `text`. On
/// success `*out` receives a new list that the caller owns and frees with
/// `scrm_token_list_free`; on failure `*out` is not written. Thread-safe.
///
/// Memory: about 50 bytes per token plus a copy of the text.
///
/// Errors: `SCRM_STATUS_NULL_POINTER`, `SCRM_STATUS_INVALID_UTF8`,
/// `SCRM_STATUS_OUT_OF_MEMORY`.
///
/// # Safety
///
/// `text` is NULL or points to `len` readable bytes; `out` is NULL or valid for writing one
/// pointer; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_tokenize(
    text: *const c_char,
    len: usize,
    out: *mut *mut scrm_token_list,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let out = out_arg(out, "out")?;
        // SAFETY: text is NULL or points to len readable bytes (this function's contract);
        // the borrow ends with this call (the list copies the text).
        let text = unsafe { str_arg(text, len, "text") }?;
        let list = scrm_token_list::build(text)?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { out.write(Box::into_raw(Box::new(list))) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The number of tokens in `list`; 0 if `list` is NULL. Thread-safe.
///
/// # Safety
///
/// `list` is NULL or a live `scrm_token_list` from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_token_list_len(list: *const scrm_token_list) -> usize {
    ffi_guard_value(0, || {
        // SAFETY: list is NULL or a live scrm_token_list (this function's contract).
        unsafe { list.as_ref() }.map_or(0, |list| list.tokens.len())
    })
}

/// Copies token number `index` (0-based, in text order) of `list` into `*out`. On failure
/// `*out` is not written. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`list` or `out`), `SCRM_STATUS_INVALID_ARGUMENT`
/// (`index >= scrm_token_list_len(list)`).
///
/// # Safety
///
/// `list` is NULL or a live `scrm_token_list`; `out` is NULL or valid for writing one
/// `scrm_token`; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_token_list_get(
    list: *const scrm_token_list,
    index: usize,
    out: *mut scrm_token,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: list is NULL or a live, immutable scrm_token_list (this function's
        // contract); the borrow ends with this call.
        let list = unsafe { ref_arg(list, "list") }?;
        let out = out_arg(out, "out")?;
        let token = list.token(index)?;
        let result = scrm_token {
            kind: token.kind,
            elongated: token.elongated,
            start: token.start,
            len: token.len,
            part_count: list.parts_of(index).len(),
        };
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { out.write(result) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Checks the two out-parameters of a borrowed view (before anything else, so that a NULL
/// out-parameter is reported as such whatever the other arguments).
fn view_out_args(
    ptr_out: *mut *const c_char,
    len_out: *mut usize,
) -> Result<(NonNull<*const c_char>, NonNull<usize>), FfiError> {
    Ok((out_arg(ptr_out, "ptr_out")?, out_arg(len_out, "len_out")?))
}

/// Writes a borrowed view of `s` (which lives in a token list) to the out-parameters.
///
/// # Safety
///
/// Both pointers are valid for writes.
unsafe fn write_view(s: &str, (ptr_out, len_out): (NonNull<*const c_char>, NonNull<usize>)) {
    // SAFETY: both are valid for writes (this function's contract).
    unsafe {
        ptr_out.write(s.as_ptr().cast());
        len_out.write(s.len());
    }
}

/// The text of token number `index` exactly as it appears in the input, as a borrowed view:
/// `*ptr_out` and `*len_out` receive a pointer into `list` and a length in bytes (UTF-8, not
/// NUL-terminated), valid until `scrm_token_list_free(list)`. Out-parameters are written only
/// on success. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`list`, `ptr_out` or `len_out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`index` out of range).
///
/// # Safety
///
/// `list` is NULL or a live `scrm_token_list`; `ptr_out` and `len_out` are NULL or valid for
/// writes; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_token_list_text(
    list: *const scrm_token_list,
    index: usize,
    ptr_out: *mut *const c_char,
    len_out: *mut usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: list is NULL or a live, immutable scrm_token_list (this function's
        // contract).
        let list = unsafe { ref_arg(list, "list") }?;
        let outs = view_out_args(ptr_out, len_out)?;
        let token = list.token(index)?;
        // SAFETY: ptr_out and len_out are not NULL and valid for writes (this function's
        // contract).
        unsafe { write_view(list.view((token.start, token.len)), outs) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The normalised form of token number `index`: the form in which tokens are compared,
/// counted and stemmed. Words, numbers, mentions, hashtags and e-mail addresses are NFKC
/// normalised and case-folded (`STRAẞE` → `strasse`, `@DB_Bahn` → `@db_bahn`), elongated words
/// collapse their runs (`Soooo` → `so`) and a punctuation run is one mark (`!!!` → `!`); URLs,
/// emoji, emoticons and symbols are returned as they are (`:D` is not `:d`).
///
/// `*ptr_out` and `*len_out` receive a borrowed view into `list` (UTF-8, not NUL-terminated),
/// valid until `scrm_token_list_free(list)`. Out-parameters are written only on success.
/// Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`list`, `ptr_out` or `len_out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`index` out of range).
///
/// # Safety
///
/// `list` is NULL or a live `scrm_token_list`; `ptr_out` and `len_out` are NULL or valid for
/// writes; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_token_list_normalized(
    list: *const scrm_token_list,
    index: usize,
    ptr_out: *mut *const c_char,
    len_out: *mut usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: list is NULL or a live, immutable scrm_token_list (this function's
        // contract).
        let list = unsafe { ref_arg(list, "list") }?;
        let outs = view_out_args(ptr_out, len_out)?;
        let token = list.token(index)?;
        let normalized = list.view((token.normalized_start, token.normalized_len));
        // SAFETY: ptr_out and len_out are not NULL and valid for writes (this function's
        // contract).
        unsafe { write_view(normalized, outs) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Part number `part_index` of token number `index`: the words inside a hashtag or mention,
/// split at `_`, `.`, letter/digit changes and camel case (`#KundenserviceFail` →
/// `Kundenservice`, `Fail`; `@DB_Bahn` → `DB`, `Bahn`; `#COVID19` → `COVID`, `19`), in their
/// original spelling. All-lower-case tags are not split. `scrm_token.part_count` says how many
/// parts a token has (0 for kinds other than hashtag and mention).
///
/// `*ptr_out` and `*len_out` receive a borrowed view into `list` (UTF-8, not NUL-terminated),
/// valid until `scrm_token_list_free(list)`. Out-parameters are written only on success.
/// Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`list`, `ptr_out` or `len_out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`index` or `part_index` out of range).
///
/// # Safety
///
/// `list` is NULL or a live `scrm_token_list`; `ptr_out` and `len_out` are NULL or valid for
/// writes; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_token_list_part(
    list: *const scrm_token_list,
    index: usize,
    part_index: usize,
    ptr_out: *mut *const c_char,
    len_out: *mut usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: list is NULL or a live, immutable scrm_token_list (this function's
        // contract).
        let list = unsafe { ref_arg(list, "list") }?;
        let outs = view_out_args(ptr_out, len_out)?;
        list.token(index)?;
        let parts = list.parts_of(index);
        let span = parts.get(part_index).copied().ok_or_else(|| {
            FfiError::invalid_argument(format!(
                "argument `part_index`: {part_index} is out of range, token {index} has {} parts",
                parts.len()
            ))
        })?;
        // SAFETY: ptr_out and len_out are not NULL and valid for writes (this function's
        // contract).
        unsafe { write_view(list.view(span), outs) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Frees a token list and everything it owns. Accepts NULL (does nothing). After this call
/// every view obtained from the list is dangling. Must not race with readers of the list.
///
/// # Safety
///
/// `list` is NULL or a `scrm_token_list` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_token_list_free(list: *mut scrm_token_list) {
    ffi_guard_value((), || {
        if !list.is_null() {
            // SAFETY: list came from Box::into_raw in scrm_tokenize and is freed only once
            // (this function's contract).
            drop(unsafe { Box::from_raw(list) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{SCRM_STATUS_INVALID_ARGUMENT, SCRM_STATUS_OK};
    use std::ptr;

    #[test]
    fn kind_codes_follow_the_core_order() {
        assert_eq!(KINDS.len(), TokenKind::ALL.len());
        for (i, (code, kind, name)) in KINDS.iter().enumerate() {
            assert_eq!(*code as usize, i);
            assert_eq!(TokenKind::ALL[i], *kind);
            assert_eq!(name.to_str().unwrap(), kind.name());
            // SAFETY: static NUL-terminated string.
            let c_name = unsafe { CStr::from_ptr(scrm_token_kind_name(*code)) };
            assert_eq!(c_name, *name);
        }
        // SAFETY: static NUL-terminated string.
        let unknown = unsafe { CStr::from_ptr(scrm_token_kind_name(10)) };
        assert_eq!(unknown, c"unknown");
    }

    fn tokens(text: &str) -> Box<scrm_token_list> {
        let mut out = ptr::null_mut();
        // SAFETY: valid buffer and out-pointer.
        let status =
            unsafe { scrm_tokenize(text.as_ptr().cast(), text.len(), &mut out, ptr::null_mut()) };
        assert_eq!(status, SCRM_STATUS_OK);
        // SAFETY: out was just created by scrm_tokenize and is owned here.
        unsafe { Box::from_raw(out) }
    }

    /// The bytes of a view written by a successful accessor call.
    ///
    /// # Safety
    ///
    /// If `status` is OK, `(p, n)` is a view into a list that outlives the returned slice.
    unsafe fn read_view<'a>(status: scrm_status, p: *const c_char, n: usize) -> &'a [u8] {
        assert_eq!(status, SCRM_STATUS_OK);
        // SAFETY: the call succeeded, so (p, n) is a live view (this function's contract).
        unsafe { std::slice::from_raw_parts(p.cast::<u8>(), n) }
    }

    #[test]
    fn list_matches_the_core_tokenizer() {
        let text = "@DB_Bahn #KundenserviceFail Soooo SCHLECHT!!! 😡 :))) https://x.de/A";
        let list = tokens(text);
        let core: Vec<_> = tokenize(text).collect();
        // SAFETY: &*list is a live list.
        assert_eq!(unsafe { scrm_token_list_len(&*list) }, core.len());
        for (i, expected) in core.iter().enumerate() {
            let mut token = scrm_token {
                kind: 99,
                elongated: false,
                start: 0,
                len: 0,
                part_count: 0,
            };
            let (mut p, mut n) = (ptr::null(), 0_usize);
            // SAFETY: live list, valid out-pointers; views are read while the list lives.
            unsafe {
                assert_eq!(
                    scrm_token_list_get(&*list, i, &mut token, ptr::null_mut()),
                    SCRM_STATUS_OK
                );
                assert_eq!(token.kind, kind_code(expected.kind).unwrap());
                assert_eq!(
                    (token.start, token.len),
                    (expected.start, expected.text.len())
                );
                assert_eq!(token.elongated, expected.elongated);

                let status = scrm_token_list_text(&*list, i, &mut p, &mut n, ptr::null_mut());
                assert_eq!(read_view(status, p, n), expected.text.as_bytes());

                let status = scrm_token_list_normalized(&*list, i, &mut p, &mut n, ptr::null_mut());
                let normalized = read_view(status, p, n);
                assert_eq!(normalized, expected.normalized().as_bytes());

                let parts: Vec<_> = expected.parts().collect();
                assert_eq!(token.part_count, parts.len());
                for (j, part) in parts.iter().enumerate() {
                    let status =
                        scrm_token_list_part(&*list, i, j, &mut p, &mut n, ptr::null_mut());
                    assert_eq!(read_view(status, p, n), part.as_bytes());
                }
                assert_eq!(
                    scrm_token_list_part(&*list, i, parts.len(), &mut p, &mut n, ptr::null_mut()),
                    SCRM_STATUS_INVALID_ARGUMENT
                );
            }
        }
        // SAFETY: live list, valid out-pointer.
        let status = unsafe {
            scrm_token_list_get(
                &*list,
                core.len(),
                &mut scrm_token {
                    kind: 0,
                    elongated: false,
                    start: 0,
                    len: 0,
                    part_count: 0,
                },
                ptr::null_mut(),
            )
        };
        assert_eq!(status, SCRM_STATUS_INVALID_ARGUMENT);
    }

    #[test]
    fn owned_normalized_forms_go_to_the_arena() {
        let list = tokens("GUUUT gut");
        assert_eq!(list.arena, "GUUUT gutgut");
        assert_eq!(
            list.view((
                list.tokens[0].normalized_start,
                list.tokens[0].normalized_len
            )),
            "gut"
        );
        // an already-normal token refers to the copied input
        assert_eq!(list.tokens[1].normalized_start, 6);
    }
}
