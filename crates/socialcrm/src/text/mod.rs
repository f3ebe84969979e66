//! The text layer: normalisation, social-media tokenization, stemming and language
//! identification, for English, German and Dutch first and the other Snowball languages where
//! it comes free.
//!
//! Everything above it (identity matching, sentiment, intent) stands on these four functions,
//! so they are strict about Unicode and never lose a character silently.
//!
//! ```
//! use socialcrm::text::{detect_language, tokenize, Stemmer, TokenKind};
//! let post = "@NS_online Trein is wéér te laat, echt balen!!! #vertraging";
//! let guess = detect_language(post);
//! assert_eq!(guess.language.code(), "nl");
//! let stemmer = Stemmer::new(guess.language);
//! let stems: Vec<_> = tokenize(post)
//!     .filter(|t| t.kind == TokenKind::Word)
//!     .map(|t| stemmer.stem(&t.normalized()).into_owned())
//!     .collect();
//! assert_eq!(stems, ["trein", "is", "wer", "te", "lat", "echt", "bal"]);
//! ```

mod language;
mod normalize;
mod stem;
mod tokenize;

pub use language::{LanguageDetector, LanguageGuess, detect_language};
pub use normalize::{AccentFolding, Normalizer, normalize};
pub use stem::Stemmer;
pub use tokenize::{Parts, Token, TokenKind, Tokens, tokenize};
