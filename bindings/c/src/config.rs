//! Reading the JSON configurations that C callers pass to `scrm_matcher_new` and
//! `scrm_social_linker_new`.
//!
//! The documents are the serde form of the core's `MatcherConfig` and `SocialLinkerConfig`,
//! read a little more strictly and a little more kindly than plain serde would:
//!
//! - a key that the configuration does not have is an error (a typo such as `"blockng"` would
//!   otherwise be ignored and silently change the result). The known keys are taken from the
//!   serialised defaults, so they follow the core without a list here;
//! - an unknown field kind is `SCRM_STATUS_UNKNOWN_FIELD_KIND` with the list of kinds (plain
//!   serde would call it an unknown variant); kinds are case-insensitive, as in the CLI;
//! - a blocking rule may be written as text, `"last_name:phonetic+dob:year"`, as well as
//!   in the serde form `{"parts": [{"field": "last_name", "transform": "phonetic"}]}`;
//! - a field without `term_frequency` gets the default of its kind (on for names), as
//!   `FieldSpec::new` gives in Rust.

use serde_json::{Map, Value};
use socialcrm_core::identity::{
    BlockingRule, FieldKind, FieldSpec, MatcherConfig, SocialLinkerConfig,
};

use crate::error::FfiError;

/// The keys of a serialised default (an object).
fn known_keys(default: serde_json::Result<Value>) -> Vec<String> {
    match default {
        Ok(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Rejects keys of `object` that are not in `known`.
fn check_keys(object: &Map<String, Value>, known: &[String], what: &str) -> Result<(), FfiError> {
    match object.keys().find(|k| !known.contains(k)) {
        Some(key) => Err(FfiError::invalid_argument(format!(
            "unknown key {key:?} in {what}; expected one of: {}",
            known.join(", ")
        ))),
        None => Ok(()),
    }
}

/// Parses `json`, which must be a JSON object.
fn parse_object(json: &str, what: &str) -> Result<Map<String, Value>, FfiError> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| FfiError::invalid_argument(format!("{what} is not valid JSON: {e}")))?;
    match value {
        Value::Object(object) => Ok(object),
        other => Err(FfiError::invalid_argument(format!(
            "{what} must be a JSON object, got {}",
            kind_of(&other)
        ))),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads the configuration of `scrm_matcher_new`.
pub(crate) fn matcher_config(json: &str) -> Result<MatcherConfig, FfiError> {
    const WHAT: &str = "the matcher configuration";
    let mut object = parse_object(json, WHAT)?;
    let known = known_keys(serde_json::to_value(MatcherConfig::default()));
    check_keys(&object, &known, WHAT)?;
    let field_keys = known_keys(serde_json::to_value(FieldSpec::new("x", FieldKind::Name)));
    if let Some(fields) = object.get_mut("fields").and_then(Value::as_array_mut) {
        for (i, field) in fields.iter_mut().enumerate() {
            // anything but an object is left for serde to report
            let Some(field) = field.as_object_mut() else {
                continue;
            };
            check_keys(field, &field_keys, &format!("fields[{i}]"))?;
            let Some(kind) = field.get("kind").and_then(Value::as_str) else {
                continue;
            };
            let kind: FieldKind = kind.parse()?;
            field.insert("kind".into(), Value::String(kind.name().into()));
            if !field.contains_key("term_frequency") {
                let default = FieldSpec::new("x", kind).term_frequency;
                field.insert("term_frequency".into(), Value::Bool(default));
            }
        }
    }
    if let Some(rules) = object.get_mut("blocking").and_then(Value::as_array_mut) {
        for rule in rules.iter_mut() {
            if let Some(text) = rule.as_str() {
                let parsed: BlockingRule = text.parse()?;
                *rule = serde_json::to_value(&parsed).map_err(|e| {
                    FfiError::invalid_argument(format!("blocking rule {text:?}: {e}"))
                })?;
            }
        }
    }
    serde_json::from_value(Value::Object(object))
        .map_err(|e| FfiError::invalid_argument(format!("invalid matcher configuration: {e}")))
}

/// Reads the configuration of `scrm_social_linker_new`; an empty text is the default.
pub(crate) fn social_linker_config(json: &str) -> Result<SocialLinkerConfig, FfiError> {
    const WHAT: &str = "the social linker configuration";
    if json.trim().is_empty() {
        return Ok(SocialLinkerConfig::default());
    }
    let object = parse_object(json, WHAT)?;
    let known = known_keys(serde_json::to_value(SocialLinkerConfig::default()));
    check_keys(&object, &known, WHAT)?;
    serde_json::from_value(Value::Object(object)).map_err(|e| {
        FfiError::invalid_argument(format!("invalid social linker configuration: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{SCRM_STATUS_INVALID_ARGUMENT, SCRM_STATUS_UNKNOWN_FIELD_KIND};
    use socialcrm_core::identity::KeyTransform;

    #[test]
    fn reads_the_documented_form() {
        let config = matcher_config(
            r#"{
                "fields": [
                    {"name": "last_name", "kind": "Name"},
                    {"name": "dob", "kind": "date"},
                    {"name": "email", "kind": "email", "term_frequency": true}
                ],
                "blocking": [
                    "last_name:phonetic+dob:year",
                    {"parts": [{"field": "email", "transform": "exact"}]},
                    {"parts": [{"field": "last_name", "transform": {"prefix": 3}}]}
                ],
                "u_sample_pairs": 1000
            }"#,
        )
        .unwrap();
        assert_eq!(config.fields[0].kind, FieldKind::Name);
        assert!(
            config.fields[0].term_frequency,
            "names default to term frequencies"
        );
        assert!(!config.fields[1].term_frequency);
        assert!(config.fields[2].term_frequency);
        assert_eq!(config.blocking.len(), 3);
        assert_eq!(
            config.blocking[0].to_string(),
            "last_name:phonetic+dob:year"
        );
        assert_eq!(
            config.blocking[2].parts[0].transform,
            KeyTransform::Prefix(3)
        );
        assert_eq!(config.u_sample_pairs, 1000);
        assert_eq!(
            config.max_cluster_size,
            MatcherConfig::default().max_cluster_size
        );
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let err = matcher_config(r#"{"fields": [{"name": "x", "kind": "colour"}]}"#).unwrap_err();
        assert_eq!(err.status, SCRM_STATUS_UNKNOWN_FIELD_KIND);
        assert!(err.message.contains("\"colour\""), "{}", err.message);
        assert!(
            err.message.contains("name, text, exact, date"),
            "{}",
            err.message
        );

        let err = matcher_config(r#"{"fields": [], "blockng": []}"#).unwrap_err();
        assert_eq!(err.status, SCRM_STATUS_INVALID_ARGUMENT);
        assert!(
            err.message.contains("unknown key \"blockng\""),
            "{}",
            err.message
        );

        let err =
            matcher_config(r#"{"fields": [{"name": "x", "kind": "name", "tf": 1}]}"#).unwrap_err();
        assert!(err.message.contains("fields[0]"), "{}", err.message);

        let err = matcher_config(r#"{"fields": [}"#).unwrap_err();
        assert_eq!(err.status, SCRM_STATUS_INVALID_ARGUMENT);
        assert!(err.message.contains("not valid JSON"), "{}", err.message);
        assert!(err.message.contains("line 1 column"), "{}", err.message);

        let err = matcher_config("[1]").unwrap_err();
        assert!(
            err.message.contains("must be a JSON object, got an array"),
            "{}",
            err.message
        );

        let err = matcher_config(r#"{"max_cluster_size": "many"}"#).unwrap_err();
        assert_eq!(err.status, SCRM_STATUS_INVALID_ARGUMENT);
        assert!(err.message.contains("invalid type"), "{}", err.message);

        let err = matcher_config(r#"{"blocking": ["a:soundex"]}"#).unwrap_err();
        assert_eq!(err.status, SCRM_STATUS_INVALID_ARGUMENT);
        assert!(err.message.contains("soundex"), "{}", err.message);
    }

    /// The defaults are spelled out in the header (`scrm_matcher_new`,
    /// `scrm_social_linker_new`); this fails when the core changes one.
    #[test]
    fn documented_defaults() {
        let m = MatcherConfig::default();
        assert_eq!(m.max_block_pairs, 250_000);
        assert_eq!(m.u_sample_pairs, 10_000);
        assert_eq!(m.max_em_iterations, 200);
        assert_eq!(m.em_tolerance, 1e-6);
        assert!(m.estimate_u && !m.month_first_dates);
        assert_eq!(m.seed, 42);
        assert_eq!(m.max_cluster_size, 1000);
        assert_eq!(socialcrm_core::identity::MAX_COMPARISONS, 32);
        let s = SocialLinkerConfig::default();
        assert_eq!(s.max_block_pairs, 200_000);
        assert_eq!(s.u_sample_pairs, 200_000);
        assert_eq!(s.max_em_iterations, 200);
        assert_eq!(s.em_tolerance, 1e-6);
        assert_eq!(s.seed, 42);
        assert!(!s.month_first_dates);
    }

    #[test]
    fn social_defaults() {
        assert_eq!(
            social_linker_config("").unwrap(),
            SocialLinkerConfig::default()
        );
        assert_eq!(
            social_linker_config("{}").unwrap(),
            SocialLinkerConfig::default()
        );
        assert_eq!(social_linker_config(r#"{"seed": 7}"#).unwrap().seed, 7);
        assert!(social_linker_config(r#"{"sed": 7}"#).is_err());
    }
}
