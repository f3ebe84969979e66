//! Conversion helpers shared by the functions of the module: batch arguments and tables in,
//! large results and tables out.

use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString,
};

use crate::errors::Class;

/// The items of an iterable of `str`, borrowed: each [`PyBackedStr`] keeps its `str` alive and
/// points at its UTF-8 form, so the texts are not copied and can be read without the GIL.
///
/// A `str` (or `bytes`) is itself iterable but is never meant as a batch, so it is refused;
/// so is every item that is not a `str`, with its index in the message (`texts[3]`).
pub(crate) fn str_items(items: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<PyBackedStr>> {
    let type_name = |obj: &Bound<'_, PyAny>| -> String {
        obj.get_type()
            .qualname()
            .map_or_else(|_| "?".to_owned(), |n| n.to_string())
    };
    if items.is_instance_of::<PyString>()
        || items.is_instance_of::<PyBytes>()
        || items.is_instance_of::<PyByteArray>()
    {
        return Err(PyTypeError::new_err(format!(
            "{name} must be an iterable of str (a list, tuple, ...), not a single {}",
            type_name(items)
        )));
    }
    let iter = items.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{name} must be an iterable of str, not {}",
            type_name(items)
        ))
    })?;
    let mut out = Vec::with_capacity(items.len().unwrap_or(0));
    for (i, item) in iter.enumerate() {
        let item = item?;
        let Ok(s) = item.cast::<PyString>() else {
            return Err(PyTypeError::new_err(format!(
                "{name}[{i}] must be str, not {}",
                type_name(&item)
            )));
        };
        out.push(PyBackedStr::try_from(s.clone())?);
    }
    Ok(out)
}

/// Results with at least this many objects are built with the garbage collector paused.
const GC_PAUSE_MIN_OBJECTS: usize = 10_000;

/// Pauses Python's cyclic garbage collector while a large result is built, and restores it
/// when dropped.
///
/// Every `#[pyclass]` object is tracked by the collector, and CPython (before 3.14) runs a
/// collection every 700 allocations and a full one whenever the tracked objects grew by a
/// quarter. Building the 1.2 million tokens of a 10 MB text thus spent two thirds of its time
/// (1.0 s of 1.5 s) in collections that can find nothing: a token refers to no Python object,
/// so no token is part of a cycle. Nothing else runs while the result is built (the GIL is
/// held and no Python code executes), so the pause is invisible to other threads. A collector
/// the caller had disabled stays disabled.
pub(crate) struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    /// Pauses the collector if a result of `objects` objects is about to be built.
    pub(crate) fn for_objects(py: Python<'py>, objects: usize) -> PyResult<GcPause<'py>> {
        if objects < GC_PAUSE_MIN_OBJECTS {
            return Ok(GcPause { gc: None });
        }
        let gc = py.import("gc")?;
        if !gc.call_method0("isenabled")?.is_truthy()? {
            return Ok(GcPause { gc: None });
        }
        gc.call_method0("disable")?;
        Ok(GcPause { gc: Some(gc) })
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            // `gc.enable()` does not fail; were it to, there is no one to tell in a drop
            let _ = gc.call_method0("enable");
        }
    }
}

/// A list of `#[pyclass]` objects, built with the collector paused when it is large.
pub(crate) fn object_list<'py, T>(py: Python<'py>, items: Vec<T>) -> PyResult<Bound<'py, PyList>>
where
    T: IntoPyObject<'py>,
{
    let _pause = GcPause::for_objects(py, items.len())?;
    PyList::new(py, items)
}

/// A list of lists of `#[pyclass]` objects (one list per input of a batch), built with the
/// collector paused when it is large.
pub(crate) fn nested_object_list<'py, T>(
    py: Python<'py>,
    batches: Vec<Vec<T>>,
) -> PyResult<Bound<'py, PyList>>
where
    T: IntoPyObject<'py>,
{
    let total = batches.iter().map(Vec::len).sum();
    let _pause = GcPause::for_objects(py, total)?;
    let lists = batches
        .into_iter()
        .map(|items| PyList::new(py, items))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, lists)
}

// --- tables -------------------------------------------------------------------------------------
//
// Records cross the boundary column by column: the pure-Python layer (`socialcrm._frames`) takes
// a list of dicts or a pandas DataFrame apart into an id list and one list per column
// (`df[col].tolist()`), and the functions below turn each list into the core's
// `Vec<Option<String>>` in one pass. Results go back the same way: one list per column (for a
// DataFrame) or one dict per row (for everything else).

/// One cell of an input table, as the core sees it.
pub(crate) enum Cell {
    Text(String),
    Missing,
    /// A type that has no text form for matching (a dict, bytes, an object, ...).
    Unsupported,
}

/// The text of a float: integral values without a fraction (a postcode read as `2000.0` by
/// pandas because its column has missing values is `"2000"`), NaN missing, others as Rust
/// prints them (shortest round-trip form, like Python's `repr`).
fn float_cell(x: f64) -> Cell {
    if x.is_nan() {
        Cell::Missing
    } else if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        // exact: |x| < 1e15 < 2^53, so the cast loses nothing
        Cell::Text(format!("{}", x as i64))
    } else {
        Cell::Text(format!("{x}"))
    }
}

/// The Python name of an object's type, for messages.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .qualname()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// Converts one cell: `str` as it is; `None`, NaN, `pandas.NA` and `pandas.NaT` missing;
/// `bool` as `"true"`/`"false"`; integers and floats (Python's or NumPy's) as their decimal
/// text, integral floats without `.0`, `decimal.Decimal` as written; dates and datetimes as
/// ISO dates (a datetime with a time of day keeps it: `"2024-05-01 12:30:00"`). Everything
/// else is [`Cell::Unsupported`].
pub(crate) fn cell(value: &Bound<'_, PyAny>) -> PyResult<Cell> {
    // the common cases first, by exact C-level type checks
    if let Ok(s) = value.cast::<PyString>() {
        // a Python str can hold lone surrogates ("\ud800"), which no UTF-8 text can
        let text = s.to_str().map_err(|_| {
            Class::InvalidInput.new_err(
                "text that is not valid Unicode (it holds a lone surrogate such as '\\ud800')",
            )
        })?;
        return Ok(Cell::Text(text.to_owned()));
    }
    if value.is_none() {
        return Ok(Cell::Missing);
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        // also numpy.float64, a subclass of float
        return Ok(float_cell(f.value()));
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Cell::Text(
            if b.is_true() { "true" } else { "false" }.to_owned(),
        ));
    }
    if let Ok(i) = value.cast::<PyInt>() {
        return Ok(Cell::Text(match i.extract::<i128>() {
            Ok(n) => n.to_string(),
            // larger than 128 bits: Python's own decimal form
            Err(_) => i.call_method0("__index__")?.str()?.to_str()?.to_owned(),
        }));
    }
    slow_cell(value)
}

/// The rarer cell types: pandas' missing markers, dates, NumPy and other numbers.
#[cold]
fn slow_cell(value: &Bound<'_, PyAny>) -> PyResult<Cell> {
    let py = value.py();
    let ty = value.get_type();
    let name = ty.name()?;
    // pandas.NA, pandas.NaT (a datetime subclass, so before the date check)
    if matches!(name.to_str()?, "NAType" | "NaTType") {
        return Ok(Cell::Missing);
    }
    if value.is_instance_of::<PyDateTime>() {
        let midnight = ["hour", "minute", "second", "microsecond"]
            .iter()
            .map(|a| value.getattr(*a).and_then(|v| v.extract::<i64>()))
            .collect::<PyResult<Vec<i64>>>()?
            .iter()
            .all(|&v| v == 0);
        let text = if midnight {
            value.call_method0("date")?.call_method0("isoformat")?
        } else {
            value.call_method1("isoformat", (" ",))?
        };
        return Ok(Cell::Text(text.extract()?));
    }
    if value.is_instance_of::<PyDate>() {
        return Ok(Cell::Text(value.call_method0("isoformat")?.extract()?));
    }
    // decimal.Decimal (from databases): its own text, which keeps the digits as stored
    if name.to_str()? == "Decimal" && ty.module()?.to_str()? == "decimal" {
        if value.call_method0("is_nan")?.is_truthy()? {
            return Ok(Cell::Missing);
        }
        return Ok(Cell::Text(value.str()?.to_str()?.to_owned()));
    }
    let numbers = py.import("numbers")?;
    if value.is_instance(&numbers.getattr("Integral")?)? {
        let index = value.call_method0("__index__")?;
        return cell(&index);
    }
    if value.is_instance(&numbers.getattr("Real")?)? {
        let x: f64 = value.call_method0("__float__")?.extract()?;
        return Ok(float_cell(x));
    }
    Ok(Cell::Unsupported)
}

/// The items of a column (a list, normally; any iterable works), in order.
pub(crate) fn column_items<'py>(
    values: &Bound<'py, PyAny>,
    what: &str,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if let Ok(list) = values.cast::<PyList>() {
        return Ok(list.iter().collect());
    }
    if values.is_instance_of::<PyString>() || values.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a list of values, not a single {}",
            type_name(values)
        )));
    }
    values
        .try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "{what} must be a list of values, not {}",
                type_name(values)
            ))
        })?
        .collect()
}

/// Where a cell sits, for messages: `column 'postcode' of the left records, row 3 (id "rec-7")`.
pub(crate) fn cell_place(table: &str, column: &str, row: usize, ids: &[String]) -> String {
    match ids.get(row) {
        Some(id) => format!("column {column:?} of the {table} records, row {row} (id {id:?})"),
        None => format!("column {column:?} of the {table} records, row {row}"),
    }
}

/// A cell whose value is wrong (a `ValueError`, such as a lone surrogate) as an error that
/// says where the cell is: `InvalidInputError` with the place before the reason, the
/// original error as its cause. Other errors (`KeyboardInterrupt`, `MemoryError`, a user
/// type's own exception) pass through as they are.
fn located<T>(result: PyResult<T>, place: impl FnOnce() -> String) -> PyResult<T> {
    result.map_err(|err| {
        Python::attach(|py| {
            if !err.is_instance_of::<pyo3::exceptions::PyValueError>(py) {
                return err;
            }
            let located = Class::InvalidInput.new_err(format!("{}: {}", place(), err.value(py)));
            located.set_cause(py, Some(err));
            located
        })
    })
}

/// Converts a column of cells. A cell of an unsupported type raises `TypeError` naming the
/// column, the row and its id.
pub(crate) fn text_column(
    values: &Bound<'_, PyAny>,
    table: &str,
    column: &str,
    ids: &[String],
) -> PyResult<Vec<Option<String>>> {
    let items = column_items(values, &format!("column {column:?} of the {table} records"))?;
    if items.len() != ids.len() {
        return Err(Class::InvalidInput.new_err(format!(
            "column {column:?} of the {table} records has {} values but there are {} ids",
            items.len(),
            ids.len()
        )));
    }
    items
        .iter()
        .enumerate()
        .map(
            |(row, item)| match located(cell(item), || cell_place(table, column, row, ids))? {
                Cell::Text(s) => Ok(Some(s)),
                Cell::Missing => Ok(None),
                Cell::Unsupported => Err(PyTypeError::new_err(format!(
                    "{}: expected str, a number, a date or None, not {}",
                    cell_place(table, column, row, ids),
                    type_name(item)
                ))),
            },
        )
        .collect()
}

/// Converts the id column: every id must be present (str or a number).
pub(crate) fn id_column(values: &Bound<'_, PyAny>, table: &str) -> PyResult<Vec<String>> {
    let items = column_items(values, &format!("the ids of the {table} records"))?;
    items
        .iter()
        .enumerate()
        .map(|(row, item)| {
            match located(cell(item), || {
                format!("the id in row {row} of the {table} records")
            })? {
                Cell::Text(s) if !s.trim().is_empty() => Ok(s),
                Cell::Text(_) | Cell::Missing => Err(Class::InvalidInput
                    .new_err(format!("row {row} of the {table} records has no id"))),
                Cell::Unsupported => Err(PyTypeError::new_err(format!(
                    "the id in row {row} of the {table} records must be str or an int, not {}",
                    type_name(item)
                ))),
            }
        })
        .collect()
}

/// Converts an id passed as an argument (`explain(left, "c1", ...)`): str, or a number as in
/// the id column.
pub(crate) fn id_arg(value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    match cell(value)? {
        Cell::Text(s) => Ok(s),
        Cell::Missing | Cell::Unsupported => Err(PyTypeError::new_err(format!(
            "{name} must be str or an int, not {}",
            type_name(value)
        ))),
    }
}

/// A result table under construction: named columns of equal length, handed to Python as
/// `{name: list}` (for a DataFrame) or as a list of `{name: value}` dicts (one per row).
///
/// Float columns ([`Table::float_column`]) reach the DataFrame path as `bytes` of
/// little-endian `f64`s, which `socialcrm._frames` reads with `numpy.frombuffer`: a link
/// table has two floats per comparison per row, and making each a Python object only for
/// pandas to read it back into an array was a fifth of `link`'s Python-side time on FEBRL.
pub(crate) struct Table<'py> {
    py: Python<'py>,
    rows: usize,
    columns: Vec<(Bound<'py, PyString>, TableColumn<'py>)>,
}

enum TableColumn<'py> {
    Objects(Vec<Bound<'py, PyAny>>),
    Floats(Vec<f64>),
}

impl<'py> Table<'py> {
    pub(crate) fn new(py: Python<'py>, rows: usize) -> Table<'py> {
        Table {
            py,
            rows,
            columns: Vec::new(),
        }
    }

    /// Adds a column; it must have one value per row.
    pub(crate) fn column<T>(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = T>,
    ) -> PyResult<()>
    where
        T: IntoPyObject<'py>,
    {
        let values = values
            .into_iter()
            .map(|v| v.into_bound_py_any(self.py))
            .collect::<PyResult<Vec<_>>>()?;
        debug_assert_eq!(values.len(), self.rows, "column {name}");
        self.columns
            .push((PyString::new(self.py, name), TableColumn::Objects(values)));
        Ok(())
    }

    /// Adds a column of floats; it must have one value per row.
    pub(crate) fn float_column(&mut self, name: &str, values: impl IntoIterator<Item = f64>) {
        let values: Vec<f64> = values.into_iter().collect();
        debug_assert_eq!(values.len(), self.rows, "column {name}");
        self.columns
            .push((PyString::new(self.py, name), TableColumn::Floats(values)));
    }

    /// The table as `{name: list or bytes}` (`rows = false`; float columns as bytes, see
    /// [`Table`]) or as a list of dicts (`rows = true`, built with the collector paused when
    /// long: every dict is a tracked object).
    pub(crate) fn into_py(self, rows: bool) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        if !rows {
            let dict = PyDict::new(py);
            for (name, values) in self.columns {
                match values {
                    TableColumn::Objects(values) => {
                        dict.set_item(name, PyList::new(py, values)?)?;
                    }
                    TableColumn::Floats(values) => {
                        let bytes: Vec<u8> = values.iter().flat_map(|x| x.to_le_bytes()).collect();
                        dict.set_item(name, PyBytes::new(py, &bytes))?;
                    }
                }
            }
            return Ok(dict.into_any());
        }
        let _pause = GcPause::for_objects(py, self.rows)?;
        let mut iters = Vec::with_capacity(self.columns.len());
        for (name, values) in self.columns {
            let values = match values {
                TableColumn::Objects(values) => values,
                TableColumn::Floats(values) => values
                    .into_iter()
                    .map(|x| x.into_bound_py_any(py))
                    .collect::<PyResult<Vec<_>>>()?,
            };
            iters.push((name, values.into_iter()));
        }
        let mut out = Vec::with_capacity(self.rows);
        for _ in 0..self.rows {
            let row = PyDict::new(py);
            for (name, values) in &mut iters {
                if let Some(v) = values.next() {
                    row.set_item(&*name, v)?;
                }
            }
            out.push(row);
        }
        Ok(PyList::new(self.py, out)?.into_any())
    }
}
