"""Type stubs for the native part of the socialcrm package (import ``socialcrm`` instead).

Checked against the compiled module by ``python -m mypy.stubtest socialcrm._native``.
"""

from collections.abc import Iterable, Sequence
from os import PathLike
from typing import Any, Literal, final

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
    "Records",
    "Contacts",
    "Profiles",
    "Explanation",
    "Matcher",
    "MatchIndex",
    "SocialLinker",
    "jaro_winkler",
    "jaro_winkler_batch",
    "synthetic_world",
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

# --- identity matching ------------------------------------------------------------------------
#
# The native halves of socialcrm.Matcher, MatchIndex and SocialLinker (python/socialcrm/
# _identity.py), which take tables already split into an id list and one list per column
# (python/socialcrm/_frames.py). Only Explanation, jaro_winkler and jaro_winkler_batch are
# public as they are.

_Column = Sequence[object]
"""One value per row: str, int, float, a date, None/NaN (missing)."""

_Stats = dict[str, Any]
"""Blocking statistics: candidate_pairs, possible_pairs, rules, estimated_recall."""

_Table = Any
"""A result table: ``dict[str, list | bytes]`` (rows=False: one entry per column; a float
column such as ``match_probability`` comes as ``bytes`` of packed little-endian f64, read
with ``numpy.frombuffer(b, "<f8")``, the rest as lists) or ``list[dict[str, Any]]``
(rows=True: plain Python values)."""

@final
class Records:
    """A table of records converted for the matcher (the core's ``Records``)."""

    def __new__(
        cls, ids: _Column, columns: dict[str, Any], table: str = "records"
    ) -> Records: ...
    def __len__(self) -> int: ...
    @property
    def ids(self) -> list[str]:
        """The ids as str, in row order."""
    @property
    def fields(self) -> list[str]:
        """The column names, in column order."""

@final
class Contacts:
    """CRM contacts converted for the social linker (the core's ``Contact``)."""

    def __new__(cls, ids: _Column, columns: dict[str, Any]) -> Contacts: ...
    def __len__(self) -> int: ...
    @property
    def ids(self) -> list[str]:
        """The ids as str, in row order."""

@final
class Profiles:
    """Social profiles converted for the social linker (the core's ``SocialProfile``)."""

    def __new__(cls, ids: _Column, columns: dict[str, Any]) -> Profiles: ...
    def __len__(self) -> int: ...
    @property
    def ids(self) -> list[str]:
        """The ids as str, in row order."""

@final
class Explanation:
    """Why a pair scores as it does, comparison by comparison (``str()`` is a report)."""

    @property
    def left_id(self) -> str:
        """Id of the left record (the contact, for social linking)."""
    @property
    def right_id(self) -> str:
        """Id of the right record (the profile, for social linking)."""
    @property
    def match_probability(self) -> float:
        """Posterior match probability from the model, assertions aside, from this pair's
        evidence (for a social pair, with what its sibling profiles lend; a social link's
        probability also weighs its rivals, so it can differ)."""
    @property
    def match_weight(self) -> float:
        """Total log2-odds of a match."""
    @property
    def prior_weight(self) -> float:
        """The prior's part of the weight."""
    @property
    def fields(self) -> list[dict[str, Any]]:
        """Per comparison: comparison, level, level_index, m, u, weight,
        term_frequency_adjustment, left_value, right_value."""
    @property
    def blocking_rules(self) -> list[str]:
        """The blocking rules under which the pair is a candidate; empty means never compared.
        A social pair that is a candidate through a sibling profile lists
        ``"<rule> (through sibling profile <id>)"``."""
    @property
    def assertion(self) -> Literal["must_link", "no_link"] | None:
        """The assertion that decides the pair, if any."""
    def to_dict(self) -> dict[str, Any]:
        """Everything as plain data."""

@final
class Matcher:
    """The native half of socialcrm.Matcher; settings left None take the core's defaults."""

    def __new__(
        cls,
        fields: Sequence[tuple[str, str, bool | None]],
        blocking: Sequence[str],
        *,
        prior: float | None = None,
        default_country: str | None = None,
        month_first_dates: bool | None = None,
        max_block_pairs: int | None = None,
        u_sample_pairs: int | None = None,
        max_em_iterations: int | None = None,
        em_tolerance: float | None = None,
        estimate_u: bool | None = None,
        seed: int | None = None,
        consent_field: str | None = None,
        max_cluster_size: int | None = None,
        cluster_min_average_probability: float | None = None,
    ) -> Matcher: ...
    @property
    def fields(self) -> list[tuple[str, str, bool]]:
        """The fields as (name, kind, term_frequency), in comparison order."""
    @property
    def config(self) -> dict[str, Any]:
        """Every setting but the fields, with the blocking rules as text."""
    @property
    def is_fitted(self) -> bool:
        """Whether a model has been fitted (or loaded)."""
    @property
    def assertions(self) -> dict[str, list[tuple[str, str]]]:
        """The caller's assertions."""
    def level_labels(self, field: str) -> list[str]:
        """The level labels of a field's comparison."""
    def fit(self, left: Records, right: Records | None = None) -> _Stats:
        """Fits for linking (with right) or deduplication (without); GIL released."""
    def link(
        self, left: Records, right: Records, threshold: float, one_to_one: bool, rows: bool
    ) -> tuple[_Table, _Stats]:
        """Links left to right; returns (links, stats); GIL released."""
    def dedupe(
        self, records: Records, threshold: float, rows: bool
    ) -> tuple[_Table, _Table, _Stats]:
        """Deduplicates; returns (pairs, clusters, stats); GIL released."""
    def explain(
        self, left: Records, left_id: object, right: Records, right_id: object
    ) -> Explanation:
        """Explains one pair; GIL released."""
    def assert_must_link(self, left_id: object, right_id: object) -> None:
        """Asserts that two records are the same entity."""
    def assert_no_link(self, left_id: object, right_id: object) -> None:
        """Asserts that two records are different entities."""
    def clear_cache(self) -> None:
        """Drops the records, pairs and comparisons the last fit kept for link and dedupe."""
    def forget(self, records: Records, id: object) -> None:
        """Removes what the matcher holds about a record."""
    def to_json(self) -> str:
        """The matcher as versioned JSON."""
    @staticmethod
    def from_json(json: str) -> Matcher:
        """Reads a matcher written by to_json."""
    def save(self, path: str | PathLike[str]) -> None:
        """Writes to_json to a file."""
    @staticmethod
    def load(path: str | PathLike[str]) -> Matcher:
        """Reads a matcher saved with save."""

@final
class MatchIndex:
    """The native half of socialcrm.MatchIndex."""

    def __new__(cls, matcher: Matcher, records: Records, threshold: float) -> MatchIndex: ...
    def add(self, records: Records, rows: bool) -> _Table:
        """Assigns and indexes new records; GIL released."""
    def remove(self, id: object) -> bool:
        """Erases a record; False if it was not indexed."""
    def cluster_of(self, id: object) -> str | None:
        """The cluster id of an indexed record, or None."""
    @property
    def matcher(self) -> Matcher:
        """A copy of the matcher inside the index."""
    def __len__(self) -> int: ...

@final
class SocialLinker:
    """The native half of socialcrm.SocialLinker; settings left None take the defaults."""

    def __new__(
        cls,
        *,
        prior: float | None = None,
        max_block_pairs: int | None = None,
        u_sample_pairs: int | None = None,
        max_em_iterations: int | None = None,
        em_tolerance: float | None = None,
        seed: int | None = None,
        month_first_dates: bool | None = None,
    ) -> SocialLinker: ...
    @staticmethod
    def comparison_names() -> list[str]:
        """The comparison names, in order."""
    @staticmethod
    def level_labels(comparison: str) -> list[str]:
        """The level labels of a comparison."""
    @property
    def is_fitted(self) -> bool:
        """Whether a model has been fitted (or loaded)."""
    @property
    def assertions(self) -> dict[str, list[tuple[str, str]]]:
        """The caller's assertions."""
    def fit(self, contacts: Contacts, profiles: Profiles) -> _Stats:
        """Fits on consenting contacts and all profiles; GIL released."""
    def link(
        self, contacts: Contacts, profiles: Profiles, threshold: float, rows: bool
    ) -> tuple[_Table, _Stats, int]:
        """Links; returns (links, stats, contacts_without_consent); GIL released."""
    def explain(
        self, contacts: Contacts, contact_id: object, profiles: Profiles, profile_id: object
    ) -> Explanation:
        """Explains a contact-profile pair; ConsentRequiredError without consent."""
    def assert_must_link(self, contact_id: object, profile_id: object) -> None:
        """Asserts that a contact and a profile are the same person."""
    def assert_no_link(self, contact_id: object, profile_id: object) -> None:
        """Asserts that a contact and a profile are different people."""
    def clear_cache(self) -> None:
        """Drops the records, pairs and comparisons the last fit kept for link."""
    def forget_id(self, id: object) -> None:
        """Removes assertions naming an id."""
    def forget_contacts(self, contacts: Contacts) -> None:
        """Removes the traces of every contact of the table."""
    def to_json(self) -> str:
        """The linker as versioned JSON."""
    @staticmethod
    def from_json(json: str) -> SocialLinker:
        """Reads a linker written by to_json."""
    def save(self, path: str | PathLike[str]) -> None:
        """Writes to_json to a file."""
    @staticmethod
    def load(path: str | PathLike[str]) -> SocialLinker:
        """Reads a linker saved with save."""

def jaro_winkler(a: str, b: str) -> float:
    """The Jaro-Winkler similarity of two strings (0.0 to 1.0)."""

def jaro_winkler_batch(left: Iterable[str], right: Iterable[str]) -> list[float]:
    """Jaro-Winkler of each pair (left[i], right[i]); GIL released; lengths must agree."""

def synthetic_world(
    persons: int,
    *,
    seed: int | None = None,
    profile_rate: float | None = None,
    extra_profiles: float | None = None,
    consent_rate: float | None = None,
    duplicate_rate: float | None = None,
    namesake_rate: float | None = None,
    noise: float | None = None,
    countries: dict[str, float] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """A deterministic synthetic world: (contacts, profiles, truth) as lists of dicts."""
