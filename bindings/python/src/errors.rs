//! The Python exception hierarchy and the one mapping from [`socialcrm::Error`] onto it.
//!
//! ```text
//! Exception
//! └── SocialCrmError
//!     ├── InvalidInputError (also ValueError)   InvalidArgument, InvalidUtf8
//!     │   ├── UnknownLanguageError              UnknownLanguage
//!     │   ├── DuplicateIdError                  DuplicateId
//!     │   └── UnknownFieldKindError             UnknownFieldKind
//!     ├── ConsentRequiredError                  ConsentRequired
//!     ├── ModelError                            Model
//!     ├── NotFittedError                        NotFitted
//!     ├── UnknownIdError                        UnknownId
//!     └── IoError (also OSError)                Io
//! ```
//!
//! `pyo3::create_exception!` cannot make a class with two bases (it wraps
//! `PyErr_NewExceptionWithDoc` with a single base), and "bad input is also a `ValueError`" needs
//! exactly that. So the classes are made here the way that function makes them, by calling
//! `type(name, bases, namespace)`, once per interpreter, and cached in [`PyOnceLock`]s.
//!
//! Each exception carries the fields of its variant as attributes (`UnknownLanguageError.code`,
//! `DuplicateIdError.id`, ...), so a caller can branch on them without parsing the message.

use pyo3::exceptions::{PyException, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

/// The module the classes say they live in: the public package, which re-exports them, so
/// tracebacks read `socialcrm.UnknownLanguageError` and the classes pickle by that name.
const PUBLIC_MODULE: &str = "socialcrm";

/// One class of the hierarchy. The discriminant indexes the cache of type objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    SocialCrm,
    InvalidInput,
    UnknownLanguage,
    DuplicateId,
    UnknownFieldKind,
    ConsentRequired,
    Model,
    NotFitted,
    UnknownId,
    Io,
}

impl Class {
    /// Every class, bases before subclasses (the order in which the module adds them).
    pub(crate) const ALL: [Class; 10] = [
        Class::SocialCrm,
        Class::InvalidInput,
        Class::UnknownLanguage,
        Class::DuplicateId,
        Class::UnknownFieldKind,
        Class::ConsentRequired,
        Class::Model,
        Class::NotFitted,
        Class::UnknownId,
        Class::Io,
    ];

    /// The Python class name.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Class::SocialCrm => "SocialCrmError",
            Class::InvalidInput => "InvalidInputError",
            Class::UnknownLanguage => "UnknownLanguageError",
            Class::DuplicateId => "DuplicateIdError",
            Class::UnknownFieldKind => "UnknownFieldKindError",
            Class::ConsentRequired => "ConsentRequiredError",
            Class::Model => "ModelError",
            Class::NotFitted => "NotFittedError",
            Class::UnknownId => "UnknownIdError",
            Class::Io => "IoError",
        }
    }

    /// The class docstring.
    const fn doc(self) -> &'static str {
        match self {
            Class::SocialCrm => {
                "Base class of every error raised by socialcrm.\n\n\
                 Wrong Python types (None where a str is expected, ...) raise the built-in\n\
                 TypeError instead."
            }
            Class::InvalidInput => {
                "An argument has a value socialcrm cannot work with.\n\n\
                 Also a ValueError, so code that catches ValueError for bad input keeps working."
            }
            Class::UnknownLanguage => {
                "A language code that socialcrm does not know.\n\n\
                 Attributes: ``code`` (the code as given) and ``expected`` (the accepted codes)."
            }
            Class::DuplicateId => {
                "Two records in one input share an id.\n\n\
                 Attributes: ``id`` (the repeated id) and ``table`` (which input)."
            }
            Class::UnknownFieldKind => {
                "A field kind name that socialcrm does not know.\n\n\
                 Attributes: ``kind`` (as given) and ``expected`` (the accepted kinds)."
            }
            Class::ConsentRequired => {
                "An operation needs the consent of a person who has not given it.\n\n\
                 Attributes: ``contact_id`` and ``purpose``."
            }
            Class::Model => {
                "A saved model could not be loaded: corrupt, truncated, or written by a newer\n\
                 version of socialcrm."
            }
            Class::NotFitted => {
                "A model is used before it was fitted, or with data it was not fitted for."
            }
            Class::UnknownId => "An id the operation needs is not known.\n\nAttribute: ``id``.",
            Class::Io => {
                "Reading or writing a file failed.\n\n\
                 Also an OSError; ``errno`` is set when the operating system gave one."
            }
        }
    }

    /// The bases of the class, as a tuple for `type()`.
    fn bases<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let base = |class: Class| class.type_object(py);
        match self {
            Class::SocialCrm => PyTuple::new(py, [py.get_type::<PyException>()]),
            Class::InvalidInput => {
                PyTuple::new(py, [base(Class::SocialCrm)?, py.get_type::<PyValueError>()])
            }
            Class::UnknownLanguage | Class::DuplicateId | Class::UnknownFieldKind => {
                PyTuple::new(py, [base(Class::InvalidInput)?])
            }
            Class::Io => PyTuple::new(py, [base(Class::SocialCrm)?, py.get_type::<PyOSError>()]),
            Class::ConsentRequired | Class::Model | Class::NotFitted | Class::UnknownId => {
                PyTuple::new(py, [base(Class::SocialCrm)?])
            }
        }
    }

    /// The class object, created on first use and cached for the life of the interpreter.
    pub(crate) fn type_object(self, py: Python<'_>) -> PyResult<Bound<'_, PyType>> {
        static TYPES: [PyOnceLock<Py<PyType>>; Class::ALL.len()] =
            [const { PyOnceLock::new() }; Class::ALL.len()];
        TYPES[self as usize]
            .get_or_try_init(py, || self.create(py))
            .map(|ty| ty.bind(py).clone())
    }

    fn create(self, py: Python<'_>) -> PyResult<Py<PyType>> {
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", PUBLIC_MODULE)?;
        namespace.set_item("__doc__", self.doc())?;
        let ty = py
            .get_type::<PyType>()
            .call1((self.name(), self.bases(py)?, namespace))?;
        Ok(ty.cast_into::<PyType>()?.unbind())
    }

    /// A new exception of this class with `message` as its only argument.
    pub(crate) fn new_err(self, message: impl Into<String>) -> PyErr {
        let message = message.into();
        Python::attach(|py| {
            self.instantiate(py, (message,), &[])
                .unwrap_or_else(|failure| failure)
        })
    }

    /// Instantiates the class with `args` and sets `attributes` on the instance. Building an
    /// exception can itself fail (out of memory); that failure is returned as the error.
    fn instantiate<'py>(
        self,
        py: Python<'py>,
        args: impl pyo3::call::PyCallArgs<'py>,
        attributes: &[(&str, Bound<'py, PyAny>)],
    ) -> PyResult<PyErr> {
        let instance = self.type_object(py)?.call1(args)?;
        for (name, value) in attributes {
            instance.setattr(*name, value)?;
        }
        Ok(PyErr::from_value(instance))
    }
}

/// Adds every exception class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    for class in Class::ALL {
        m.add(class.name(), class.type_object(m.py())?)?;
    }
    Ok(())
}

/// A [`socialcrm::Error`] on its way to Python: `?` on a `Result<_, CoreError>` raises the
/// matching exception.
#[derive(Debug)]
pub(crate) struct CoreError(pub(crate) socialcrm::Error);

impl From<socialcrm::Error> for CoreError {
    fn from(err: socialcrm::Error) -> Self {
        CoreError(err)
    }
}

impl From<CoreError> for PyErr {
    fn from(err: CoreError) -> PyErr {
        Python::attach(|py| to_py_err(py, err.0))
    }
}

/// Maps a core error to its Python exception: the one place that knows the correspondence.
pub(crate) fn to_py_err(py: Python<'_>, err: socialcrm::Error) -> PyErr {
    use socialcrm::Error as E;

    let message = err.to_string();
    let text = |s: &str| -> Bound<'_, PyAny> { pyo3::types::PyString::new(py, s).into_any() };
    let list = |comma_separated: &str| -> PyResult<Bound<'_, PyAny>> {
        let items: Vec<&str> = comma_separated
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        Ok(pyo3::types::PyList::new(py, items)?.into_any())
    };
    let built = (|| -> PyResult<PyErr> {
        let (class, attributes) = match &err {
            E::InvalidArgument(_) => (Class::InvalidInput, vec![]),
            E::InvalidUtf8 { valid_up_to } => (
                Class::InvalidInput,
                vec![("valid_up_to", valid_up_to.into_pyobject(py)?.into_any())],
            ),
            E::UnknownLanguage { code, expected } => (
                Class::UnknownLanguage,
                vec![("code", text(code)), ("expected", list(expected)?)],
            ),
            E::DuplicateId { id, table } => (
                Class::DuplicateId,
                vec![("id", text(id)), ("table", text(table))],
            ),
            E::UnknownFieldKind { kind, expected } => (
                Class::UnknownFieldKind,
                vec![("kind", text(kind)), ("expected", list(expected)?)],
            ),
            E::ConsentRequired {
                contact_id,
                purpose,
            } => (
                Class::ConsentRequired,
                vec![("contact_id", text(contact_id)), ("purpose", text(purpose))],
            ),
            E::Model(_) => (Class::Model, vec![]),
            E::NotFitted(_) => (Class::NotFitted, vec![]),
            E::UnknownId(id) => (Class::UnknownId, vec![("id", text(id))]),
            E::Io(io) => {
                // OSError(errno, strerror) fills in .errno and .strerror
                // the OS error number, also of an error wrapped with its file's path
                let errno = io.raw_os_error().or_else(|| {
                    io.get_ref()
                        .and_then(|inner| inner.source())
                        .and_then(|source| source.downcast_ref::<std::io::Error>())
                        .and_then(std::io::Error::raw_os_error)
                });
                return match errno {
                    Some(errno) => Class::Io.instantiate(py, (errno, message.clone()), &[]),
                    None => Class::Io.instantiate(py, (message.clone(),), &[]),
                };
            }
            // `Error` is #[non_exhaustive]: a variant added to the core after this binding was
            // written still raises a SocialCrmError with the core's message.
            _ => (Class::SocialCrm, vec![]),
        };
        class.instantiate(py, (message.clone(),), &attributes)
    })();
    built.unwrap_or_else(|failure| failure)
}
