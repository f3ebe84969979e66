//! Field kinds: what a column holds, which chooses its normaliser and comparison levels.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// What a field holds. The kind chooses how values are normalised and which comparison levels
/// a pair of values can fall into.
///
/// ```
/// use socialcrm::identity::FieldKind;
/// assert_eq!("email".parse::<FieldKind>().unwrap(), FieldKind::Email);
/// let err = "colour".parse::<FieldKind>().unwrap_err().to_string();
/// assert!(err.contains("name, text, exact, date, email, phone, postcode, handle, url, number"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// A personal name or part of one: titles, particles, initials, nicknames and
    /// transliteration are understood; compared by exact key, nickname, Jaro–Winkler,
    /// phonetic code and initials.
    Name,
    /// Free text such as a street or suburb: compared by exact key and Jaro–Winkler.
    Text,
    /// A code compared only for equality (a state, a gender, an id).
    Exact,
    /// A date in any common format: exact, day/month swapped, one typo, within a year.
    Date,
    /// An e-mail address: exact (after plus-addressing and Gmail rules), same local part.
    Email,
    /// A phone number, canonicalised to E.164 with a default country.
    Phone,
    /// A postal code: exact, one typo, same area prefix.
    Postcode,
    /// A social-media handle: exact, same letters, Jaro–Winkler.
    Handle,
    /// A web address: same host and path, same registrable domain.
    Url,
    /// A number or digit string (house number, id): exact, one typo.
    Number,
}

impl FieldKind {
    /// Every kind, in documentation order.
    pub const ALL: [FieldKind; 10] = [
        FieldKind::Name,
        FieldKind::Text,
        FieldKind::Exact,
        FieldKind::Date,
        FieldKind::Email,
        FieldKind::Phone,
        FieldKind::Postcode,
        FieldKind::Handle,
        FieldKind::Url,
        FieldKind::Number,
    ];

    /// The lower-case name used in configurations, C and Python.
    pub const fn name(self) -> &'static str {
        match self {
            FieldKind::Name => "name",
            FieldKind::Text => "text",
            FieldKind::Exact => "exact",
            FieldKind::Date => "date",
            FieldKind::Email => "email",
            FieldKind::Phone => "phone",
            FieldKind::Postcode => "postcode",
            FieldKind::Handle => "handle",
            FieldKind::Url => "url",
            FieldKind::Number => "number",
        }
    }
}

impl fmt::Display for FieldKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for FieldKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let wanted = s.trim().to_ascii_lowercase();
        FieldKind::ALL
            .into_iter()
            .find(|k| k.name() == wanted)
            .ok_or_else(|| Error::UnknownFieldKind {
                kind: s.to_owned(),
                expected: FieldKind::ALL.map(FieldKind::name).join(", "),
            })
    }
}
