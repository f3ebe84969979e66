//! # socialcrm
//!
//! An embeddable Social CRM engine: it links social identities to CRM contacts (only with
//! consent), understands what people say, finds who matters and values each customer by what
//! they buy and by their social reach.
//!
//! This crate is the pure-Rust core; `libsocialcrm` (C) and the `socialcrm` Python package
//! are thin translations of it and use the same names.
//!
//! ## The text layer
//!
//! ```
//! use socialcrm::text::{detect_language, tokenize, TokenKind};
//! use socialcrm::Language;
//!
//! let post = "@DB_Bahn #Verspätung schon wieder 😡 https://x.de";
//! let mentions: Vec<_> = tokenize(post)
//!     .filter(|t| t.kind == TokenKind::Mention)
//!     .map(|t| t.text)
//!     .collect();
//! assert_eq!(mentions, ["@DB_Bahn"]);
//!
//! let guess = detect_language("Der Zug ist schon wieder zu spät, das ist doch nicht normal");
//! assert_eq!(guess.language, Language::German);
//! assert!(guess.confidence > 0.5);
//! ```
//!
//! ## Errors
//!
//! Every fallible function returns [`Result`], whose error type [`enum@Error`] names what was
//! wrong (the id, the field, the byte offset).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod identity;
pub mod records;
pub mod synth;
pub mod text;

pub use error::{Error, Result};
pub use records::{Consent, ConsentStatus, Contact, Language, SocialProfile};

/// The version of this crate, as in `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
