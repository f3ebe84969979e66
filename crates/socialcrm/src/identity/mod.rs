//! Identity matching: link CRM contacts to social profiles (only with consent) and
//! deduplicate CRM tables, with reasons.
//!
//! The engine is a generic probabilistic record matcher ([`Matcher`]): records are rows with
//! an id and named fields; each field has a [`FieldKind`] that chooses its normaliser and
//! comparison levels; blocking rules choose the candidate pairs; a Fellegi–Sunter model fitted
//! by EM (no labels needed) scores them; decisions are a threshold plus one-to-one assignment
//! (linking) or guarded clustering (deduplication). Every link carries its evidence.

mod assign;
mod block;
pub mod compare;
mod engine;
mod fields;
mod index;
mod kind;
mod matcher;
mod model;
pub mod normalize;
mod social;
mod table;

pub use block::{BlockingRule, BlockingStats, KeyPart, KeyTransform, RuleStats};
pub use index::{Assignment, MatchIndex};
pub use kind::FieldKind;
pub use matcher::{
    Assertions, ClusterMember, DedupeResult, Explanation, FieldEvidence, FieldSpec, LevelEvidence,
    Link, LinkResult, Matcher, MatcherConfig, TermFrequencies,
};
pub use model::{ComparisonParams, FsModel, MAX_COMPARISONS, MAX_LEVELS, probability_from_weight};
pub use social::{SocialLinkResult, SocialLinker, SocialLinkerConfig, link_social};
pub use table::Records;
