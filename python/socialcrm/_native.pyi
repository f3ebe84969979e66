"""Type stubs for the native part of the socialcrm package (import ``socialcrm`` instead).

Checked against the compiled module by ``python -m mypy.stubtest socialcrm._native``.
"""

from collections.abc import Iterable
from typing import Literal, final

__all__ = [
    "__version__",
    "SocialCrmError",
    "InvalidInputError",
    "UnknownLanguageError",
    "DuplicateIdError",
    "UnknownFieldKindError",
    "ConsentRequiredError",
    "ModelError",
    "NotFittedError",
    "UnknownIdError",
    "IoError",
    "Token",
    "LanguageGuess",
    "Stemmer",
    "tokenize",
    "tokenize_batch",
    "normalize",
    "stem",
    "detect_language",
    "detect_language_batch",
]

__version__: str

_TokenKind = Literal[
    "word",
    "number",
    "mention",
    "hashtag",
    "url",
    "email",
    "emoji",
    "emoticon",
    "punctuation",
    "symbol",
]
_AccentFolding = Literal["keep", "strip", "transliterate"]

# --- errors -----------------------------------------------------------------------------------

class SocialCrmError(Exception):
    """Base class of every error raised by socialcrm."""

class InvalidInputError(SocialCrmError, ValueError):
    """An argument has a value socialcrm cannot work with (also a ValueError)."""

class UnknownLanguageError(InvalidInputError):
    """A language code that socialcrm does not know."""

    code: str
    """The code as given."""
    expected: list[str]
    """The accepted codes."""

class DuplicateIdError(InvalidInputError):
    """Two records in one input share an id."""

    id: str
    """The repeated id."""
    table: str
    """Which input it was found in (e.g. ``"contacts"``)."""

class UnknownFieldKindError(InvalidInputError):
    """A field kind name that socialcrm does not know."""

    kind: str
    """The kind as given."""
    expected: list[str]
    """The accepted kinds."""

class ConsentRequiredError(SocialCrmError):
    """An operation needs the consent of a person who has not given it."""

    contact_id: str
    """The contact whose consent is missing."""
    purpose: str
    """What the consent would have been for."""

class ModelError(SocialCrmError):
    """A saved model could not be loaded: corrupt, truncated, or from a newer version."""

class NotFittedError(SocialCrmError):
    """A model is used before it was fitted, or with data it was not fitted for."""

class UnknownIdError(SocialCrmError):
    """An id the operation needs is not known."""

    id: str
    """The unknown id."""

class IoError(SocialCrmError, OSError):
    """Reading or writing a file failed (also an OSError)."""

# --- tokens -----------------------------------------------------------------------------------

@final
class Token:
    """One token of a text, as returned by :func:`tokenize`."""

    def __new__(
        cls,
        kind: _TokenKind,
        text: str,
        start: int,
        end: int,
        elongated: bool = False,
    ) -> Token: ...
    @property
    def kind(self) -> _TokenKind:
        """What kind of token this is, e.g. ``"word"`` or ``"hashtag"``."""
    @property
    def text(self) -> str:
        """The token exactly as it appears in the input."""
    @property
    def start(self) -> int:
        """Character offset of the token in the input."""
    @property
    def end(self) -> int:
        """Character offset just past the token."""
    @property
    def normalized(self) -> str:
        """The form in which the token is compared, counted and stemmed (derived on access)."""
    @property
    def elongated(self) -> bool:
        """Whether a character is repeated for emphasis (``"soooo"``, ``"!!!"``)."""
    @property
    def parts(self) -> list[str]:
        """The words inside a hashtag or mention; empty for other kinds (a new list each time)."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(
        self,
    ) -> tuple[type[Token], tuple[str, str, int, int, bool]]: ...

def tokenize(text: str) -> list[Token]:
    """Splits a text into social-media tokens; offsets are character offsets into ``text``."""

def tokenize_batch(texts: Iterable[str]) -> list[list[Token]]:
    """Tokenizes each text (GIL released); equal to ``[tokenize(t) for t in texts]``."""

# --- normalisation and stemming ---------------------------------------------------------------

def normalize(text: str, *, case_fold: bool = True, accents: _AccentFolding = "keep") -> str:
    """NFKC, then optional case folding and accent folding."""

def stem(word: str, language: str) -> str:
    """Stems one word with the Snowball stemmer of ``language`` (an ISO 639-1 code)."""

@final
class Stemmer:
    """A Snowball stemmer for one language; build it once to stem many words."""

    def __new__(cls, language: str) -> Stemmer: ...
    @property
    def language(self) -> str:
        """The ISO 639-1 code of the stemmer's language (``"und"`` for none)."""
    def stem(self, word: str) -> str:
        """Stems one word (normalised first)."""
    def stem_batch(self, words: Iterable[str]) -> list[str]:
        """Stems each word (GIL released); equal to ``[self.stem(w) for w in words]``."""
    def __reduce__(self) -> tuple[type[Stemmer], tuple[str]]: ...

# --- language identification ------------------------------------------------------------------

@final
class LanguageGuess:
    """The result of :func:`detect_language`."""

    def __new__(cls, language: str, confidence: float) -> LanguageGuess: ...
    @property
    def language(self) -> str:
        """ISO 639-1 code of the most likely language, or ``"und"``."""
    @property
    def confidence(self) -> float:
        """How sure the detector is, from 0.0 to 1.0."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[LanguageGuess], tuple[str, float]]: ...

def detect_language(text: str) -> LanguageGuess:
    """Identifies the language of a text; ``"und"`` when too short or ambiguous."""

def detect_language_batch(texts: Iterable[str]) -> list[LanguageGuess]:
    """Identifies each text's language (GIL released); equal to mapping detect_language."""
