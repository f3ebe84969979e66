//! The `socialcrm._native` Python extension module.
use pyo3::prelude::*;

/// The native part of the socialcrm Python package.
#[pymodule(gil_used = false)]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", socialcrm::VERSION)?;
    Ok(())
}
