//! Conversion helpers shared by the functions of the module: batch arguments in, large
//! results out.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString};

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
