//! Plain data shared by every module: the record types that flow through the library.
//!
//! Records are plain structs with public fields and `serde` derives, so they can be built
//! from CSV/JSON rows, C structs or Python dicts without ceremony.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// A natural language, identified by its ISO 639-1 code.
///
/// English, German and Dutch are first-class everywhere; the other variants are the
/// languages for which a Snowball stemmer exists, plus [`Language::Unknown`] for text whose
/// language cannot be told (too short, mixed, or a language socialcrm does not model).
///
/// ```
/// use socialcrm::Language;
/// let de: Language = "de".parse().unwrap();
/// assert_eq!(de, Language::German);
/// assert_eq!(de.code(), "de");
/// assert_eq!(Language::Unknown.code(), "und");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
#[non_exhaustive]
pub enum Language {
    /// Language not determined (ISO 639-2 `und`).
    Unknown,
    /// English (`en`).
    English,
    /// German (`de`).
    German,
    /// Dutch (`nl`).
    Dutch,
    /// French (`fr`).
    French,
    /// Spanish (`es`).
    Spanish,
    /// Italian (`it`).
    Italian,
    /// Portuguese (`pt`).
    Portuguese,
    /// Danish (`da`).
    Danish,
    /// Swedish (`sv`).
    Swedish,
    /// Norwegian Bokmål (`no`).
    Norwegian,
    /// Finnish (`fi`).
    Finnish,
    /// Hungarian (`hu`).
    Hungarian,
    /// Romanian (`ro`).
    Romanian,
    /// Turkish (`tr`).
    Turkish,
    /// Russian (`ru`).
    Russian,
    /// Greek (`el`).
    Greek,
    /// Arabic (`ar`).
    Arabic,
    /// Tamil (`ta`).
    Tamil,
}

impl Language {
    /// Every language, [`Language::Unknown`] first, in a fixed order that the C and Python
    /// surfaces share.
    pub const ALL: [Language; 19] = [
        Language::Unknown,
        Language::English,
        Language::German,
        Language::Dutch,
        Language::French,
        Language::Spanish,
        Language::Italian,
        Language::Portuguese,
        Language::Danish,
        Language::Swedish,
        Language::Norwegian,
        Language::Finnish,
        Language::Hungarian,
        Language::Romanian,
        Language::Turkish,
        Language::Russian,
        Language::Greek,
        Language::Arabic,
        Language::Tamil,
    ];

    /// The ISO 639-1 code (`"en"`, `"de"`, ...), or `"und"` for [`Language::Unknown`].
    pub const fn code(self) -> &'static str {
        match self {
            Language::Unknown => "und",
            Language::English => "en",
            Language::German => "de",
            Language::Dutch => "nl",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::Italian => "it",
            Language::Portuguese => "pt",
            Language::Danish => "da",
            Language::Swedish => "sv",
            Language::Norwegian => "no",
            Language::Finnish => "fi",
            Language::Hungarian => "hu",
            Language::Romanian => "ro",
            Language::Turkish => "tr",
            Language::Russian => "ru",
            Language::Greek => "el",
            Language::Arabic => "ar",
            Language::Tamil => "ta",
        }
    }

    /// The English name of the language.
    pub const fn name(self) -> &'static str {
        match self {
            Language::Unknown => "Unknown",
            Language::English => "English",
            Language::German => "German",
            Language::Dutch => "Dutch",
            Language::French => "French",
            Language::Spanish => "Spanish",
            Language::Italian => "Italian",
            Language::Portuguese => "Portuguese",
            Language::Danish => "Danish",
            Language::Swedish => "Swedish",
            Language::Norwegian => "Norwegian",
            Language::Finnish => "Finnish",
            Language::Hungarian => "Hungarian",
            Language::Romanian => "Romanian",
            Language::Turkish => "Turkish",
            Language::Russian => "Russian",
            Language::Greek => "Greek",
            Language::Arabic => "Arabic",
            Language::Tamil => "Tamil",
        }
    }

    /// Looks a language up by ISO 639-1 code (case-insensitive). `"und"` gives
    /// [`Language::Unknown`]; `"nb"` is accepted for Norwegian.
    pub fn from_code(code: &str) -> Result<Language, Error> {
        let lower = code.trim().to_ascii_lowercase();
        if lower == "nb" {
            return Ok(Language::Norwegian);
        }
        Language::ALL
            .iter()
            .copied()
            .find(|l| l.code() == lower)
            .ok_or_else(|| Error::UnknownLanguage {
                code: code.to_owned(),
                expected: Language::ALL
                    .iter()
                    .map(|l| l.code())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::from_code(s)
    }
}

impl From<Language> for &'static str {
    fn from(l: Language) -> Self {
        l.code()
    }
}

impl TryFrom<String> for Language {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Language::from_code(&s)
    }
}

/// Whether a person has agreed to something, as the CRM records it.
///
/// Only [`ConsentStatus::Granted`] permits the purpose; an absent record is not consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    /// The person agreed, and has not withdrawn it.
    Granted,
    /// The person agreed once and has since withdrawn.
    Withdrawn,
    /// There is no record of consent.
    #[default]
    Absent,
}

impl ConsentStatus {
    /// `true` only for [`ConsentStatus::Granted`].
    pub fn is_granted(self) -> bool {
        self == ConsentStatus::Granted
    }

    /// The lower-case name used in C, Python and files: `granted`, `withdrawn`, `absent`.
    pub const fn name(self) -> &'static str {
        match self {
            ConsentStatus::Granted => "granted",
            ConsentStatus::Withdrawn => "withdrawn",
            ConsentStatus::Absent => "absent",
        }
    }
}

impl FromStr for ConsentStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "granted" | "yes" | "true" | "1" => Ok(ConsentStatus::Granted),
            "withdrawn" | "revoked" => Ok(ConsentStatus::Withdrawn),
            "absent" | "" | "no" | "false" | "0" | "unknown" => Ok(ConsentStatus::Absent),
            other => Err(Error::InvalidArgument(format!(
                "unknown consent status {other:?}; expected granted, withdrawn or absent"
            ))),
        }
    }
}

/// The consents a contact has given that matter to socialcrm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Consent {
    /// Linking the contact's CRM record to their social-media profiles. Without it no API
    /// links the contact to a profile; CRM-internal deduplication does not need it.
    #[serde(default)]
    pub social_linking: ConsentStatus,
}

/// A person in the CRM.
///
/// Every field but `id` may be missing; a missing field is "no evidence", never a mismatch.
/// Free-text fields are kept as given: the identity module normalises them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    /// The caller's id, unique within its table.
    pub id: String,
    /// Given name(s): "Jan", "Anna-Lena", "Dr. Petra".
    pub first_name: Option<String>,
    /// Family name, with particles: "de Vries", "van der Berg", "von Müller".
    pub last_name: Option<String>,
    /// E-mail addresses, most important first.
    pub emails: Vec<String>,
    /// Phone numbers in any national or international format.
    pub phones: Vec<String>,
    /// Street and house number.
    pub street: Option<String>,
    /// Postal code.
    pub postcode: Option<String>,
    /// City or town.
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 country code ("DE", "NL"), used for phone numbers without a
    /// country prefix.
    pub country: Option<String>,
    /// Employer or company name.
    pub company: Option<String>,
    /// Date of birth in any common format ("1982-03-14", "14.03.1982", "14/03/1982").
    pub birth_date: Option<String>,
    /// What the contact has consented to.
    pub consent: Consent,
}

/// A public profile on a social platform.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SocialProfile {
    /// The caller's id, unique within its table.
    pub id: String,
    /// The platform: "twitter", "instagram", "facebook", "linkedin", ...
    pub platform: String,
    /// The handle, with or without `@`: "jdevries82", "@m.mueller".
    pub handle: Option<String>,
    /// The display name as shown: "Jan de Vries 🚲", "Dr. Petra M.".
    pub display_name: Option<String>,
    /// The profile's self-description.
    pub bio: Option<String>,
    /// The free-text location: "Utrecht, NL", "near Köln".
    pub location: Option<String>,
    /// A website the profile links to.
    pub website: Option<String>,
    /// A public e-mail address, when the platform shows one.
    pub email: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Language::ALL {
            assert_eq!(Language::from_code(lang.code()).unwrap(), lang);
        }
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<_> = Language::ALL.iter().map(|l| l.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Language::ALL.len());
    }

    #[test]
    fn unknown_code_lists_the_known_ones() {
        let err = Language::from_code("xx").unwrap_err().to_string();
        assert!(err.contains("\"xx\""), "{err}");
        assert!(err.contains("en, de, nl"), "{err}");
    }

    #[test]
    fn consent_parses_and_only_granted_counts() {
        assert_eq!(
            "Granted".parse::<ConsentStatus>().unwrap(),
            ConsentStatus::Granted
        );
        assert_eq!("".parse::<ConsentStatus>().unwrap(), ConsentStatus::Absent);
        assert!(!ConsentStatus::Withdrawn.is_granted());
        assert!(!Consent::default().social_linking.is_granted());
        assert!("maybe".parse::<ConsentStatus>().is_err());
    }

    #[test]
    fn records_deserialize_with_missing_fields() {
        let c: Contact = serde_json::from_str(
            r#"{"id":"c1","last_name":"de Vries","consent":{"social_linking":"granted"}}"#,
        )
        .unwrap();
        assert_eq!(c.last_name.as_deref(), Some("de Vries"));
        assert!(c.emails.is_empty());
        assert!(c.consent.social_linking.is_granted());
        let p: SocialProfile =
            serde_json::from_str(r#"{"id":"p1","handle":"jdevries82"}"#).unwrap();
        assert_eq!(p.handle.as_deref(), Some("jdevries82"));
    }

    #[test]
    fn serde_uses_codes() {
        let json = serde_json::to_string(&Language::Dutch).unwrap();
        assert_eq!(json, "\"nl\"");
        let back: Language = serde_json::from_str("\"NL\"").unwrap();
        assert_eq!(back, Language::Dutch);
        assert!(serde_json::from_str::<Language>("\"klingon\"").is_err());
    }
}
