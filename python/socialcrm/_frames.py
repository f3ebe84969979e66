"""Tables in and out: lists of dicts and pandas DataFrames.

Inputs are taken apart column by column here (``df[col].tolist()`` for a DataFrame, one list
comprehension per field for a list of dicts) and converted to the core's types by the native
classes (``_native.Records``, ``_native.Contacts``, ``_native.Profiles``) in one pass per
column. Results come back from the native layer as ``{column: list}`` (made into a DataFrame
here) or as a list of row dicts (wrapped in :class:`Rows`).

pandas is optional: it is never imported here. A DataFrame can only exist if the caller has
imported pandas already, so ``sys.modules`` tells whether an input may be one, and a result
DataFrame is only built for a DataFrame input.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeGuard, Union

from socialcrm._native import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

    Table = Union[pd.DataFrame, Iterable[Mapping[str, Any]]]
    """What the identity API accepts as records: a DataFrame or an iterable of dicts."""

__all__ = ["Columns", "Rows", "columns", "id_map", "is_frame", "result"]


class Rows(list[dict[str, Any]]):
    """A list of result rows (one dict per row), returned when the input was not a DataFrame.

    Like a DataFrame it carries ``attrs``, a dict of facts about the whole result (``"stats"``,
    the blocking statistics; ``"contacts_without_consent"`` for social linking), so that
    ``result.attrs["stats"]`` reads the same whichever form came back.

    >>> rows = Rows([{"id": "a"}], attrs={"stats": {}})
    >>> rows[0]["id"], rows.attrs
    ('a', {'stats': {}})
    """

    attrs: dict[str, Any]

    def __init__(
        self, rows: Iterable[dict[str, Any]] = (), attrs: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(rows)
        self.attrs = dict(attrs or {})


def is_frame(obj: object) -> TypeGuard[pd.DataFrame]:
    """Whether ``obj`` is a pandas DataFrame (without importing pandas)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(obj, pd.DataFrame)


class Columns(NamedTuple):
    """An input table taken apart: its ids, the wanted columns it has, and its form."""

    ids: list[Any]
    columns: dict[str, list[Any]]
    frame: bool


def _listing(names: Iterable[object]) -> str:
    return ", ".join(str(n) for n in names)


def columns(
    data: object,
    wanted: Sequence[str],
    *,
    id_column: str,
    table: str,
    required: Sequence[str] = (),
) -> Columns:
    """Takes an input table apart into its ids and the ``wanted`` columns.

    A DataFrame must have every ``required`` column (its ids may also be its index, when the
    index is named ``id_column``); other wanted columns it lacks are left out. In a list of
    dicts a missing key is a missing value, so every wanted column is there.
    """
    if is_frame(data):
        return _frame_columns(data, wanted, id_column=id_column, table=table, required=required)
    if isinstance(data, (str, bytes, bytearray, Mapping)):
        raise TypeError(
            f"the {table} records must be a list of dicts or a pandas DataFrame, "
            f"not a single {type(data).__name__}"
        )
    if not isinstance(data, Iterable):
        raise TypeError(
            f"the {table} records must be a list of dicts or a pandas DataFrame, "
            f"not {type(data).__name__}"
        )
    rows = data if isinstance(data, list) else list(data)
    ids: list[Any] = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(
                f"{table}[{i}] must be a dict (a mapping of field names to values), "
                f"not {type(row).__name__}"
            )
        try:
            ids.append(row[id_column])
        except KeyError:
            raise InvalidInputError(
                f"{table}[{i}] has no {id_column!r} (its keys: {_listing(row)}); every record "
                "needs an id (name the id key with id_column=...)"
            ) from None
    cols = {name: [row.get(name) for row in rows] for name in wanted}
    return Columns(ids, cols, False)


def _frame_columns(
    df: pd.DataFrame,
    wanted: Sequence[str],
    *,
    id_column: str,
    table: str,
    required: Sequence[str],
) -> Columns:
    if not df.columns.is_unique:
        repeated = df.columns[df.columns.duplicated()].unique()
        raise InvalidInputError(
            f"the {table} DataFrame has repeated column names: {_listing(repeated)}"
        )
    if id_column in df.columns:
        ids = df[id_column].tolist()
    elif df.index.name == id_column:
        ids = df.index.tolist()
    else:
        raise InvalidInputError(
            f"the {table} DataFrame has no {id_column!r} column (columns: "
            f"{_listing(df.columns)}); name the id column with id_column=..."
        )
    cols: dict[str, list[Any]] = {}
    for name in wanted:
        if name in df.columns:
            cols[name] = df[name].tolist()
        elif name in required:
            raise InvalidInputError(
                f"field {name!r} is not a column of the {table} DataFrame (columns: "
                f"{_listing(df.columns)})"
            )
    return Columns(ids, cols, True)


def id_map(original: list[Any], converted: list[str]) -> dict[str, Any] | None:
    """``{converted id: id as given}`` when some ids were not str (ints, say), so that results
    can name records by the ids the caller used; None when every id was a str already."""
    if all(type(i) is str for i in original):
        return None
    return dict(zip(converted, original))


def result(
    table: Any,
    frame: bool,
    attrs: Mapping[str, Any],
    id_maps: Mapping[str, Mapping[str, Any] | None] | None = None,
) -> Any:
    """A native result table as a DataFrame (``frame``; ``table`` is ``{column: list}``, a
    float column as ``bytes`` of little-endian f64s) or as :class:`Rows` (``table`` is a list
    of dicts). ``id_maps`` maps id columns back to the ids
    as given (see :func:`id_map`)."""
    maps = {c: m for c, m in (id_maps or {}).items() if m is not None}
    if frame:
        import pandas as pd

        for column, mapping in maps.items():
            table[column] = [mapping.get(i, i) for i in table[column]]
        if all(len(values) == 0 for values in table.values()):
            # nothing to infer the types from: give an empty result its documented types
            df = pd.DataFrame({c: pd.Series([], dtype=_empty_dtype(c)) for c in table})
        else:
            df = pd.DataFrame({c: _typed(c, values, c in maps) for c, values in table.items()})
        df.attrs.update(attrs)
        return df
    if maps:
        for row in table:
            for column, mapping in maps.items():
                value = row[column]
                row[column] = mapping.get(value, value)
    return Rows(table, attrs)


def _typed(column: str, values: list[Any] | bytes, mapped: bool) -> Any:
    """A result column as an array pandas need not infer: building FEBRL's 5,000 links from
    lists spent two thirds of `link`'s time in pandas' per-object type inference. Numbers
    become float64 arrays; ids (unless mapped back to the caller's ids, which may be of any
    type) and level labels are always str, so an object array of them is what inference
    would give. Other columns keep pandas' own inference."""
    import numpy as np

    if isinstance(values, bytes):
        # a float column packed by the native layer (little-endian f64s); copied, so that
        # the DataFrame owns a writable array
        return np.frombuffer(values, dtype="<f8").astype(np.float64)
    if _empty_dtype(column) == "float64":
        return np.array(values, dtype=np.float64)
    if not mapped and (column in ("left_id", "right_id") or column.endswith("_level")):
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array
    return values


def _empty_dtype(column: str) -> str:
    """The dtype of a result column, for an empty result."""
    if column in ("match_probability", "match_weight") or column.endswith("_weight"):
        return "float64"
    if column in ("asserted", "new_cluster"):
        return "bool"
    return "object"
