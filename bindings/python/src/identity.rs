//! Identity matching: record tables, `Matcher`, `MatchIndex`, `SocialLinker`, explanations and
//! Jaro–Winkler.
//!
//! These are the native halves of the classes in `socialcrm._identity`: they take tables that
//! the pure-Python layer has already taken apart into columns (see `convert.rs`), hold the core
//! objects, release the GIL for every fit, link, dedupe, explanation and incremental
//! assignment, and return results column by column or row by row. Every decision is the
//! core's.

use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyFloat, PyList, PyString};
use socialcrm::identity::{
    self as core, BlockingRule, BlockingStats, FieldKind, FieldSpec, Link, MatcherConfig,
    SocialLinkerConfig,
};
use socialcrm::synth::{self, CountryMix, WorldConfig};
use socialcrm::{ConsentStatus, Contact, SocialProfile};

use crate::convert::{
    Cell, Table, cell, cell_place, column_items, id_arg, id_column, str_items, text_column,
    type_name,
};
use crate::errors::{Class, CoreError};
use crate::threads::parallel;

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    // a panic in the core while the lock was held has already been raised (PanicException);
    // later calls use the object as it is rather than failing for ever
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// Runs core work with the GIL released, on threads that exist in this process (see
/// `threads.rs`: a forked child gets a thread pool of its own).
fn detached<T: Send>(py: Python<'_>, work: impl FnOnce() -> T + Send) -> T {
    py.detach(|| parallel(work))
}

fn lock<T>(lock: &Mutex<T>) -> MutexGuard<'_, T> {
    lock.lock().unwrap_or_else(PoisonError::into_inner)
}

// --- input tables ---------------------------------------------------------------------------

/// A table of records converted for the matcher (the core's `Records`): an id per row and
/// named string columns. Built by ``socialcrm._frames``; not part of the public API.
#[pyclass(module = "socialcrm._native", frozen)]
pub struct Records {
    inner: core::Records,
}

#[pymethods]
impl Records {
    /// ``ids`` is a list of str or int; ``columns`` maps each field name to a list with one
    /// value per id (str, a number, a date, or None/NaN for missing). ``table`` names the
    /// input in messages.
    #[new]
    #[pyo3(signature = (ids, columns, table = "records"))]
    fn new(ids: &Bound<'_, PyAny>, columns: &Bound<'_, PyDict>, table: &str) -> PyResult<Records> {
        let ids = id_column(ids, table)?;
        let mut converted = Vec::with_capacity(columns.len());
        for (name, values) in columns.iter() {
            let name: String = name.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "column names of the {table} records must be str, not {}",
                    type_name(&name)
                ))
            })?;
            let values = text_column(&values, table, &name, &ids)?;
            converted.push((name, values));
        }
        Ok(Records {
            inner: core::Records::from_columns(ids, converted).map_err(CoreError)?,
        })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The ids as str, in row order.
    #[getter]
    fn ids(&self) -> Vec<&str> {
        self.inner.ids().iter().map(String::as_str).collect()
    }

    /// The column names, in column order.
    #[getter]
    fn fields(&self) -> Vec<&str> {
        self.inner.fields().iter().map(String::as_str).collect()
    }
}

/// The single-valued text fields of a contact, by column name.
const CONTACT_TEXT: [&str; 8] = [
    "first_name",
    "last_name",
    "street",
    "postcode",
    "city",
    "country",
    "company",
    "birth_date",
];
/// The list-valued fields of a contact.
const CONTACT_LISTS: [&str; 2] = ["emails", "phones"];
/// The consent columns: a status (or a dict of statuses by purpose), or the flat form.
const CONSENT: &str = "consent";
const CONSENT_FLAT: &str = "consent_social_linking";

fn contact_text<'a>(contact: &'a mut Contact, field: &str) -> &'a mut Option<String> {
    match field {
        "first_name" => &mut contact.first_name,
        "last_name" => &mut contact.last_name,
        "street" => &mut contact.street,
        "postcode" => &mut contact.postcode,
        "city" => &mut contact.city,
        "country" => &mut contact.country,
        "company" => &mut contact.company,
        _ => &mut contact.birth_date,
    }
}

/// A multi-valued cell (`emails`, `phones`): a list or tuple of values, or one string with
/// the values separated by `;`. Missing values and blanks are dropped.
fn list_cell(value: &Bound<'_, PyAny>, place: impl Fn() -> String) -> PyResult<Vec<String>> {
    let split = |s: &str| -> Vec<String> {
        s.split(';')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    };
    match cell(value)? {
        Cell::Text(s) => return Ok(split(&s)),
        Cell::Missing => return Ok(Vec::new()),
        Cell::Unsupported => {}
    }
    if value.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(format!(
            "{}: expected a list of str or a str separated by ';', not dict",
            place()
        )));
    }
    let Ok(items) = value.try_iter() else {
        return Err(PyTypeError::new_err(format!(
            "{}: expected a list of str or a str separated by ';', not {}",
            place(),
            type_name(value)
        )));
    };
    let mut out = Vec::new();
    for item in items {
        let item = item?;
        match cell(&item)? {
            Cell::Text(s) => out.extend(split(&s)),
            Cell::Missing => {}
            Cell::Unsupported => {
                return Err(PyTypeError::new_err(format!(
                    "{}: list items must be str, not {}",
                    place(),
                    type_name(&item)
                )));
            }
        }
    }
    Ok(out)
}

/// A consent cell: a status (`"granted"`, `"withdrawn"`, `"absent"`, or a yes/no form the
/// core accepts), missing (= absent), or a dict of statuses by purpose.
fn consent_cell(value: &Bound<'_, PyAny>, place: &dyn Fn() -> String) -> PyResult<ConsentStatus> {
    match cell(value)? {
        Cell::Text(s) => s
            .parse::<ConsentStatus>()
            .map_err(|e| Class::InvalidInput.new_err(format!("{}: {e}", place()))),
        Cell::Missing => Ok(ConsentStatus::Absent),
        Cell::Unsupported => {
            if let Ok(purposes) = value.cast::<PyDict>() {
                return match purposes.get_item("social_linking")? {
                    Some(v) => consent_cell(&v, place),
                    None => Ok(ConsentStatus::Absent),
                };
            }
            Err(PyTypeError::new_err(format!(
                "{}: expected a consent status (str) or a dict like \
                 {{'social_linking': 'granted'}}, not {}",
                place(),
                type_name(value)
            )))
        }
    }
}

/// Checks a column's length against the ids and returns its items.
fn checked_items<'py>(
    values: &Bound<'py, PyAny>,
    table: &str,
    column: &str,
    rows: usize,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let items = column_items(values, &format!("column {column:?} of the {table} records"))?;
    if items.len() != rows {
        return Err(Class::InvalidInput.new_err(format!(
            "column {column:?} of the {table} records has {} values but there are {rows} ids",
            items.len()
        )));
    }
    Ok(items)
}

fn column_name(name: &Bound<'_, PyAny>, table: &str) -> PyResult<String> {
    name.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "column names of the {table} must be str, not {}",
            type_name(name)
        ))
    })
}

/// CRM contacts converted for the social linker (the core's `Contact`). Built by
/// ``socialcrm._frames``; not part of the public API.
#[pyclass(module = "socialcrm._native", frozen)]
pub struct Contacts {
    inner: Vec<Contact>,
}

#[pymethods]
impl Contacts {
    /// ``columns`` maps contact field names (``first_name``, ``last_name``, ``emails``,
    /// ``phones``, ``street``, ``postcode``, ``city``, ``country``, ``company``,
    /// ``birth_date``, ``consent``, ``consent_social_linking``) to one value per id.
    #[new]
    fn new(ids: &Bound<'_, PyAny>, columns: &Bound<'_, PyDict>) -> PyResult<Contacts> {
        const TABLE: &str = "contacts";
        let ids = id_column(ids, TABLE)?;
        let mut contacts: Vec<Contact> = ids
            .iter()
            .map(|id| Contact {
                id: id.clone(),
                ..Contact::default()
            })
            .collect();
        let mut flat_consent = None;
        for (name, values) in columns.iter() {
            let name = column_name(&name, TABLE)?;
            let place = |row: usize| cell_place(TABLE, &name, row, &ids);
            if CONTACT_TEXT.contains(&name.as_str()) {
                let values = text_column(&values, TABLE, &name, &ids)?;
                for (contact, value) in contacts.iter_mut().zip(values) {
                    *contact_text(contact, &name) = value;
                }
            } else if CONTACT_LISTS.contains(&name.as_str()) {
                let items = checked_items(&values, TABLE, &name, ids.len())?;
                for (row, (contact, item)) in contacts.iter_mut().zip(&items).enumerate() {
                    let list = list_cell(item, || place(row))?;
                    if name == "emails" {
                        contact.emails = list;
                    } else {
                        contact.phones = list;
                    }
                }
            } else if name == CONSENT {
                let items = checked_items(&values, TABLE, &name, ids.len())?;
                for (row, (contact, item)) in contacts.iter_mut().zip(&items).enumerate() {
                    contact.consent.social_linking = consent_cell(item, &|| place(row))?;
                }
            } else if name == CONSENT_FLAT {
                flat_consent = Some(checked_items(&values, TABLE, &name, ids.len())?);
            } else {
                return Err(Class::InvalidInput.new_err(format!(
                    "unknown contact field {name:?}; expected one of: {}, {}, {CONSENT}, {CONSENT_FLAT}",
                    CONTACT_TEXT.join(", "),
                    CONTACT_LISTS.join(", ")
                )));
            }
        }
        // the flat column wins where it has a value
        if let Some(items) = flat_consent {
            for (row, (contact, item)) in contacts.iter_mut().zip(&items).enumerate() {
                if !matches!(cell(item)?, Cell::Missing) {
                    let place = || cell_place(TABLE, CONSENT_FLAT, row, &ids);
                    contact.consent.social_linking = consent_cell(item, &place)?;
                }
            }
        }
        Ok(Contacts { inner: contacts })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The ids as str, in row order.
    #[getter]
    fn ids(&self) -> Vec<&str> {
        self.inner.iter().map(|c| c.id.as_str()).collect()
    }
}

/// The text fields of a social profile.
const PROFILE_TEXT: [&str; 7] = [
    "platform",
    "handle",
    "display_name",
    "bio",
    "location",
    "website",
    "email",
];

/// Social profiles converted for the social linker (the core's `SocialProfile`). Built by
/// ``socialcrm._frames``; not part of the public API.
#[pyclass(module = "socialcrm._native", frozen)]
pub struct Profiles {
    inner: Vec<SocialProfile>,
}

#[pymethods]
impl Profiles {
    /// ``columns`` maps profile field names (``platform``, ``handle``, ``display_name``,
    /// ``bio``, ``location``, ``website``, ``email``) to one value per id.
    #[new]
    fn new(ids: &Bound<'_, PyAny>, columns: &Bound<'_, PyDict>) -> PyResult<Profiles> {
        const TABLE: &str = "profiles";
        let ids = id_column(ids, TABLE)?;
        let mut profiles: Vec<SocialProfile> = ids
            .iter()
            .map(|id| SocialProfile {
                id: id.clone(),
                ..SocialProfile::default()
            })
            .collect();
        for (name, values) in columns.iter() {
            let name = column_name(&name, TABLE)?;
            if !PROFILE_TEXT.contains(&name.as_str()) {
                return Err(Class::InvalidInput.new_err(format!(
                    "unknown profile field {name:?}; expected one of: {}",
                    PROFILE_TEXT.join(", ")
                )));
            }
            let values = text_column(&values, TABLE, &name, &ids)?;
            for (p, value) in profiles.iter_mut().zip(values) {
                match name.as_str() {
                    "platform" => p.platform = value.unwrap_or_default(),
                    "handle" => p.handle = value,
                    "display_name" => p.display_name = value,
                    "bio" => p.bio = value,
                    "location" => p.location = value,
                    "website" => p.website = value,
                    _ => p.email = value,
                }
            }
        }
        Ok(Profiles { inner: profiles })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The ids as str, in row order.
    #[getter]
    fn ids(&self) -> Vec<&str> {
        self.inner.iter().map(|p| p.id.as_str()).collect()
    }
}

// --- results --------------------------------------------------------------------------------

/// Blocking statistics as a dict.
fn stats_dict<'py>(py: Python<'py>, stats: &BlockingStats) -> PyResult<Bound<'py, PyDict>> {
    let rules = PyList::empty(py);
    for r in &stats.rules {
        let rule = PyDict::new(py);
        rule.set_item("rule", &r.rule)?;
        rule.set_item("pairs", r.pairs)?;
        rule.set_item("skipped_keys", r.skipped_keys)?;
        rule.set_item("skipped_pairs", r.skipped_pairs)?;
        rule.set_item("share_of_matches", r.share_of_matches)?;
        rules.append(rule)?;
    }
    let d = PyDict::new(py);
    d.set_item("candidate_pairs", stats.candidate_pairs)?;
    d.set_item("possible_pairs", stats.possible_pairs)?;
    d.set_item("rules", rules)?;
    d.set_item("estimated_recall", stats.estimated_recall)?;
    Ok(d)
}

/// Links as a table: `left_id`, `right_id`, `match_probability`, `match_weight`, `asserted`,
/// then `<comparison>_level` (the level's label) and `<comparison>_weight` per comparison.
fn links_table<'py>(
    py: Python<'py>,
    links: &[Link],
    comparisons: &[(String, &'static [&'static str])],
    rows: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let mut table = Table::new(py, links.len());
    table.column("left_id", links.iter().map(|l| l.left_id.as_str()))?;
    table.column("right_id", links.iter().map(|l| l.right_id.as_str()))?;
    table.float_column(
        "match_probability",
        links.iter().map(|l| l.match_probability),
    );
    table.float_column("match_weight", links.iter().map(|l| l.match_weight));
    table.column("asserted", links.iter().map(|l| l.asserted))?;
    for (k, (name, labels)) in comparisons.iter().enumerate() {
        // one str object per label, shared by every row
        let labels: Vec<Bound<'py, PyString>> =
            labels.iter().map(|l| PyString::new(py, l)).collect();
        let unknown = PyString::new(py, "?");
        table.column(
            &format!("{name}_level"),
            links.iter().map(|l| {
                l.evidence
                    .get(k)
                    .and_then(|e| labels.get(usize::from(e.level)))
                    .unwrap_or(&unknown)
                    .clone()
            }),
        )?;
        table.float_column(
            &format!("{name}_weight"),
            links
                .iter()
                .map(|l| l.evidence.get(k).map_or(0.0, |e| e.weight)),
        );
    }
    table.into_py(rows)
}

/// Assertions as `{"must_link": [(a, b), ...], "no_link": [...]}`, sorted.
fn assertions_dict<'py>(
    py: Python<'py>,
    assertions: &core::Assertions,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("must_link", assertions.must_link.iter().collect::<Vec<_>>())?;
    d.set_item("no_link", assertions.no_link.iter().collect::<Vec<_>>())?;
    Ok(d)
}

/// Why a pair scores as it does, comparison by comparison (returned by ``explain``).
///
/// ``str(explanation)`` is a readable report (the same text as Rust's ``Display``);
/// :meth:`to_dict` gives every number. A pair that is no candidate under any blocking rule
/// is explained too (``blocking_rules`` is then empty: it is never compared).
///
/// Attributes:
///     left_id, right_id: The pair.
///     match_probability: Posterior probability from the model (assertions aside).
///     match_weight: Total log2-odds: ``prior_weight`` plus every comparison's weight.
///     prior_weight: The prior's part of the weight.
///     fields: Per comparison a dict with ``comparison``, ``level`` (label),
///         ``level_index`` (0 = missing), ``m``, ``u``, ``weight``,
///         ``term_frequency_adjustment``, ``left_value`` and ``right_value``.
///     blocking_rules: The rules under which the pair is a candidate.
///     assertion: ``"must_link"`` or ``"no_link"`` when an assertion decides the pair.
#[pyclass(module = "socialcrm", frozen)]
pub struct Explanation {
    inner: core::Explanation,
}

#[pymethods]
impl Explanation {
    /// Id of the left record (the contact, for social linking).
    #[getter]
    fn left_id(&self) -> &str {
        &self.inner.left_id
    }

    /// Id of the right record (the profile, for social linking).
    #[getter]
    fn right_id(&self) -> &str {
        &self.inner.right_id
    }

    /// Posterior match probability from the model, assertions aside.
    #[getter]
    fn match_probability(&self) -> f64 {
        self.inner.match_probability
    }

    /// Total log2-odds of a match.
    #[getter]
    fn match_weight(&self) -> f64 {
        self.inner.match_weight
    }

    /// The prior's part of the weight, log2(λ / (1 − λ)).
    #[getter]
    fn prior_weight(&self) -> f64 {
        self.inner.prior_weight
    }

    /// Per comparison, a dict of its evidence (a new list each time).
    #[getter]
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for f in &self.inner.fields {
            let d = PyDict::new(py);
            d.set_item("comparison", &f.comparison)?;
            d.set_item("level", &f.level)?;
            d.set_item("level_index", f.level_index)?;
            d.set_item("m", f.m)?;
            d.set_item("u", f.u)?;
            d.set_item("weight", f.weight)?;
            d.set_item("term_frequency_adjustment", f.term_frequency_adjustment)?;
            d.set_item("left_value", f.left_value.as_deref())?;
            d.set_item("right_value", f.right_value.as_deref())?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// The blocking rules under which the pair is a candidate; empty means never compared.
    #[getter]
    fn blocking_rules(&self) -> Vec<&str> {
        self.inner
            .blocking_rules
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// ``"must_link"`` or ``"no_link"`` when an assertion decides the pair, else None.
    #[getter]
    fn assertion(&self) -> Option<&str> {
        self.inner.assertion.as_deref()
    }

    /// Everything as plain data (a dict of str, float, list and None).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("left_id", self.left_id())?;
        d.set_item("right_id", self.right_id())?;
        d.set_item("match_probability", self.match_probability())?;
        d.set_item("match_weight", self.match_weight())?;
        d.set_item("prior_weight", self.prior_weight())?;
        d.set_item("fields", self.fields(py)?)?;
        d.set_item("blocking_rules", self.blocking_rules())?;
        d.set_item("assertion", self.assertion())?;
        Ok(d)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let repr =
            |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_str()?.to_owned()) };
        Ok(format!(
            "Explanation(left_id={}, right_id={}, match_probability={})",
            repr(&self.inner.left_id)?,
            repr(&self.inner.right_id)?,
            PyFloat::new(py, self.inner.match_probability).repr()?
        ))
    }
}

// --- the generic matcher --------------------------------------------------------------------

/// A field given to the native constructor: (name, kind, term_frequency or None for the
/// kind's default).
type FieldArg = (String, String, Option<bool>);

/// The native half of ``socialcrm.Matcher`` (the core's ``Matcher``).
///
/// Settings left as None take the core's defaults. Safe to share between threads: fitting and
/// assertions take a write lock, everything else a read lock, and every lock is taken with
/// the GIL released.
#[pyclass(module = "socialcrm._native", frozen)]
pub struct Matcher {
    inner: RwLock<core::Matcher>,
}

impl Matcher {
    fn comparisons(matcher: &core::Matcher) -> Vec<(String, &'static [&'static str])> {
        matcher
            .config()
            .fields
            .iter()
            .enumerate()
            .map(|(k, f)| (f.name.clone(), matcher.level_labels(k)))
            .collect()
    }

    fn wrap(matcher: core::Matcher) -> Matcher {
        Matcher {
            inner: RwLock::new(matcher),
        }
    }
}

#[pymethods]
impl Matcher {
    #[new]
    #[pyo3(signature = (
        fields,
        blocking,
        *,
        prior = None,
        default_country = None,
        month_first_dates = None,
        max_block_pairs = None,
        u_sample_pairs = None,
        max_em_iterations = None,
        em_tolerance = None,
        estimate_u = None,
        seed = None,
        consent_field = None,
        max_cluster_size = None,
        cluster_min_average_probability = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        fields: Vec<FieldArg>,
        blocking: Vec<String>,
        prior: Option<f64>,
        default_country: Option<String>,
        month_first_dates: Option<bool>,
        max_block_pairs: Option<u64>,
        u_sample_pairs: Option<usize>,
        max_em_iterations: Option<usize>,
        em_tolerance: Option<f64>,
        estimate_u: Option<bool>,
        seed: Option<u64>,
        consent_field: Option<String>,
        max_cluster_size: Option<usize>,
        cluster_min_average_probability: Option<f64>,
    ) -> PyResult<Matcher> {
        let mut specs = Vec::with_capacity(fields.len());
        for (name, kind, term_frequency) in fields {
            let kind: FieldKind = kind.parse().map_err(CoreError)?;
            let mut spec = FieldSpec::new(name, kind);
            if let Some(tf) = term_frequency {
                spec.term_frequency = tf;
            }
            specs.push(spec);
        }
        let rules = blocking
            .iter()
            .map(|r| r.parse::<BlockingRule>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(CoreError)?;
        let defaults = MatcherConfig::default();
        let config = MatcherConfig {
            fields: specs,
            blocking: rules,
            prior,
            default_country,
            month_first_dates: month_first_dates.unwrap_or(defaults.month_first_dates),
            max_block_pairs: max_block_pairs.unwrap_or(defaults.max_block_pairs),
            u_sample_pairs: u_sample_pairs.unwrap_or(defaults.u_sample_pairs),
            max_em_iterations: max_em_iterations.unwrap_or(defaults.max_em_iterations),
            em_tolerance: em_tolerance.unwrap_or(defaults.em_tolerance),
            estimate_u: estimate_u.unwrap_or(defaults.estimate_u),
            seed: seed.unwrap_or(defaults.seed),
            consent_field,
            cluster_min_average_probability,
            max_cluster_size: max_cluster_size.unwrap_or(defaults.max_cluster_size),
        };
        Ok(Matcher::wrap(
            core::Matcher::new(config).map_err(CoreError)?,
        ))
    }

    /// The fields as (name, kind, term_frequency) tuples, in comparison order.
    #[getter]
    fn fields(&self) -> Vec<(String, &'static str, bool)> {
        read(&self.inner)
            .config()
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.kind.name(), f.term_frequency))
            .collect()
    }

    /// Every setting but the fields, with the blocking rules as text.
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m = read(&self.inner);
        let c = m.config();
        let d = PyDict::new(py);
        let rules: Vec<String> = c.blocking.iter().map(ToString::to_string).collect();
        d.set_item("blocking", rules)?;
        d.set_item("prior", c.prior)?;
        d.set_item("default_country", c.default_country.as_deref())?;
        d.set_item("month_first_dates", c.month_first_dates)?;
        d.set_item("max_block_pairs", c.max_block_pairs)?;
        d.set_item("u_sample_pairs", c.u_sample_pairs)?;
        d.set_item("max_em_iterations", c.max_em_iterations)?;
        d.set_item("em_tolerance", c.em_tolerance)?;
        d.set_item("estimate_u", c.estimate_u)?;
        d.set_item("seed", c.seed)?;
        d.set_item("consent_field", c.consent_field.as_deref())?;
        d.set_item("max_cluster_size", c.max_cluster_size)?;
        d.set_item(
            "cluster_min_average_probability",
            c.cluster_min_average_probability,
        )?;
        Ok(d)
    }

    /// Whether a model has been fitted (or loaded).
    #[getter]
    fn is_fitted(&self) -> bool {
        read(&self.inner).model().is_some()
    }

    /// The caller's assertions.
    #[getter]
    fn assertions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        assertions_dict(py, read(&self.inner).assertions())
    }

    /// The level labels of a field's comparison (index 0 is "missing").
    fn level_labels(&self, field: &str) -> PyResult<Vec<&'static str>> {
        let m = read(&self.inner);
        let fields = &m.config().fields;
        let k = fields.iter().position(|f| f.name == field).ok_or_else(|| {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            Class::InvalidInput.new_err(format!(
                "unknown field {field:?}; the matcher's fields are: {}",
                names.join(", ")
            ))
        })?;
        Ok(m.level_labels(k).to_vec())
    }

    /// Fits on ``left`` and ``right`` (linking), or on ``left`` alone (deduplication);
    /// returns the blocking statistics. The GIL is released.
    #[pyo3(signature = (left, right = None))]
    fn fit<'py>(
        &self,
        py: Python<'py>,
        left: &Records,
        right: Option<&Records>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let stats = detached(py, || {
            let mut m = write(&self.inner);
            match right {
                Some(right) => m.fit(&left.inner, &right.inner),
                None => m.fit_dedupe(&left.inner),
            }
        })
        .map_err(CoreError)?;
        stats_dict(py, &stats)
    }

    /// Links ``left`` to ``right``; returns (links table, blocking statistics). The GIL is
    /// released.
    fn link<'py>(
        &self,
        py: Python<'py>,
        left: &Records,
        right: &Records,
        threshold: f64,
        one_to_one: bool,
        rows: bool,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyDict>)> {
        let (result, comparisons) = detached(py, || {
            let m = read(&self.inner);
            m.link(&left.inner, &right.inner, threshold, one_to_one)
                .map(|r| (r, Matcher::comparisons(&m)))
        })
        .map_err(CoreError)?;
        Ok((
            links_table(py, &result.links, &comparisons, rows)?,
            stats_dict(py, &result.stats)?,
        ))
    }

    /// Deduplicates ``records``; returns (pairs table, clusters table, blocking statistics).
    /// The GIL is released.
    fn dedupe<'py>(
        &self,
        py: Python<'py>,
        records: &Records,
        threshold: f64,
        rows: bool,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>, Bound<'py, PyDict>)> {
        let (result, comparisons) = detached(py, || {
            let m = read(&self.inner);
            m.dedupe(&records.inner, threshold)
                .map(|r| (r, Matcher::comparisons(&m)))
        })
        .map_err(CoreError)?;
        let mut clusters = Table::new(py, result.clusters.len());
        clusters.column("id", result.clusters.iter().map(|c| c.id.as_str()))?;
        clusters.column(
            "cluster_id",
            result.clusters.iter().map(|c| c.cluster_id.as_str()),
        )?;
        Ok((
            links_table(py, &result.pairs, &comparisons, rows)?,
            clusters.into_py(rows)?,
            stats_dict(py, &result.stats)?,
        ))
    }

    /// Explains one pair, linked or not. The GIL is released.
    fn explain(
        &self,
        py: Python<'_>,
        left: &Records,
        left_id: &Bound<'_, PyAny>,
        right: &Records,
        right_id: &Bound<'_, PyAny>,
    ) -> PyResult<Explanation> {
        let left_id = id_arg(left_id, "left_id")?;
        let right_id = id_arg(right_id, "right_id")?;
        let inner = detached(py, || {
            read(&self.inner).explain(&left.inner, &left_id, &right.inner, &right_id)
        })
        .map_err(CoreError)?;
        Ok(Explanation { inner })
    }

    /// Asserts that two records are the same entity.
    fn assert_must_link(
        &self,
        py: Python<'_>,
        left_id: &Bound<'_, PyAny>,
        right_id: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let (l, r) = (id_arg(left_id, "left_id")?, id_arg(right_id, "right_id")?);
        detached(py, || write(&self.inner).assert_must_link(&l, &r));
        Ok(())
    }

    /// Asserts that two records are different entities.
    fn assert_no_link(
        &self,
        py: Python<'_>,
        left_id: &Bound<'_, PyAny>,
        right_id: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let (l, r) = (id_arg(left_id, "left_id")?, id_arg(right_id, "right_id")?);
        detached(py, || write(&self.inner).assert_no_link(&l, &r));
        Ok(())
    }

    /// Drops the records, pairs and comparisons the last fit kept for link and dedupe.
    fn clear_cache(&self, py: Python<'_>) {
        detached(py, || write(&self.inner).clear_cache());
    }

    /// Removes what the matcher holds about a record (assertions, term-frequency counts, the
    /// records the last fit kept).
    fn forget(&self, py: Python<'_>, records: &Records, id: &Bound<'_, PyAny>) -> PyResult<()> {
        let id = id_arg(id, "id")?;
        detached(py, || write(&self.inner).forget(&records.inner, &id)).map_err(CoreError)?;
        Ok(())
    }

    /// The matcher as versioned JSON.
    fn to_json(&self, py: Python<'_>) -> String {
        detached(py, || read(&self.inner).to_json())
    }

    /// Reads a matcher written by :meth:`to_json`; a bad document raises ModelError.
    #[staticmethod]
    fn from_json(py: Python<'_>, json: &str) -> PyResult<Matcher> {
        let m = detached(py, || core::Matcher::from_json(json)).map_err(CoreError)?;
        Ok(Matcher::wrap(m))
    }

    /// Writes :meth:`to_json` to a file.
    fn save(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
        detached(py, || read(&self.inner).save(&path)).map_err(CoreError)?;
        Ok(())
    }

    /// Reads a matcher saved with :meth:`save`.
    #[staticmethod]
    fn load(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Matcher> {
        let m = detached(py, || core::Matcher::load(&path)).map_err(CoreError)?;
        Ok(Matcher::wrap(m))
    }
}

// --- incremental matching -------------------------------------------------------------------

/// The native half of ``socialcrm.MatchIndex`` (the core's ``MatchIndex``).
#[pyclass(module = "socialcrm._native", frozen)]
pub struct MatchIndex {
    inner: Mutex<core::MatchIndex>,
}

#[pymethods]
impl MatchIndex {
    /// Deduplicates ``records`` with the fitted ``matcher`` and indexes them. The GIL is
    /// released.
    #[new]
    fn new(
        py: Python<'_>,
        matcher: &Matcher,
        records: &Records,
        threshold: f64,
    ) -> PyResult<MatchIndex> {
        let index = detached(py, || {
            core::MatchIndex::build(&read(&matcher.inner), &records.inner, threshold)
        })
        .map_err(CoreError)?;
        Ok(MatchIndex {
            inner: Mutex::new(index),
        })
    }

    /// Assigns and indexes new records; returns a table of ``id``, ``cluster_id``,
    /// ``matched_id``, ``match_probability``, ``new_cluster``. The GIL is released.
    fn add<'py>(
        &self,
        py: Python<'py>,
        records: &Records,
        rows: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let assigned = detached(py, || lock(&self.inner).add(&records.inner)).map_err(CoreError)?;
        let mut table = Table::new(py, assigned.len());
        table.column("id", assigned.iter().map(|a| a.id.as_str()))?;
        table.column("cluster_id", assigned.iter().map(|a| a.cluster_id.as_str()))?;
        table.column(
            "matched_id",
            assigned.iter().map(|a| a.matched_id.as_deref()),
        )?;
        table.column(
            "match_probability",
            assigned.iter().map(|a| a.match_probability),
        )?;
        table.column("new_cluster", assigned.iter().map(|a| a.new_cluster))?;
        table.into_py(rows)
    }

    /// Erases a record; False if it was not indexed. The GIL is released.
    fn remove(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<bool> {
        let id = id_arg(id, "id")?;
        Ok(detached(py, || lock(&self.inner).remove(&id)).map_err(CoreError)?)
    }

    /// The cluster id of an indexed record, or None.
    fn cluster_of(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
        let id = id_arg(id, "id")?;
        Ok(detached(py, || lock(&self.inner).cluster_of(&id)))
    }

    /// A copy of the matcher inside the index (with its assertions and forgotten values).
    #[getter]
    fn matcher(&self, py: Python<'_>) -> Matcher {
        Matcher::wrap(detached(py, || lock(&self.inner).matcher().clone()))
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        detached(py, || lock(&self.inner).len())
    }
}

// --- social linking -------------------------------------------------------------------------

/// The native half of ``socialcrm.SocialLinker`` (the core's ``SocialLinker``).
#[pyclass(module = "socialcrm._native", frozen)]
pub struct SocialLinker {
    inner: RwLock<core::SocialLinker>,
}

impl SocialLinker {
    fn comparisons() -> Vec<(String, &'static [&'static str])> {
        core::SocialLinker::comparison_names()
            .into_iter()
            .enumerate()
            .map(|(k, n)| (n.to_owned(), core::SocialLinker::level_labels(k)))
            .collect()
    }

    fn wrap(linker: core::SocialLinker) -> SocialLinker {
        SocialLinker {
            inner: RwLock::new(linker),
        }
    }
}

#[pymethods]
impl SocialLinker {
    #[new]
    #[pyo3(signature = (
        *,
        prior = None,
        max_block_pairs = None,
        u_sample_pairs = None,
        max_em_iterations = None,
        em_tolerance = None,
        seed = None,
        month_first_dates = None,
    ))]
    fn new(
        prior: Option<f64>,
        max_block_pairs: Option<u64>,
        u_sample_pairs: Option<usize>,
        max_em_iterations: Option<usize>,
        em_tolerance: Option<f64>,
        seed: Option<u64>,
        month_first_dates: Option<bool>,
    ) -> PyResult<SocialLinker> {
        let d = SocialLinkerConfig::default();
        let config = SocialLinkerConfig {
            prior,
            max_block_pairs: max_block_pairs.unwrap_or(d.max_block_pairs),
            u_sample_pairs: u_sample_pairs.unwrap_or(d.u_sample_pairs),
            max_em_iterations: max_em_iterations.unwrap_or(d.max_em_iterations),
            em_tolerance: em_tolerance.unwrap_or(d.em_tolerance),
            seed: seed.unwrap_or(d.seed),
            month_first_dates: month_first_dates.unwrap_or(d.month_first_dates),
        };
        Ok(SocialLinker::wrap(
            core::SocialLinker::new(config).map_err(CoreError)?,
        ))
    }

    /// The comparison names, in order.
    #[staticmethod]
    fn comparison_names() -> Vec<&'static str> {
        core::SocialLinker::comparison_names()
    }

    /// The level labels of a comparison (index 0 is "missing").
    #[staticmethod]
    fn level_labels(comparison: &str) -> PyResult<Vec<&'static str>> {
        let names = core::SocialLinker::comparison_names();
        let k = names.iter().position(|n| *n == comparison).ok_or_else(|| {
            Class::InvalidInput.new_err(format!(
                "unknown comparison {comparison:?}; expected one of: {}",
                names.join(", ")
            ))
        })?;
        Ok(core::SocialLinker::level_labels(k).to_vec())
    }

    /// Whether a model has been fitted (or loaded).
    #[getter]
    fn is_fitted(&self) -> bool {
        read(&self.inner).model().is_some()
    }

    /// The caller's assertions.
    #[getter]
    fn assertions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        assertions_dict(py, read(&self.inner).assertions())
    }

    /// Fits on consenting contacts and all profiles; returns the blocking statistics. The GIL
    /// is released.
    fn fit<'py>(
        &self,
        py: Python<'py>,
        contacts: &Contacts,
        profiles: &Profiles,
    ) -> PyResult<Bound<'py, PyDict>> {
        let stats = detached(py, || {
            write(&self.inner).fit(&contacts.inner, &profiles.inner)
        })
        .map_err(CoreError)?;
        stats_dict(py, &stats)
    }

    /// Links consenting contacts to profiles; returns (links table, blocking statistics,
    /// number of contacts left out for lack of consent). The GIL is released.
    fn link<'py>(
        &self,
        py: Python<'py>,
        contacts: &Contacts,
        profiles: &Profiles,
        threshold: f64,
        rows: bool,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyDict>, usize)> {
        let result = detached(py, || {
            read(&self.inner).link(&contacts.inner, &profiles.inner, threshold)
        })
        .map_err(CoreError)?;
        Ok((
            links_table(py, &result.links, &SocialLinker::comparisons(), rows)?,
            stats_dict(py, &result.stats)?,
            result.contacts_without_consent,
        ))
    }

    /// Explains a contact–profile pair; a contact without consent raises
    /// ConsentRequiredError. The GIL is released.
    fn explain(
        &self,
        py: Python<'_>,
        contacts: &Contacts,
        contact_id: &Bound<'_, PyAny>,
        profiles: &Profiles,
        profile_id: &Bound<'_, PyAny>,
    ) -> PyResult<Explanation> {
        let contact_id = id_arg(contact_id, "contact_id")?;
        let profile_id = id_arg(profile_id, "profile_id")?;
        let inner = detached(py, || {
            read(&self.inner).explain(&contacts.inner, &contact_id, &profiles.inner, &profile_id)
        })
        .map_err(CoreError)?;
        Ok(Explanation { inner })
    }

    /// Asserts that a contact and a profile are the same person (never links a contact
    /// without consent all the same).
    fn assert_must_link(
        &self,
        py: Python<'_>,
        contact_id: &Bound<'_, PyAny>,
        profile_id: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let c = id_arg(contact_id, "contact_id")?;
        let p = id_arg(profile_id, "profile_id")?;
        detached(py, || write(&self.inner).assert_must_link(&c, &p));
        Ok(())
    }

    /// Asserts that a contact and a profile are different people.
    fn assert_no_link(
        &self,
        py: Python<'_>,
        contact_id: &Bound<'_, PyAny>,
        profile_id: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let c = id_arg(contact_id, "contact_id")?;
        let p = id_arg(profile_id, "profile_id")?;
        detached(py, || write(&self.inner).assert_no_link(&c, &p));
        Ok(())
    }

    /// Drops the records, pairs and comparisons the last fit kept for link.
    fn clear_cache(&self, py: Python<'_>) {
        detached(py, || write(&self.inner).clear_cache());
    }

    /// Removes assertions naming an id and the records the last fit kept for link.
    fn forget_id(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<()> {
        let id = id_arg(id, "id")?;
        detached(py, || write(&self.inner).forget_id(&id));
        Ok(())
    }

    /// Removes a contact's traces: assertions naming it and its surname from the counts.
    /// Every contact of ``contacts`` is forgotten.
    fn forget_contacts(&self, py: Python<'_>, contacts: &Contacts) {
        detached(py, || {
            let mut linker = write(&self.inner);
            for c in &contacts.inner {
                linker.forget_contact(c);
            }
        });
    }

    /// The linker as versioned JSON.
    fn to_json(&self, py: Python<'_>) -> String {
        detached(py, || read(&self.inner).to_json())
    }

    /// Reads a linker written by :meth:`to_json`; a bad document raises ModelError.
    #[staticmethod]
    fn from_json(py: Python<'_>, json: &str) -> PyResult<SocialLinker> {
        let l = detached(py, || core::SocialLinker::from_json(json)).map_err(CoreError)?;
        Ok(SocialLinker::wrap(l))
    }

    /// Writes :meth:`to_json` to a file.
    fn save(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
        detached(py, || read(&self.inner).save(&path)).map_err(CoreError)?;
        Ok(())
    }

    /// Reads a linker saved with :meth:`save`.
    #[staticmethod]
    fn load(py: Python<'_>, path: std::path::PathBuf) -> PyResult<SocialLinker> {
        let l = detached(py, || core::SocialLinker::load(&path)).map_err(CoreError)?;
        Ok(SocialLinker::wrap(l))
    }
}

// --- string similarity ----------------------------------------------------------------------

/// The Jaro–Winkler similarity of two strings, from 0.0 (nothing in common) to 1.0 (equal),
/// as the matcher computes it: compared character by character (code points) as given, with
/// the Winkler bonus (prefix weight 0.1, up to 4 characters) when the Jaro similarity exceeds
/// 0.7. Two empty strings are equal (1.0).
///
/// >>> round(jaro_winkler("MARTHA", "MARHTA"), 4)
/// 0.9611
#[pyfunction]
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    core::compare::jaro_winkler(a, b)
}

/// The Jaro–Winkler similarity of each pair ``(left[i], right[i])``, with the GIL released
/// for the whole batch; equal to ``[jaro_winkler(a, b) for a, b in zip(left, right)]``.
///
/// Raises:
///     InvalidInputError: ``left`` and ``right`` differ in length.
///     TypeError: An item is not a str (the message names its index).
///
/// >>> [round(s, 2) for s in jaro_winkler_batch(["DWAYNE", "Jan"], ["DUANE", "Jan"])]
/// [0.84, 1.0]
#[pyfunction]
pub fn jaro_winkler_batch(
    py: Python<'_>,
    left: &Bound<'_, PyAny>,
    right: &Bound<'_, PyAny>,
) -> PyResult<Vec<f64>> {
    let left: Vec<PyBackedStr> = str_items(left, "left")?;
    let right: Vec<PyBackedStr> = str_items(right, "right")?;
    if left.len() != right.len() {
        return Err(Class::InvalidInput.new_err(format!(
            "left has {} items but right has {}; jaro_winkler_batch compares them pairwise",
            left.len(),
            right.len()
        )));
    }
    Ok(detached(py, || {
        left.iter()
            .zip(&right)
            .map(|(a, b)| core::compare::jaro_winkler(a, b))
            .collect()
    }))
}

/// Adds the identity layer to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Records>()?;
    m.add_class::<Contacts>()?;
    m.add_class::<Profiles>()?;
    m.add_class::<Explanation>()?;
    m.add_class::<Matcher>()?;
    m.add_class::<MatchIndex>()?;
    m.add_class::<SocialLinker>()?;
    m.add_function(wrap_pyfunction!(jaro_winkler, m)?)?;
    m.add_function(wrap_pyfunction!(jaro_winkler_batch, m)?)?;
    m.add_function(wrap_pyfunction!(synthetic_world, m)?)?;
    Ok(())
}

// --- synthetic data -------------------------------------------------------------------------

/// The keys of ``synthetic_world(countries=...)``, in the core's order.
const COUNTRIES: [&str; 4] = ["de", "nl", "gb", "us"];

fn country_mix(weights: &std::collections::HashMap<String, f64>) -> PyResult<CountryMix> {
    let mut mix = CountryMix {
        de: 0.0,
        nl: 0.0,
        gb: 0.0,
        us: 0.0,
    };
    for (code, &weight) in weights {
        let slot = match code.to_ascii_lowercase().as_str() {
            "de" => &mut mix.de,
            "nl" => &mut mix.nl,
            "gb" => &mut mix.gb,
            "us" => &mut mix.us,
            _ => {
                return Err(Class::InvalidInput.new_err(format!(
                    "unknown country {code:?}; expected one of: {}",
                    COUNTRIES.join(", ")
                )));
            }
        };
        *slot = weight;
    }
    Ok(mix)
}

/// Contacts as dicts with the Rust field names; `consent` as `{"social_linking": status}`.
fn contact_rows<'py>(py: Python<'py>, contacts: &[Contact]) -> PyResult<Bound<'py, PyAny>> {
    let mut t = Table::new(py, contacts.len());
    let text = |f: fn(&Contact) -> &Option<String>| contacts.iter().map(move |c| f(c).as_deref());
    t.column("id", contacts.iter().map(|c| c.id.as_str()))?;
    t.column("first_name", text(|c| &c.first_name))?;
    t.column("last_name", text(|c| &c.last_name))?;
    t.column("emails", contacts.iter().map(|c| c.emails.clone()))?;
    t.column("phones", contacts.iter().map(|c| c.phones.clone()))?;
    t.column("street", text(|c| &c.street))?;
    t.column("postcode", text(|c| &c.postcode))?;
    t.column("city", text(|c| &c.city))?;
    t.column("country", text(|c| &c.country))?;
    t.column("company", text(|c| &c.company))?;
    t.column("birth_date", text(|c| &c.birth_date))?;
    let consents = contacts
        .iter()
        .map(|c| {
            let d = PyDict::new(py);
            d.set_item("social_linking", c.consent.social_linking.name())?;
            Ok(d)
        })
        .collect::<PyResult<Vec<_>>>()?;
    t.column("consent", consents)?;
    t.into_py(true)
}

/// Profiles as dicts with the Rust field names.
fn profile_rows<'py>(py: Python<'py>, profiles: &[SocialProfile]) -> PyResult<Bound<'py, PyAny>> {
    let mut t = Table::new(py, profiles.len());
    let text =
        |f: fn(&SocialProfile) -> &Option<String>| profiles.iter().map(move |p| f(p).as_deref());
    t.column("id", profiles.iter().map(|p| p.id.as_str()))?;
    t.column("platform", profiles.iter().map(|p| p.platform.as_str()))?;
    t.column("handle", text(|p| &p.handle))?;
    t.column("display_name", text(|p| &p.display_name))?;
    t.column("bio", text(|p| &p.bio))?;
    t.column("location", text(|p| &p.location))?;
    t.column("website", text(|p| &p.website))?;
    t.column("email", text(|p| &p.email))?;
    t.into_py(true)
}

/// A deterministic synthetic world for testing and benchmarking identity matching: CRM
/// contacts, social profiles, and the exact answer key (``socialcrm::synth`` in Rust).
///
/// Persons are drawn from German, Dutch, British (and optionally US) populations with
/// realistic mess: common and rare names, nicknames, titles, transliterations, typos,
/// people who moved, duplicate CRM records, handles in many habits, display names with
/// emoji, and non-customers who look like customers. The same arguments give the same
/// world on every platform and in every version.
///
/// Args:
///     persons: Number of persons (customers); each has a contact record, some two or three.
///     seed: The seed; None uses the core's fixed default seed.
///     profile_rate: Share of persons with at least one social profile (default 0.6).
///     extra_profiles: Profiles of non-customers, as a share of ``persons`` (default 0.4).
///     consent_rate: Share of contacts that granted consent to social linking (default
///         0.7); of the rest a third withdrew it and two thirds never gave it.
///     duplicate_rate: Share of persons with a second, noisy CRM record (default 0.05).
///     namesake_rate: Share of persons given another person's name and city (default 0.02).
///     noise: Multiplier on every noise probability (default 1.0; 0.0 gives clean records).
///     countries: Relative weights by country code, e.g. ``{"de": 1, "nl": 1}`` (default
///         45 % de, 35 % nl, 20 % gb).
///
/// Returns:
///     ``(contacts, profiles, truth)``, three lists of dicts. Contacts and profiles have the
///     fields :class:`SocialLinker` reads (``consent`` as ``{"social_linking": status}``,
///     ``emails`` and ``phones`` as lists), so they can be passed to it as they are.
///     ``truth`` has one row per record: ``id``, ``table`` (``"contacts"`` or
///     ``"profiles"``) and ``person``, the person's number (None for the profile of a
///     non-customer). Records of the same person belong together.
///
/// Raises:
///     InvalidInputError: A rate is out of range or a country code unknown.
///
/// >>> contacts, profiles, truth = synthetic_world(100, seed=7)
/// >>> len(contacts) >= 100, contacts[0]["id"], sorted(contacts[0]["consent"])
/// (True, 'c0', ['social_linking'])
/// >>> len(truth) == len(contacts) + len(profiles)
/// True
#[pyfunction]
#[pyo3(signature = (
    persons,
    *,
    seed = None,
    profile_rate = None,
    extra_profiles = None,
    consent_rate = None,
    duplicate_rate = None,
    namesake_rate = None,
    noise = None,
    countries = None,
))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn synthetic_world<'py>(
    py: Python<'py>,
    persons: usize,
    seed: Option<u64>,
    profile_rate: Option<f64>,
    extra_profiles: Option<f64>,
    consent_rate: Option<f64>,
    duplicate_rate: Option<f64>,
    namesake_rate: Option<f64>,
    noise: Option<f64>,
    countries: Option<std::collections::HashMap<String, f64>>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let d = WorldConfig::default();
    let config = WorldConfig {
        persons,
        seed: seed.unwrap_or(d.seed),
        profile_rate: profile_rate.unwrap_or(d.profile_rate),
        extra_profiles: extra_profiles.unwrap_or(d.extra_profiles),
        consent_rate: consent_rate.unwrap_or(d.consent_rate),
        duplicate_rate: duplicate_rate.unwrap_or(d.duplicate_rate),
        namesake_rate: namesake_rate.unwrap_or(d.namesake_rate),
        noise: noise.unwrap_or(d.noise),
        countries: match &countries {
            Some(weights) => country_mix(weights)?,
            None => d.countries,
        },
    };
    config.validate().map_err(CoreError)?;
    let world = detached(py, || synth::generate(&config));
    let mut truth = Table::new(py, world.contacts.len() + world.profiles.len());
    truth.column(
        "id",
        world
            .contacts
            .iter()
            .map(|c| c.id.as_str())
            .chain(world.profiles.iter().map(|p| p.id.as_str())),
    )?;
    truth.column(
        "table",
        std::iter::repeat_n("contacts", world.contacts.len())
            .chain(std::iter::repeat_n("profiles", world.profiles.len())),
    )?;
    truth.column(
        "person",
        world
            .contacts
            .iter()
            .map(|c| world.truth.person_of_contact(&c.id))
            .chain(
                world
                    .profiles
                    .iter()
                    .map(|p| world.truth.person_of_profile(&p.id)),
            ),
    )?;
    Ok((
        contact_rows(py, &world.contacts)?,
        profile_rows(py, &world.profiles)?,
        truth.into_py(true)?,
    ))
}
