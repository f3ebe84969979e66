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

Conventions:

- Offsets (``Token.start``, ``Token.end``) are character offsets into the ``str`` you passed,
  so ``text[t.start:t.end] == t.text``.
- ``*_batch`` functions take any iterable of ``str`` and release the GIL for the whole batch;
  they are the fast path for many texts and may be called from several threads at once.
- Bad values raise subclasses of :class:`SocialCrmError`; those caused by bad input are also
  :class:`ValueError`. Wrong types (``None`` or an ``int`` where a ``str`` belongs) raise
  :class:`TypeError`.
"""

from socialcrm._native import (
    ConsentRequiredError,
    DuplicateIdError,
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
    normalize,
    stem,
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
