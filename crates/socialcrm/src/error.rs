//! The one error type of the library.
//!
//! Every public fallible function returns [`Result<T>`](crate::Result). The variants are
//! coarse on purpose: each maps to one C status code and one Python exception class, so a
//! caller can branch on the kind of failure while the message says exactly what went wrong.

/// Everything that can go wrong in socialcrm.
///
/// Messages name the offending value (the id, the field, the kind) so that they can be shown
/// to a user as they are.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument has a value the function cannot work with (a NaN weight, an empty field
    /// name, a threshold outside 0..=1, ...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    /// Text that must be UTF-8 is not; `valid_up_to` is the byte offset of the first bad byte.
    #[error("invalid UTF-8 at byte {valid_up_to}")]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        valid_up_to: usize,
    },

    /// A language code that socialcrm does not know.
    #[error("unknown language code {code:?}; expected one of: {expected}")]
    UnknownLanguage {
        /// The code as given.
        code: String,
        /// The accepted codes, comma-separated.
        expected: String,
    },

    /// Two records in one input share an id.
    #[error("duplicate id {id:?} in {table}")]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// Which input it was found in (e.g. "left", "contacts").
        table: String,
    },

    /// A field kind name that socialcrm does not know.
    #[error("unknown field kind {kind:?}; expected one of: {expected}")]
    UnknownFieldKind {
        /// The kind as given.
        kind: String,
        /// The accepted kinds, comma-separated.
        expected: String,
    },

    /// An operation needs the consent of a person who has not given it (or has withdrawn it).
    #[error("contact {contact_id:?} has not consented to {purpose}")]
    ConsentRequired {
        /// The contact whose consent is missing.
        contact_id: String,
        /// What the consent would have been for.
        purpose: String,
    },

    /// A saved model could not be read: corrupt, truncated, or written by a newer version.
    #[error("cannot load model: {0}")]
    Model(String),

    /// A model is used before it was fitted, or with data it was not fitted for.
    #[error("model not ready: {0}")]
    NotFitted(String),

    /// An id that the operation needs is not known.
    #[error("unknown id {0:?}")]
    UnknownId(String),

    /// Reading or writing a file failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

/// `Result` with the library's [`enum@Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<std::str::Utf8Error> for Error {
    fn from(e: std::str::Utf8Error) -> Self {
        Error::InvalidUtf8 {
            valid_up_to: e.valid_up_to(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_error_keeps_offset() {
        // built at run time so the compiler cannot see that the literal is invalid
        let bytes: Vec<u8> = [b'a', b'b', 0xff, b'c'].to_vec();
        let err: Error = std::str::from_utf8(&bytes).unwrap_err().into();
        assert_eq!(err.to_string(), "invalid UTF-8 at byte 2");
    }

    #[test]
    fn messages_name_the_offender() {
        let err = Error::DuplicateId {
            id: "c-17".into(),
            table: "contacts".into(),
        };
        assert_eq!(err.to_string(), "duplicate id \"c-17\" in contacts");
    }
}
