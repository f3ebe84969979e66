"""Identity matching: :class:`Matcher`, :class:`MatchIndex`, :class:`SocialLinker`,
:func:`link_social`.

Each class wraps its native half (``socialcrm._native``), which holds the Rust object and
releases the GIL for the work. This module only translates: friendly arguments into the
native ones, DataFrames and lists of dicts into columns (``socialcrm._frames``), and native
results back into the form of the input.
"""

from __future__ import annotations

import json
import numbers
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Union, overload

from socialcrm import _frames, _native
from socialcrm._frames import Rows
from socialcrm._native import Explanation, InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FieldKind",
    "Matcher",
    "MatchIndex",
    "SocialLinker",
    "link_social",
]

FieldKind = Literal[
    "name", "text", "exact", "date", "email", "phone", "postcode", "handle", "url", "number"
]
"""The kinds of field a :class:`Matcher` compares (see :class:`Matcher`)."""

Records = Iterable[Mapping[Any, Any]]
"""Records as a list (or any iterable) of dicts (a pandas DataFrame is accepted alongside)."""

_Path = Union[str, "os.PathLike[str]"]

# The columns of a contact and of a social profile (the Rust field names).
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "emails",
    "phones",
    "street",
    "postcode",
    "city",
    "country",
    "company",
    "birth_date",
    "consent",
    "consent_social_linking",
)
PROFILE_FIELDS = ("platform", "handle", "display_name", "bio", "location", "website", "email")


def _field_args(fields: Mapping[str, str | Mapping[str, Any]]) -> list[tuple[str, str, bool | None]]:
    if not isinstance(fields, Mapping):
        raise TypeError(
            "fields must be a dict of field name -> kind, e.g. "
            f"{{'surname': 'name', 'dob': 'date'}}, not {type(fields).__name__}"
        )
    out: list[tuple[str, str, bool | None]] = []
    for name, spec in fields.items():
        if not isinstance(name, str):
            raise TypeError(f"field names must be str, not {type(name).__name__}")
        if isinstance(spec, str):
            out.append((name, spec, None))
        elif isinstance(spec, Mapping):
            unknown = set(spec) - {"kind", "term_frequency"}
            if unknown:
                raise InvalidInputError(
                    f"field {name!r}: unknown setting(s) {', '.join(sorted(map(str, unknown)))}; "
                    "expected kind, term_frequency"
                )
            if "kind" not in spec:
                raise InvalidInputError(f"field {name!r}: the dict needs a 'kind'")
            kind, tf = spec["kind"], spec.get("term_frequency")
            if not isinstance(kind, str):
                raise TypeError(f"field {name!r}: kind must be str, not {type(kind).__name__}")
            if tf is not None and not isinstance(tf, bool):
                raise TypeError(
                    f"field {name!r}: term_frequency must be bool, not {type(tf).__name__}"
                )
            out.append((name, kind, tf))
        else:
            raise TypeError(
                f"field {name!r}: expected a kind name (str) or a dict like "
                f"{{'kind': 'name', 'term_frequency': True}}, not {type(spec).__name__}"
            )
    return out


def _rule_args(blocking: Sequence[str | Sequence[str]]) -> list[str]:
    if isinstance(blocking, (str, bytes)) or not isinstance(blocking, Iterable):
        raise TypeError(
            "blocking must be a list of rules, each a list of 'field[:transform]' parts or one "
            "'a+b' string, e.g. [['surname'], 'surname:phonetic+given_name:initial']"
        )
    rules = []
    for rule in blocking:
        if isinstance(rule, str):
            rules.append(rule)
        elif isinstance(rule, Iterable) and not isinstance(rule, (bytes, Mapping)):
            parts = list(rule)
            if not all(isinstance(p, str) for p in parts):
                raise TypeError(f"the parts of blocking rule {parts!r} must be str")
            rules.append("+".join(parts))
        else:
            raise TypeError(
                f"a blocking rule is a list of parts or one str, not {type(rule).__name__}"
            )
    return rules


def _count(name: str, value: object) -> int:
    """A whole-number setting that cannot be negative, checked here so that the error names
    it (the native layer's would be a bare ``OverflowError``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise InvalidInputError(f"{name} must not be negative, got {value}")
    return int(value)


def _flag(name: str, value: object) -> bool:
    """A True/False argument; NumPy's ``bool_`` counts (a DataFrame cell gives one)."""
    kind = type(value)
    numpy_bool = kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")
    if isinstance(value, bool) or numpy_bool:
        return bool(value)
    raise TypeError(f"{name} must be True or False, not {type(value).__name__}")


class Matcher:
    """A probabilistic record matcher (Fellegi–Sunter, fitted by EM without labels): links two
    tables, or finds the duplicates in one, and says why.

    Args:
        fields: The fields to compare, as ``{field: kind}`` in comparison order. A kind is
            ``"name"``, ``"text"``, ``"exact"``, ``"date"``, ``"email"``, ``"phone"``,
            ``"postcode"``, ``"handle"``, ``"url"`` or ``"number"``; it chooses how values are
            normalised and which levels a comparison has (:meth:`level_labels`). A value may
            also be a dict ``{"kind": "name", "term_frequency": True}``: term frequencies make
            agreement on a rare value count more than on a common one (on by default for names).
        blocking: Which pairs are compared at all: a list of rules, a pair being a candidate if
            it agrees on *every* part of *any* rule. A rule is a list of parts or one string
            with the parts joined by ``+``; a part is ``field`` or ``field:transform`` with the
            transforms ``exact``, ``prefixN`` (N = 1..32), ``phonetic`` (names), ``initial`` and
            ``year`` (dates). Without rules every pair is compared (small tables only).
        prior: P(match) for a candidate pair; None (default) lets EM estimate it.
        default_country: ISO country code for phone numbers without a country prefix.
        month_first_dates: Read ``03/04/1982`` as 4 March (False, default) or 3 April (True).
        max_block_pairs: Blocks with more pairs are skipped (and reported in :attr:`stats`).
        u_sample_pairs: Random pairs sampled to start the u-probabilities.
        max_em_iterations: EM iteration limit.
        em_tolerance: EM stops when no parameter moves more than this.
        estimate_u: Re-estimate u among the candidate pairs during EM.
        seed: Seed of the random pair sample (fits are reproducible).
        consent_field: A column of the left records holding a consent status (``"granted"``,
            ``"withdrawn"``, ``"absent"``); records without granted consent are neither fitted
            on nor linked.
        max_cluster_size: Deduplication: the largest cluster allowed.
        cluster_min_average_probability: Deduplication: two clusters merge only when the mean
            probability across them reaches this (default: the threshold).

    Records are a list of dicts or a pandas DataFrame with an ``id`` column (or an index
    named ``id``; another name with ``id_column=``) and one column per field. Values are
    ``str``; ``None``, NaN, ``pd.NA`` and empty strings are missing (never a mismatch);
    numbers become their decimal text (``2000.0`` -> ``"2000"``), dates ISO dates. Batch
    results are a DataFrame when an input was a DataFrame, else a list of dicts
    (:class:`Rows`). Ids come back as given. The GIL is released while fitting, linking and
    deduplicating, and a matcher may be shared between threads.

    Raises:
        UnknownFieldKindError: A kind is not one of the names above (``.expected`` lists them).
        InvalidInputError: A rule names an unknown field or transform, a setting is out of
            range, or a field is listed twice.

    Matchers pickle (as their JSON), so they can be sent to other processes; this works with
    every ``multiprocessing`` start method, ``fork`` included (a forked process gets worker
    threads of its own instead of waiting for its parent's).

    >>> m = Matcher({"name": "name", "city": "text"}, blocking=["city"])
    >>> m.fields
    [('name', 'name'), ('city', 'text')]
    >>> m.level_labels("city")[:2]
    ['missing', 'exact']
    """

    _inner: _native.Matcher
    _stats: dict[str, Any] | None

    def __init__(
        self,
        fields: Mapping[str, str | Mapping[str, Any]],
        blocking: Sequence[str | Sequence[str]] = (),
        *,
        prior: float | None = None,
        default_country: str | None = None,
        month_first_dates: bool = False,
        max_block_pairs: int = 250_000,
        u_sample_pairs: int = 10_000,
        max_em_iterations: int = 200,
        em_tolerance: float = 1e-6,
        estimate_u: bool = True,
        seed: int = 42,
        consent_field: str | None = None,
        max_cluster_size: int = 1000,
        cluster_min_average_probability: float | None = None,
    ) -> None:
        self._inner = _native.Matcher(
            _field_args(fields),
            _rule_args(blocking),
            prior=prior,
            default_country=default_country,
            month_first_dates=_flag("month_first_dates", month_first_dates),
            max_block_pairs=_count("max_block_pairs", max_block_pairs),
            u_sample_pairs=_count("u_sample_pairs", u_sample_pairs),
            max_em_iterations=_count("max_em_iterations", max_em_iterations),
            em_tolerance=em_tolerance,
            estimate_u=_flag("estimate_u", estimate_u),
            seed=_count("seed", seed),
            consent_field=consent_field,
            max_cluster_size=_count("max_cluster_size", max_cluster_size),
            cluster_min_average_probability=cluster_min_average_probability,
        )
        self._stats = None

    @classmethod
    def _wrap(cls, native: _native.Matcher) -> Matcher:
        m = cls.__new__(cls)
        m._inner = native
        m._stats = None
        return m

    # --- inputs ---------------------------------------------------------------------------

    def _records(
        self, data: object, *, id_column: str, table: str, left: bool
    ) -> tuple[_native.Records, bool, dict[str, Any] | None]:
        """Converts a table; returns the native records, whether it was a DataFrame, and the
        map back to the ids as given."""
        names = [name for name, _, _ in self._inner.fields]
        consent = self._inner.config["consent_field"]
        wanted = names + [consent] if consent is not None and consent not in names else names
        required = wanted if left else names
        cols = _frames.columns(data, wanted, id_column=id_column, table=table, required=required)
        records = _native.Records(cols.ids, cols.columns, table)
        return records, cols.frame, _frames.id_map(cols.ids, records.ids)

    def _pair(
        self, left: object, right: object, *, id_column: str
    ) -> tuple[
        tuple[_native.Records, bool, dict[str, Any] | None],
        tuple[_native.Records, bool, dict[str, Any] | None],
    ]:
        """Converts the two tables of a pair. One table passed as both is converted once, so
        that the core sees one table: its consent holds on both sides, and assertions hold in
        either order."""
        converted = self._records(left, id_column=id_column, table="left", left=True)
        if right is left:
            return converted, converted
        return converted, self._records(right, id_column=id_column, table="right", left=False)

    def _remember(self, stats: dict[str, Any]) -> dict[str, Any]:
        self._stats = stats
        return stats

    # --- fitting and matching ---------------------------------------------------------------

    def fit(
        self,
        left: pd.DataFrame | Records,
        right: pd.DataFrame | Records | None = None,
        *,
        id_column: str = "id",
    ) -> dict[str, Any]:
        """Fits the model without labels: term frequencies, u-probabilities from random pairs,
        then m, u and the prior by EM on the candidate pairs.

        With ``right``, for linking ``left`` to ``right``; without, for deduplicating ``left``.
        Returns the blocking statistics (also kept in :attr:`stats`): ``candidate_pairs``,
        ``possible_pairs``, ``estimated_recall`` (None until a model has scored pairs) and per
        rule ``rule``, ``pairs``, ``skipped_keys``, ``skipped_pairs``, ``share_of_matches``.
        """
        if right is None:
            lrec, _, _ = self._records(left, id_column=id_column, table="left", left=True)
            return self._remember(self._inner.fit(lrec))
        (lrec, _, _), (rrec, _, _) = self._pair(left, right, id_column=id_column)
        return self._remember(self._inner.fit(lrec, rrec))

    @overload
    def link(
        self,
        left: pd.DataFrame,
        right: pd.DataFrame | Records,
        threshold: float = ...,
        *,
        one_to_one: bool = ...,
        id_column: str = ...,
    ) -> pd.DataFrame: ...
    @overload
    def link(
        self,
        left: Records,
        right: pd.DataFrame,
        threshold: float = ...,
        *,
        one_to_one: bool = ...,
        id_column: str = ...,
    ) -> pd.DataFrame: ...
    @overload
    def link(
        self,
        left: Records,
        right: Records,
        threshold: float = ...,
        *,
        one_to_one: bool = ...,
        id_column: str = ...,
    ) -> Rows: ...
    def link(
        self,
        left: pd.DataFrame | Records,
        right: pd.DataFrame | Records,
        threshold: float = 0.5,
        *,
        one_to_one: bool = True,
        id_column: str = "id",
    ) -> pd.DataFrame | Rows:
        """Links ``left`` to ``right`` with the fitted model.

        Returns every candidate pair with match probability >= ``threshold``; with
        ``one_to_one`` (default) only the best pairs such that each record is linked at most
        once. Must-link assertions are always linked (``asserted`` True), no-link assertions
        never. Columns: ``left_id``, ``right_id``, ``match_probability``, ``match_weight``
        (log2-odds), ``asserted``, then per field ``<field>_level`` (the level's label, see
        :meth:`level_labels`) and ``<field>_weight`` (its bits of evidence). Rows are ordered
        by left record, then right record.

        A DataFrame if either input was one, else :class:`Rows`; ``.attrs["stats"]`` holds
        the blocking statistics (also :attr:`stats`).

        Raises:
            NotFittedError: Neither fitted nor loaded.
            DuplicateIdError: An id occurs twice in one table (``.id`` names it).
        """
        (lrec, lframe, lmap), (rrec, rframe, rmap) = self._pair(
            left, right, id_column=id_column
        )
        frame = lframe or rframe
        table, stats = self._inner.link(
            lrec, rrec, threshold, _flag("one_to_one", one_to_one), not frame
        )
        self._remember(stats)
        return _frames.result(  # type: ignore[no-any-return]
            table, frame, {"stats": stats}, {"left_id": lmap, "right_id": rmap}
        )

    @overload
    def dedupe(
        self, records: pd.DataFrame, threshold: float = ..., *, id_column: str = ...
    ) -> tuple[pd.DataFrame, pd.DataFrame]: ...
    @overload
    def dedupe(
        self, records: Records, threshold: float = ..., *, id_column: str = ...
    ) -> tuple[Rows, Rows]: ...
    def dedupe(
        self, records: pd.DataFrame | Records, threshold: float = 0.5, *, id_column: str = "id"
    ) -> tuple[pd.DataFrame, pd.DataFrame] | tuple[Rows, Rows]:
        """Finds the duplicates within one table; returns ``(pairs, clusters)``.

        ``pairs`` has the columns of :meth:`link` (``left_id`` before ``right_id`` in input
        order). ``clusters`` has one row per record, in input order: ``id`` and
        ``cluster_id``, the id of the cluster's first record. Clusters are built from the
        pairs with a guard against chaining (``cluster_min_average_probability``,
        ``max_cluster_size``). Both carry ``.attrs["stats"]``.
        """
        rec, frame, ids = self._records(records, id_column=id_column, table="records", left=True)
        pairs, clusters, stats = self._inner.dedupe(rec, threshold, not frame)
        self._remember(stats)
        attrs = {"stats": stats}
        return (
            _frames.result(pairs, frame, attrs, {"left_id": ids, "right_id": ids}),
            _frames.result(clusters, frame, attrs, {"id": ids, "cluster_id": ids}),
        )

    def explain(
        self,
        left: pd.DataFrame | Records,
        left_id: str | int,
        right: pd.DataFrame | Records,
        right_id: str | int,
        *,
        id_column: str = "id",
    ) -> Explanation:
        """Explains one pair, whether or not it would be linked: per field the two values, the
        level, m, u and the weight; the blocking rules that make it a candidate; any
        assertion. ``str()`` of the result is a readable report.

        For a deduplication, pass the same table twice.

        Raises:
            UnknownIdError: An id is not in its table.
            ConsentRequiredError: The left record (for a deduplication, either record) lacks
                granted consent (``consent_field``).
            NotFittedError: Neither fitted nor loaded.
        """
        (lrec, _, _), (rrec, _, _) = self._pair(left, right, id_column=id_column)
        return self._inner.explain(lrec, left_id, rrec, right_id)

    # --- assertions -------------------------------------------------------------------------

    def assert_must_link(self, left_id: str | int, right_id: str | int) -> None:
        """Asserts that two records are the same entity: they are linked whatever the model
        says (replacing a no-link assertion on the pair). Assertions are saved and pickled
        with the matcher."""
        self._inner.assert_must_link(left_id, right_id)

    def assert_no_link(self, left_id: str | int, right_id: str | int) -> None:
        """Asserts that two records are different entities: they are never linked (replacing
        a must-link assertion on the pair)."""
        self._inner.assert_no_link(left_id, right_id)

    def forget(
        self, records: pd.DataFrame | Records, id: str | int, *, id_column: str = "id"
    ) -> None:
        """Removes what the matcher holds about record ``id`` of ``records`` (for erasure
        requests): assertions naming it, its values in the term-frequency counts, and the
        records the last :meth:`fit` kept prepared. The fitted m/u-probabilities are
        aggregates and stay.

        The counts are by value and hold no ids, so each call lowers them once: call it once
        per record the matcher was fitted on. A record that was never counted (without
        consent at :meth:`fit`, or forgotten before) lowers a namesake's count instead."""
        rec, _, _ = self._records(records, id_column=id_column, table="records", left=False)
        self._inner.forget(rec, id)

    def clear_cache(self) -> None:
        """Frees the records, candidate pairs and comparisons the last :meth:`fit` kept so
        that :meth:`link` and :meth:`dedupe` on the same records need not compare again.
        Results do not change; the next call on those records compares afresh. Use it when
        a fitted matcher is kept (to save it, say) but not linked with."""
        self._inner.clear_cache()

    @property
    def assertions(self) -> dict[str, list[tuple[str, str]]]:
        """The assertions: ``{"must_link": [(left_id, right_id), ...], "no_link": [...]}``."""
        return self._inner.assertions

    # --- introspection ----------------------------------------------------------------------

    @property
    def fields(self) -> list[tuple[str, str]]:
        """The fields as ``(name, kind)`` pairs, in comparison order."""
        return [(name, kind) for name, kind, _ in self._inner.fields]

    @property
    def config(self) -> dict[str, Any]:
        """Every setting: the fields (with ``kind`` and ``term_frequency``), the blocking rules
        as text, and the keyword arguments of the constructor."""
        fields = {
            name: {"kind": kind, "term_frequency": tf} for name, kind, tf in self._inner.fields
        }
        return {"fields": fields, **self._inner.config}

    @property
    def is_fitted(self) -> bool:
        """Whether the matcher has a model (fitted or loaded)."""
        return self._inner.is_fitted

    @property
    def stats(self) -> dict[str, Any] | None:
        """The blocking statistics of the last :meth:`fit`, :meth:`link` or :meth:`dedupe`
        (None before the first)."""
        return self._stats

    def level_labels(self, field: str) -> list[str]:
        """The level labels of a field's comparison, best first after ``"missing"`` (index 0,
        no evidence); the ``<field>_level`` columns hold these."""
        return self._inner.level_labels(field)

    # --- persistence ------------------------------------------------------------------------

    def to_json(self) -> str:
        """The matcher as versioned JSON: configuration, model, term frequencies, assertions."""
        return self._inner.to_json()

    @classmethod
    def from_json(cls, json: str) -> Matcher:
        """Reads a matcher written by :meth:`to_json`.

        Raises:
            ModelError: Not a matcher document, corrupt, or written by a newer socialcrm.
        """
        return cls._wrap(_native.Matcher.from_json(json))

    def save(self, path: _Path) -> None:
        """Writes :meth:`to_json` to a file."""
        self._inner.save(os.fspath(path))

    @classmethod
    def load(cls, path: _Path) -> Matcher:
        """Reads a matcher saved with :meth:`save`."""
        return cls._wrap(_native.Matcher.load(os.fspath(path)))

    def __getstate__(self) -> bytes:
        return self._inner.to_json().encode()

    def __setstate__(self, state: bytes) -> None:
        self._inner = _native.Matcher.from_json(state.decode())
        self._stats = None

    def __repr__(self) -> str:
        fields = {name: kind for name, kind in self.fields}
        rules = self._inner.config["blocking"]
        return f"Matcher(fields={fields!r}, blocking={rules!r}, fitted={self.is_fitted})"


class MatchIndex:
    """Incremental deduplication: a fitted :class:`Matcher` plus the records it has seen.

    The records are deduplicated when the index is built; :meth:`add` then assigns each new
    record to the cluster of its best match among the indexed records (if that match reaches
    ``threshold``) or to a new cluster, without refitting. Cluster ids (``"k1"``, ``"k2"``,
    ...) never change once given, and are not record ids, so removing a record
    (:meth:`remove`, for erasure requests) leaves no trace of its id.

    The index holds a copy of the matcher (:attr:`matcher`). It does not pickle: pickle the
    matcher and rebuild.

    >>> known = [
    ...     {"id": "a", "name": "Jan de Vries", "email": "jan@example.nl"},
    ...     {"id": "b", "name": "Petra Müller", "email": "petra@example.de"},
    ...     {"id": "c", "name": "Anna Schmidt", "email": "anna@example.de"},
    ... ]
    >>> m = Matcher({"name": "name", "email": "email"}, blocking=["email", "name:phonetic"])
    >>> _ = m.fit(known)
    >>> index = MatchIndex(m, known)
    >>> [added] = index.add([{"id": "d", "name": "Jan de Vries", "email": "jan@example.nl"}])
    >>> added["matched_id"], added["cluster_id"] == index.cluster_of("a")
    ('a', True)
    """

    def __init__(
        self,
        matcher: Matcher,
        records: pd.DataFrame | Records,
        threshold: float = 0.5,
        *,
        id_column: str = "id",
    ) -> None:
        if not isinstance(matcher, Matcher):
            raise TypeError(f"matcher must be a socialcrm.Matcher, not {type(matcher).__name__}")
        self._matcher = matcher
        self._id_column = id_column
        rec, _, ids = matcher._records(records, id_column=id_column, table="index", left=True)
        self._inner = _native.MatchIndex(matcher._inner, rec, threshold)
        self._ids: dict[str, Any] = dict(ids or {})

    @overload
    def add(self, records: pd.DataFrame) -> pd.DataFrame: ...
    @overload
    def add(self, records: Records) -> Rows: ...
    def add(self, records: pd.DataFrame | Records) -> pd.DataFrame | Rows:
        """Assigns and indexes new records, so that later records (in this call and later ones)
        can match them. Returns one row per record: ``id``, ``cluster_id``, ``matched_id``
        (the indexed record it matched best, None for a new cluster), ``match_probability``
        and ``new_cluster``.

        Raises:
            DuplicateIdError: A new id repeats, or is already indexed.
        """
        rec, frame, ids = self._matcher._records(
            records, id_column=self._id_column, table="new records", left=True
        )
        table = self._inner.add(rec, not frame)
        if ids:
            self._ids.update(ids)
        maps = {"id": self._ids, "matched_id": self._ids} if self._ids else None
        return _frames.result(table, frame, {}, maps)  # type: ignore[no-any-return]

    def remove(self, id: str | int) -> bool:
        """Erases a record: its values, its place in the index, assertions naming it and its
        values in the term-frequency counts. Other records keep their cluster ids. False if
        the id was not indexed."""
        removed = self._inner.remove(id)
        if removed and self._ids:
            # the entry of this id only: `v == id` alone would also take an id that merely
            # compares equal (True == 1 == 1.0), and that record's id would come back as text
            # (ids equal as numbers are one id, 7 == 7.0 == numpy.int64(7): the core refuses
            # them as duplicates; a bool is never a number here)
            key = id if isinstance(id, str) else None
            if key is None:
                key = next(
                    (
                        k
                        for k, v in self._ids.items()
                        if isinstance(v, bool) == isinstance(id, bool) and v == id
                    ),
                    None,
                )
            self._ids.pop(key, None)  # type: ignore[arg-type]
        return removed

    def cluster_of(self, id: str | int) -> str | None:
        """The cluster id of an indexed record, or None."""
        return self._inner.cluster_of(id)

    @property
    def matcher(self) -> Matcher:
        """A copy of the index's matcher, with its assertions and forgotten values."""
        return Matcher._wrap(self._inner.matcher)

    def __len__(self) -> int:
        return len(self._inner)

    def __reduce__(self) -> Any:
        raise TypeError(
            "a MatchIndex cannot be pickled; pickle its matcher and build the index again"
        )

    def __repr__(self) -> str:
        return f"MatchIndex(records={len(self)})"


class SocialLinker:
    """Links CRM contacts to social-media profiles — only contacts that have granted consent.

    A contact whose ``consent`` to social linking is not ``"granted"`` (withdrawn, absent,
    missing) is dropped before anything else: it is not fitted on, not linked (not even by a
    must-link assertion) and cannot be explained (:class:`ConsentRequiredError`).

    Contacts are dicts or DataFrame rows with an ``id`` and the fields ``first_name``,
    ``last_name``, ``emails`` and ``phones`` (a list, or one string separated by ``;``),
    ``street``, ``postcode``, ``city``, ``country``, ``company``, ``birth_date`` and
    ``consent`` (a status such as ``"granted"``, or a dict ``{"social_linking": "granted"}``;
    a flat column ``consent_social_linking`` works too). Profiles have an ``id``,
    ``platform``, ``handle``, ``display_name``, ``bio``, ``location``, ``website`` and
    ``email``. Every field but the id may be missing; other columns are ignored.

    The comparisons are cross-schema (the handle against the name, the display name against
    the name, the e-mail against the handle, ...): :meth:`comparison_names` lists them. Links
    are one per profile and per contact and platform. Linkers pickle (as their JSON).

    Args:
        prior: λ, the probability that a random contact–profile pair (of all possible
            pairs, not of the candidates) is a match; None lets EM estimate it.
        max_block_pairs: Blocks with more pairs are skipped.
        u_sample_pairs: Random pairs sampled to start the u-probabilities.
        max_em_iterations: EM iteration limit.
        em_tolerance: EM convergence tolerance.
        seed: Seed of the random pair sample.
        month_first_dates: Read ``03/04/1982`` as 3 April instead of 4 March.
    """

    _inner: _native.SocialLinker
    _stats: dict[str, Any] | None
    _without_consent: int | None

    def __init__(
        self,
        *,
        prior: float | None = None,
        max_block_pairs: int = 200_000,
        u_sample_pairs: int = 200_000,
        max_em_iterations: int = 200,
        em_tolerance: float = 1e-6,
        seed: int = 42,
        month_first_dates: bool = False,
    ) -> None:
        self._inner = _native.SocialLinker(
            prior=prior,
            max_block_pairs=_count("max_block_pairs", max_block_pairs),
            u_sample_pairs=_count("u_sample_pairs", u_sample_pairs),
            max_em_iterations=_count("max_em_iterations", max_em_iterations),
            em_tolerance=em_tolerance,
            seed=_count("seed", seed),
            month_first_dates=_flag("month_first_dates", month_first_dates),
        )
        self._stats = None
        self._without_consent = None

    @classmethod
    def _wrap(cls, native: _native.SocialLinker) -> SocialLinker:
        linker = cls.__new__(cls)
        linker._inner = native
        linker._stats = None
        linker._without_consent = None
        return linker

    def fit(
        self,
        contacts: pd.DataFrame | Records,
        profiles: pd.DataFrame | Records,
        *,
        id_column: str = "id",
    ) -> dict[str, Any]:
        """Fits the model on the consenting contacts and all profiles (no labels needed);
        returns the blocking statistics (also :attr:`stats`)."""
        c, _, _ = _contacts(contacts, id_column)
        p, _, _ = _profiles(profiles, id_column)
        self._stats = self._inner.fit(c, p)
        return self._stats

    @overload
    def link(
        self,
        contacts: pd.DataFrame,
        profiles: pd.DataFrame | Records,
        threshold: float = ...,
        *,
        id_column: str = ...,
    ) -> pd.DataFrame: ...
    @overload
    def link(
        self,
        contacts: Records,
        profiles: pd.DataFrame,
        threshold: float = ...,
        *,
        id_column: str = ...,
    ) -> pd.DataFrame: ...
    @overload
    def link(
        self,
        contacts: Records,
        profiles: Records,
        threshold: float = ...,
        *,
        id_column: str = ...,
    ) -> Rows: ...
    def link(
        self,
        contacts: pd.DataFrame | Records,
        profiles: pd.DataFrame | Records,
        threshold: float = 0.5,
        *,
        id_column: str = "id",
    ) -> pd.DataFrame | Rows:
        """Links consenting contacts to profiles: pairs with probability >= ``threshold``,
        then one link per profile and per contact and platform, best first.

        Columns as for :meth:`Matcher.link`, with ``left_id`` the contact and ``right_id``
        the profile, and one ``<comparison>_level``/``<comparison>_weight`` pair per
        comparison. ``.attrs`` holds ``"stats"`` and ``"contacts_without_consent"`` (the
        number of contacts left out for lack of consent), also :attr:`stats` and
        :attr:`contacts_without_consent`.

        ``match_probability`` weighs each link's rivals: other contacts that match the same
        profile, other profiles on the same platform that match the same contact. Three
        equally good namesakes share a profile's probability; a profile whose only
        candidate is the contact gets more than the pair's own evidence gives, because its
        match, if it has one, is among its candidates. ``match_weight`` is the pair's
        evidence (as in :meth:`explain`).

        Profiles with the same handle on different platforms are taken as one person's:
        each gets the others' candidates and, where their display names do not contradict,
        borrows the e-mail, website, bio and location comparisons it lacks, and stronger
        name evidence, from them (:meth:`explain` says where a borrowed value came from).
        """
        c, cframe, cmap = _contacts(contacts, id_column)
        p, pframe, pmap = _profiles(profiles, id_column)
        frame = cframe or pframe
        table, stats, without = self._inner.link(c, p, threshold, not frame)
        self._stats, self._without_consent = stats, without
        attrs = {"stats": stats, "contacts_without_consent": without}
        return _frames.result(  # type: ignore[no-any-return]
            table, frame, attrs, {"left_id": cmap, "right_id": pmap}
        )

    def explain(
        self,
        contacts: pd.DataFrame | Records,
        contact_id: str | int,
        profiles: pd.DataFrame | Records,
        profile_id: str | int,
        *,
        id_column: str = "id",
    ) -> Explanation:
        """Explains a contact–profile pair, comparison by comparison.

        Pass all profiles, as to :meth:`link`: the profile's siblings (same handle on
        other platforms) lend what it does not say, and a borrowed ``right_value`` names
        the profile it came from.

        Raises:
            ConsentRequiredError: The contact has not granted consent to social linking; its
                data is not even compared.
            UnknownIdError: An id is not in its table.
            NotFittedError: Neither fitted nor loaded.
        """
        c, _, _ = _contacts(contacts, id_column)
        p, _, _ = _profiles(profiles, id_column)
        return self._inner.explain(c, contact_id, p, profile_id)

    def assert_must_link(self, contact_id: str | int, profile_id: str | int) -> None:
        """Asserts that a contact and a profile are the same person. A contact without
        consent is still never linked."""
        self._inner.assert_must_link(contact_id, profile_id)

    def assert_no_link(self, contact_id: str | int, profile_id: str | int) -> None:
        """Asserts that a contact and a profile are different people."""
        self._inner.assert_no_link(contact_id, profile_id)

    def forget_contact(self, contact: Mapping[Any, Any], *, id_column: str = "id") -> None:
        """Removes a contact's traces (for erasure requests): assertions naming its id, the
        records the last :meth:`fit` kept prepared for :meth:`link`, and its surname from the
        term-frequency counts (a count of one identifies a person).
        ``contact`` is the contact's record, as a dict.

        The counts are by name and hold no ids, so each call lowers them once: call it once
        per contact the linker was fitted on. A contact that was never counted (without
        consent at :meth:`fit`, or forgotten before) lowers a namesake's count instead."""
        if not isinstance(contact, Mapping):
            raise TypeError(f"contact must be a dict, not {type(contact).__name__}")
        c, _, _ = _contacts([contact], id_column)
        self._inner.forget_contacts(c)

    def forget_id(self, id: str | int) -> None:
        """Removes every assertion naming a contact or profile id, and the records the last
        :meth:`fit` kept prepared for :meth:`link`."""
        self._inner.forget_id(id)

    def clear_cache(self) -> None:
        """Frees the records, candidate pairs and comparisons the last :meth:`fit` kept for
        :meth:`link`. Results do not change; the next :meth:`link` compares afresh."""
        self._inner.clear_cache()

    @property
    def assertions(self) -> dict[str, list[tuple[str, str]]]:
        """The assertions: ``{"must_link": [(contact_id, profile_id), ...], "no_link": [...]}``."""
        return self._inner.assertions

    @property
    def is_fitted(self) -> bool:
        """Whether the linker has a model (fitted or loaded)."""
        return self._inner.is_fitted

    @property
    def config(self) -> dict[str, Any]:
        """The settings (the constructor's keyword arguments)."""
        config: dict[str, Any] = json.loads(self._inner.to_json())["config"]
        return config

    @property
    def stats(self) -> dict[str, Any] | None:
        """The blocking statistics of the last :meth:`fit` or :meth:`link`."""
        return self._stats

    @property
    def contacts_without_consent(self) -> int | None:
        """How many contacts the last :meth:`link` left out for lack of consent."""
        return self._without_consent

    @staticmethod
    def comparison_names() -> list[str]:
        """The comparisons, in order (the ``<comparison>_level`` columns of a link)."""
        return _native.SocialLinker.comparison_names()

    @staticmethod
    def level_labels(comparison: str) -> list[str]:
        """The level labels of a comparison (index 0 is ``"missing"``)."""
        return _native.SocialLinker.level_labels(comparison)

    def to_json(self) -> str:
        """The linker as versioned JSON: settings, model, surname counts, assertions."""
        return self._inner.to_json()

    @classmethod
    def from_json(cls, json: str) -> SocialLinker:
        """Reads a linker written by :meth:`to_json` (ModelError for anything else)."""
        return cls._wrap(_native.SocialLinker.from_json(json))

    def save(self, path: _Path) -> None:
        """Writes :meth:`to_json` to a file."""
        self._inner.save(os.fspath(path))

    @classmethod
    def load(cls, path: _Path) -> SocialLinker:
        """Reads a linker saved with :meth:`save`."""
        return cls._wrap(_native.SocialLinker.load(os.fspath(path)))

    def __getstate__(self) -> bytes:
        return self._inner.to_json().encode()

    def __setstate__(self, state: bytes) -> None:
        self._inner = _native.SocialLinker.from_json(state.decode())
        self._stats = None
        self._without_consent = None

    def __repr__(self) -> str:
        return f"SocialLinker(fitted={self.is_fitted})"


def _contacts(
    data: object, id_column: str
) -> tuple[_native.Contacts, bool, dict[str, Any] | None]:
    cols = _frames.columns(data, CONTACT_FIELDS, id_column=id_column, table="contacts")
    contacts = _native.Contacts(cols.ids, cols.columns)
    return contacts, cols.frame, _frames.id_map(cols.ids, contacts.ids)


def _profiles(
    data: object, id_column: str
) -> tuple[_native.Profiles, bool, dict[str, Any] | None]:
    cols = _frames.columns(data, PROFILE_FIELDS, id_column=id_column, table="profiles")
    profiles = _native.Profiles(cols.ids, cols.columns)
    return profiles, cols.frame, _frames.id_map(cols.ids, profiles.ids)


@overload
def link_social(
    contacts: pd.DataFrame,
    profiles: pd.DataFrame | Records,
    threshold: float = ...,
    *,
    id_column: str = ...,
) -> pd.DataFrame: ...
@overload
def link_social(
    contacts: Records,
    profiles: pd.DataFrame,
    threshold: float = ...,
    *,
    id_column: str = ...,
) -> pd.DataFrame: ...
@overload
def link_social(
    contacts: Records,
    profiles: Records,
    threshold: float = ...,
    *,
    id_column: str = ...,
) -> Rows: ...
def link_social(
    contacts: pd.DataFrame | Records,
    profiles: pd.DataFrame | Records,
    threshold: float = 0.5,
    *,
    id_column: str = "id",
) -> pd.DataFrame | Rows:
    """Links CRM contacts to social profiles in one call: fits a :class:`SocialLinker` with
    default settings on the tables and links them.

    Only contacts that have granted consent to social linking are ever linked. The result has
    the columns of :meth:`SocialLinker.link` (``left_id`` = contact id, ``right_id`` =
    profile id, ``match_probability``, ``match_weight``, ``asserted``, then
    ``<comparison>_level``/``<comparison>_weight``), and ``.attrs`` holds
    ``"contacts_without_consent"`` (how many contacts were left out for lack of consent) and
    ``"stats"``. A DataFrame if an input was one, else :class:`Rows`.

    >>> contacts = [
    ...     {"id": "c1", "first_name": "Jan", "last_name": "de Vries", "consent": "granted"},
    ...     {"id": "c2", "first_name": "Petra", "last_name": "Müller", "consent": "withdrawn"},
    ... ]
    >>> profiles = [
    ...     {"id": "p1", "platform": "twitter", "handle": "jdevries82"},
    ...     {"id": "p2", "platform": "twitter", "handle": "petra.mueller"},
    ... ]
    >>> links = link_social(contacts, profiles, threshold=0.0)
    >>> "c2" in {link["left_id"] for link in links}  # never without consent
    False
    >>> links.attrs["contacts_without_consent"]
    1
    """
    linker = _native.SocialLinker()
    c, cframe, cmap = _contacts(contacts, id_column)
    p, pframe, pmap = _profiles(profiles, id_column)
    frame = cframe or pframe
    linker.fit(c, p)
    table, stats, without = linker.link(c, p, threshold, not frame)
    attrs = {"stats": stats, "contacts_without_consent": without}
    return _frames.result(  # type: ignore[no-any-return]
        table, frame, attrs, {"left_id": cmap, "right_id": pmap}
    )


for _cls in (Matcher, MatchIndex, SocialLinker):
    _cls.__module__ = "socialcrm"
link_social.__module__ = "socialcrm"
