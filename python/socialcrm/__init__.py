"""socialcrm: an embeddable Social CRM engine.

socialcrm links social identities to CRM contacts (only with consent), understands what
people say, finds who matters and values each customer by what they buy and by their social
reach. The work is done by a Rust core; this package is a thin, typed layer over it.

The text layer::

    >>> import socialcrm
    >>> [(t.kind, t.text) for t in socialcrm.tokenize("@DB_Bahn #Verspätung 😡")]
    [('mention', '@DB_Bahn'), ('hashtag', '#Verspätung'), ('emoji', '😡')]
    >>> socialcrm.detect_language("De trein had weer vertraging").language
    'nl'
    >>> socialcrm.normalize("Müller", accents="transliterate")
    'mueller'
    >>> socialcrm.stem("Kündigungen", "de")
    'kundig'

Identity matching, with a Fellegi–Sunter model fitted without labels::

    >>> crm = [
    ...     {"id": "c1", "name": "Jürgen Müller", "dob": "1975-11-02", "city": "Köln"},
    ...     {"id": "c2", "name": "Anna Schmidt", "dob": "1990-01-30", "city": "Berlin"},
    ...     {"id": "c3", "name": "Jan de Vries", "dob": "1982-03-14", "city": "Utrecht"},
    ... ]
    >>> shop = [
    ...     {"id": "s1", "name": "Juergen Mueller", "dob": "02.11.1975", "city": "Koeln"},
    ...     {"id": "s2", "name": "Jan De Vries", "dob": None, "city": "Utrecht"},
    ... ]
    >>> m = socialcrm.Matcher(
    ...     {"name": "name", "dob": "date", "city": "text"}, blocking=["dob", "city"]
    ... )
    >>> m.fit(crm, shop)["candidate_pairs"]
    2
    >>> [(link["left_id"], link["right_id"]) for link in m.link(crm, shop)]
    [('c1', 's1'), ('c3', 's2')]
    >>> print(m.explain(crm, "c1", shop, "s1"))  # doctest: +ELLIPSIS
    c1 ~ s1: probability 0.9..., weight ...
      name ... [Jürgen Müller | Juergen Mueller]
      dob ... exact   [1975-11-02 | 02.11.1975]
      city ... [Köln | Koeln]
      candidate under: dob, city
    <BLANKLINE>

:class:`Matcher` also deduplicates (``fit(records)``, ``dedupe(records)``),
:class:`MatchIndex` assigns new records to clusters without refitting, and
:class:`SocialLinker` / :func:`link_social` link CRM contacts to social profiles, never a
contact that has not granted consent. :func:`synthetic_world` makes realistic test data with
its answer key.

Conventions:

- Identity inputs are lists of dicts or pandas DataFrames (pandas is optional and only
  imported when a DataFrame comes in); a batch result is a DataFrame when an input was one,
  else a list of dicts (:class:`Rows`), and carries ``.attrs`` (e.g. ``"stats"``).
- Matchers and linkers pickle (as their JSON) and may be shared between threads; fitting,
  linking and deduplicating release the GIL.
- Offsets (``Token.start``, ``Token.end``) are character offsets into the ``str`` you passed,
  so ``text[t.start:t.end] == t.text``.
- ``*_batch`` functions take any iterable of ``str`` and release the GIL for the whole batch;
  they are the fast path for many texts and may be called from several threads at once.
- Bad values raise subclasses of :class:`SocialCrmError`; those caused by bad input are also
  :class:`ValueError`. Wrong types (``None`` or an ``int`` where a ``str`` belongs) raise
  :class:`TypeError`.
"""

from socialcrm._frames import Rows
from socialcrm._identity import MatchIndex, Matcher, SocialLinker, link_social
from socialcrm._native import (
    ConsentRequiredError,
    DuplicateIdError,
    Explanation,
    InvalidInputError,
    IoError,
    LanguageGuess,
    ModelError,
    NotFittedError,
    SocialCrmError,
    Stemmer,
    Token,
    UnknownFieldKindError,
    UnknownIdError,
    UnknownLanguageError,
    __version__,
    detect_language,
    detect_language_batch,
    jaro_winkler,
    jaro_winkler_batch,
    normalize,
    stem,
    synthetic_world,
    tokenize,
    tokenize_batch,
)

__all__ = [
    "__version__",
    # text
    "Token",
    "tokenize",
    "tokenize_batch",
    "normalize",
    "stem",
    "Stemmer",
    "LanguageGuess",
    "detect_language",
    "detect_language_batch",
    # identity
    "Matcher",
    "MatchIndex",
    "SocialLinker",
    "link_social",
    "Explanation",
    "Rows",
    "jaro_winkler",
    "jaro_winkler_batch",
    "synthetic_world",
    # errors
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
]
