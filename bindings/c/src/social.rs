//! Linking CRM contacts to social profiles, with consent: `scrm_contacts`, `scrm_profiles`,
//! `scrm_social_linker_*` and `scrm_link_social`.

use std::ffi::c_char;
use std::ptr::NonNull;

use socialcrm_core::identity::{SocialLinkResult, SocialLinker, link_social};
use socialcrm_core::{Consent, ConsentStatus, Contact, SocialProfile};

use crate::args::{
    free_boxed, mut_arg, opt_str, out_arg, ref_arg, req_str, slice_arg, str_arg, write_boxed,
    write_view,
};
use crate::config::social_linker_config;
use crate::error::{FfiError, scrm_error};
use crate::guard::{ffi_guard, ffi_guard_value};
use crate::links::scrm_links;
use crate::matcher::{level_label, render_explanation, scrm_explain_format};
use crate::status::scrm_status;
use crate::string::{scrm_str, scrm_string};
use crate::unique::IdSet;

/// A contact's consent status for a purpose: one of the `SCRM_CONSENT_*` values. Only
/// `SCRM_CONSENT_GRANTED` permits the purpose.
pub type scrm_consent_status = u32;

/// There is no record of consent: the purpose is not permitted. The value 0, so that a
/// zero-initialised `scrm_contact` has not consented to anything.
pub const SCRM_CONSENT_ABSENT: scrm_consent_status = 0;
/// The person agreed, and has not withdrawn it: the only status that permits the purpose.
pub const SCRM_CONSENT_GRANTED: scrm_consent_status = 1;
/// The person agreed once and has since withdrawn: the purpose is not permitted.
pub const SCRM_CONSENT_WITHDRAWN: scrm_consent_status = 2;

fn consent_status(value: scrm_consent_status) -> Result<ConsentStatus, FfiError> {
    match value {
        SCRM_CONSENT_ABSENT => Ok(ConsentStatus::Absent),
        SCRM_CONSENT_GRANTED => Ok(ConsentStatus::Granted),
        SCRM_CONSENT_WITHDRAWN => Ok(ConsentStatus::Withdrawn),
        other => Err(FfiError::invalid_argument(format!(
            "argument `contact.consent_social_linking`: unknown value {other}; expected \
             SCRM_CONSENT_ABSENT (0), SCRM_CONSENT_GRANTED (1) or SCRM_CONSENT_WITHDRAWN (2)"
        ))),
    }
}

/// A person in the CRM, as passed to `scrm_contacts_push`. The caller fills it in (start from
/// `scrm_contact c = {0};`: every string missing, no consent); the library copies what it needs
/// during the call and keeps no pointer.
///
/// Every member but `id` may be missing (a `scrm_str` with a NULL `ptr`): a missing value is
/// no evidence, never a mismatch. Values are given as they are in the CRM; the library
/// normalises them. The layout of this struct never changes within an ABI version.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct scrm_contact {
    /// The caller's id, unique among the contacts; required.
    pub id: scrm_str,
    /// Given name(s): `"Jan"`, `"Anna-Lena"`, `"Dr. Petra"`.
    pub first_name: scrm_str,
    /// Family name with particles: `"de Vries"`, `"van der Berg"`, `"Müller"`.
    pub last_name: scrm_str,
    /// E-mail addresses, most important first: `email_count` entries (NULL when 0). Entries
    /// with a NULL `ptr` are skipped.
    pub emails: *const scrm_str,
    /// The number of entries in `emails`.
    pub email_count: usize,
    /// Phone numbers in any national or international format: `phone_count` entries (NULL
    /// when 0). Entries with a NULL `ptr` are skipped.
    pub phones: *const scrm_str,
    /// The number of entries in `phones`.
    pub phone_count: usize,
    /// Street and house number.
    pub street: scrm_str,
    /// Postal code.
    pub postcode: scrm_str,
    /// City or town.
    pub city: scrm_str,
    /// ISO 3166-1 alpha-2 country code (`"DE"`, `"NL"`).
    pub country: scrm_str,
    /// Employer or company name.
    pub company: scrm_str,
    /// Date of birth in any common format (`"1982-03-14"`, `"14.03.1982"`, `"14/03/1982"`).
    pub birth_date: scrm_str,
    /// Consent to linking this contact to social-media profiles: a `SCRM_CONSENT_*` value.
    /// Without `SCRM_CONSENT_GRANTED` no function links the contact to a profile, fits on it,
    /// or explains a pair with it.
    pub consent_social_linking: scrm_consent_status,
}

/// A public profile on a social platform, as passed to `scrm_profiles_push`. The caller fills
/// it in (start from `scrm_profile p = {0};`); the library copies what it needs during the call.
/// Every member but `id` may be missing. The layout never changes within an ABI version.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct scrm_profile {
    /// The caller's id, unique among the profiles; required.
    pub id: scrm_str,
    /// The platform: `"twitter"`, `"instagram"`, `"linkedin"`, ... A contact is linked to at
    /// most one profile per platform; profiles without a platform count as one platform.
    pub platform: scrm_str,
    /// The handle, with or without `@`: `"jdevries82"`, `"@m.mueller"`.
    pub handle: scrm_str,
    /// The display name as shown: `"Jan de Vries 🚲"`, `"Dr. Petra M."`.
    pub display_name: scrm_str,
    /// The profile's self-description.
    pub bio: scrm_str,
    /// The free-text location: `"Utrecht, NL"`, `"near Köln"`.
    pub location: scrm_str,
    /// A website the profile links to.
    pub website: scrm_str,
    /// A public e-mail address, when the platform shows one.
    pub email: scrm_str,
}

/// Copies an optional member.
///
/// # Safety
///
/// `s` is missing or describes readable bytes.
unsafe fn member(s: scrm_str, name: &str) -> Result<Option<String>, FfiError> {
    // SAFETY: forwarded contract.
    Ok(unsafe { opt_str(s, || name.to_owned()) }?.map(str::to_owned))
}

/// Copies a list member, skipping missing entries.
///
/// # Safety
///
/// `ptr` is NULL or points to `len` `scrm_str`s that are missing or describe readable bytes.
unsafe fn list_member(
    ptr: *const scrm_str,
    len: usize,
    name: &str,
) -> Result<Vec<String>, FfiError> {
    // SAFETY: forwarded contract.
    let items = unsafe { slice_arg(ptr, len, name) }?;
    let mut out = Vec::with_capacity(items.len());
    for (i, s) in items.iter().enumerate() {
        // SAFETY: forwarded contract.
        if let Some(s) = unsafe { opt_str(*s, || format!("{name}[{i}]")) }? {
            out.push(s.to_owned());
        }
    }
    Ok(out)
}

impl scrm_contact {
    /// The core contact.
    ///
    /// # Safety
    ///
    /// Every `scrm_str` and array in `self` is missing/NULL or describes readable memory.
    unsafe fn to_core(self) -> Result<Contact, FfiError> {
        // SAFETY: this function's contract.
        unsafe {
            Ok(Contact {
                id: req_str(self.id, || "contact.id".to_owned())?.to_owned(),
                first_name: member(self.first_name, "contact.first_name")?,
                last_name: member(self.last_name, "contact.last_name")?,
                emails: list_member(self.emails, self.email_count, "contact.emails")?,
                phones: list_member(self.phones, self.phone_count, "contact.phones")?,
                street: member(self.street, "contact.street")?,
                postcode: member(self.postcode, "contact.postcode")?,
                city: member(self.city, "contact.city")?,
                country: member(self.country, "contact.country")?,
                company: member(self.company, "contact.company")?,
                birth_date: member(self.birth_date, "contact.birth_date")?,
                consent: Consent {
                    social_linking: consent_status(self.consent_social_linking)?,
                },
            })
        }
    }
}

impl scrm_profile {
    /// The core profile.
    ///
    /// # Safety
    ///
    /// Every `scrm_str` in `self` is missing or describes readable bytes.
    unsafe fn to_core(self) -> Result<SocialProfile, FfiError> {
        // SAFETY: this function's contract.
        unsafe {
            Ok(SocialProfile {
                id: req_str(self.id, || "profile.id".to_owned())?.to_owned(),
                platform: member(self.platform, "profile.platform")?.unwrap_or_default(),
                handle: member(self.handle, "profile.handle")?,
                display_name: member(self.display_name, "profile.display_name")?,
                bio: member(self.bio, "profile.bio")?,
                location: member(self.location, "profile.location")?,
                website: member(self.website, "profile.website")?,
                email: member(self.email, "profile.email")?,
            })
        }
    }
}

/// A table of CRM contacts for social linking. Create it with `scrm_contacts_new`, add
/// contacts with `scrm_contacts_push`, free it with `scrm_contacts_free`. It owns copies of
/// all its strings.
///
/// Thread safety: `scrm_contacts_push` needs exclusive access; every other function only reads
/// the table, and any number of threads may do so at once.
pub struct scrm_contacts {
    contacts: Vec<Contact>,
    ids: IdSet,
}

/// A table of social profiles for social linking. Create it with `scrm_profiles_new`, add
/// profiles with `scrm_profiles_push`, free it with `scrm_profiles_free`. It owns copies of all
/// its strings.
///
/// Thread safety: `scrm_profiles_push` needs exclusive access; every other function only reads
/// the table, and any number of threads may do so at once.
pub struct scrm_profiles {
    profiles: Vec<SocialProfile>,
    ids: IdSet,
}

/// Creates an empty contact table. On success `*out` receives it; the caller owns it and frees
/// it with `scrm_contacts_free`. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`out`).
///
/// # Safety
///
/// `out` is NULL or valid for writing one pointer; `err_out` is NULL or valid for writing one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_contacts_new(
    out: *mut *mut scrm_contacts,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let out = out_arg(out, "out")?;
        let table = scrm_contacts {
            contacts: Vec::new(),
            ids: IdSet::default(),
        };
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, table) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Appends a copy of `*contact` to the table. Contacts without granted consent are accepted
/// (and counted by `scrm_social_linker_link` as `contacts_without_consent`) but never linked.
/// On failure nothing is added.
///
/// Thread safety: changes the table; no other call may use `contacts` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`contacts`, `contact`, `contact->id` missing, an array
/// NULL with a non-zero count, a member NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8` (the message names the member, e.g. `contact.emails[1]`, and the
/// byte offset), `SCRM_STATUS_INVALID_ARGUMENT` (unknown consent value),
/// `SCRM_STATUS_DUPLICATE_ID`.
///
/// # Safety
///
/// `contacts` is NULL or a live `scrm_contacts` not used by another thread during the call;
/// `contact` is NULL or points to a `scrm_contact` whose strings and arrays are missing/NULL or
/// describe readable memory; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_contacts_push(
    contacts: *mut scrm_contacts,
    contact: *const scrm_contact,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: contacts is NULL or live with no other access during the call; contact is
        // NULL or readable, its members as documented (this function's contract).
        let (table, contact) = unsafe {
            (
                mut_arg(contacts, "contacts")?,
                ref_arg(contact, "contact")?.to_core()?,
            )
        };
        let rows = &table.contacts;
        table
            .ids
            .check(&contact.id, "contacts", rows.len(), |r| rows[r].id.as_str())?;
        table.ids.insert(&contact.id, rows.len());
        table.contacts.push(contact);
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The number of contacts in the table; 0 if `contacts` is NULL. Thread-safe (reads only).
///
/// # Safety
///
/// `contacts` is NULL or a live `scrm_contacts`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_contacts_len(contacts: *const scrm_contacts) -> usize {
    ffi_guard_value(0, || {
        // SAFETY: contacts is NULL or a live scrm_contacts (this function's contract).
        unsafe { contacts.as_ref() }.map_or(0, |c| c.contacts.len())
    })
}

/// Frees a contact table. Accepts NULL (does nothing). Must not race with any other use of the
/// table.
///
/// # Safety
///
/// `contacts` is NULL or a `scrm_contacts` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_contacts_free(contacts: *mut scrm_contacts) {
    // SAFETY: contacts is NULL or a live scrm_contacts freed only here (this function's
    // contract).
    ffi_guard_value((), || unsafe { free_boxed(contacts) })
}

/// Creates an empty profile table. On success `*out` receives it; the caller owns it and frees
/// it with `scrm_profiles_free`. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`out`).
///
/// # Safety
///
/// `out` is NULL or valid for writing one pointer; `err_out` is NULL or valid for writing one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_profiles_new(
    out: *mut *mut scrm_profiles,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let out = out_arg(out, "out")?;
        let table = scrm_profiles {
            profiles: Vec::new(),
            ids: IdSet::default(),
        };
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, table) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Appends a copy of `*profile` to the table. On failure nothing is added.
///
/// Thread safety: changes the table; no other call may use `profiles` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`profiles`, `profile`, `profile->id` missing, a member
/// NULL with a non-zero length), `SCRM_STATUS_INVALID_UTF8` (the message names the member and
/// the byte offset), `SCRM_STATUS_DUPLICATE_ID`.
///
/// # Safety
///
/// `profiles` is NULL or a live `scrm_profiles` not used by another thread during the call;
/// `profile` is NULL or points to a `scrm_profile` whose strings are missing or describe
/// readable bytes; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_profiles_push(
    profiles: *mut scrm_profiles,
    profile: *const scrm_profile,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: profiles is NULL or live with no other access during the call; profile is
        // NULL or readable, its members as documented (this function's contract).
        let (table, profile) = unsafe {
            (
                mut_arg(profiles, "profiles")?,
                ref_arg(profile, "profile")?.to_core()?,
            )
        };
        let rows = &table.profiles;
        table
            .ids
            .check(&profile.id, "profiles", rows.len(), |r| rows[r].id.as_str())?;
        table.ids.insert(&profile.id, rows.len());
        table.profiles.push(profile);
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The number of profiles in the table; 0 if `profiles` is NULL. Thread-safe (reads only).
///
/// # Safety
///
/// `profiles` is NULL or a live `scrm_profiles`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_profiles_len(profiles: *const scrm_profiles) -> usize {
    ffi_guard_value(0, || {
        // SAFETY: profiles is NULL or a live scrm_profiles (this function's contract).
        unsafe { profiles.as_ref() }.map_or(0, |p| p.profiles.len())
    })
}

/// Frees a profile table. Accepts NULL (does nothing). Must not race with any other use of the
/// table.
///
/// # Safety
///
/// `profiles` is NULL or a `scrm_profiles` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_profiles_free(profiles: *mut scrm_profiles) {
    // SAFETY: profiles is NULL or a live scrm_profiles freed only here (this function's
    // contract).
    ffi_guard_value((), || unsafe { free_boxed(profiles) })
}

/// Links CRM contacts to social profiles with cross-schema evidence: the contact's name against
/// the profile's display name and handle (`"jdevries82"` ~ Jan de Vries), e-mail addresses,
/// the e-mail local part against the handle, the website against the e-mail domain or company,
/// the bio against company and city, the location against the city, and the handle's digits
/// against the birth year (the comparisons of `scrm_social_comparison_name`).
///
/// **Consent.** A contact whose `consent_social_linking` is not `SCRM_CONSENT_GRANTED` is
/// dropped before anything else happens: it is not compared, not fitted on, cannot be linked
/// (not even by a must-link assertion) and cannot be explained.
///
/// Life cycle: `scrm_social_linker_new`, `scrm_social_linker_fit` (no labels needed), then
/// `scrm_social_linker_link` / `_explain` as often as needed; save with
/// `scrm_social_linker_to_json`; free with `scrm_social_linker_free`.
///
/// Thread safety: functions taking a `const scrm_social_linker *` (link, explain, to_json)
/// only read it and may run in many threads at once; those taking a `scrm_social_linker *`
/// (fit, assert_*, forget) change it and need exclusive access.
pub struct scrm_social_linker {
    inner: SocialLinker,
}

/// Creates an unfitted social linker. `config_json` (`config_len` bytes of UTF-8) is a JSON
/// object with any of these keys, or empty (NULL, 0) for the defaults; another key is an
/// error:
///
/// - `prior` (number in (0, 1), or null = estimated): λ, P(match) for a random
///   contact–profile pair (of all possible pairs, not of the candidates).
/// - `max_block_pairs` (integer, default 200000): larger blocks are skipped.
/// - `u_sample_pairs` (integer, default 200000): random pairs sampled to start fitting.
/// - `max_em_iterations` (integer, default 200), `em_tolerance` (number, default 1e-6).
/// - `seed` (integer, default 42).
/// - `month_first_dates` (bool, default false): read `03/04/1982` as 3 April (true) or
///   4 March (false).
///
/// ```json
/// {"u_sample_pairs": 50000, "seed": 7}
/// ```
///
/// On success `*out` receives a new linker that the caller owns and frees with
/// `scrm_social_linker_free`. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`out`, or `config_json` NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8`, `SCRM_STATUS_INVALID_ARGUMENT` (not JSON, an unknown key, a
/// value of the wrong type or out of range).
///
/// # Safety
///
/// `config_json` is NULL or points to `config_len` readable bytes; `out` is NULL or valid for
/// writing one pointer; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_new(
    config_json: *const c_char,
    config_len: usize,
    out: *mut *mut scrm_social_linker,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let out = out_arg(out, "out")?;
        // SAFETY: config_json is NULL or points to config_len readable bytes (this function's
        // contract); the borrow ends with this call.
        let json = unsafe { str_arg(config_json, config_len, "config_json") }?;
        let linker = SocialLinker::new(social_linker_config(json)?)?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, scrm_social_linker { inner: linker }) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Fits the linker on the consenting contacts and all profiles (EM, no labels needed).
/// Refitting replaces the previous fit; assertions are kept.
///
/// On failure the linker is unchanged. Thread safety: changes the linker; no other call may use
/// `linker` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`linker`, `contacts` or `profiles`).
///
/// # Safety
///
/// `linker` is NULL or a live `scrm_social_linker` not used by another thread during the call;
/// `contacts` and `profiles` are NULL or live tables; `err_out` is NULL or valid for writing
/// one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_fit(
    linker: *mut scrm_social_linker,
    contacts: *const scrm_contacts,
    profiles: *const scrm_profiles,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: linker is NULL or live with no other access during the call; the tables are
        // NULL or live (this function's contract).
        let (linker, contacts, profiles) = unsafe {
            (
                mut_arg(linker, "linker")?,
                ref_arg(contacts, "contacts")?,
                ref_arg(profiles, "profiles")?,
            )
        };
        // the old fit's cached records are dropped first: a clone does not carry them, and
        // the fit would otherwise run with both in memory
        linker.inner.clear_cache();
        let mut fitted = linker.inner.clone();
        fitted.fit(&contacts.contacts, &profiles.profiles)?;
        linker.inner = fitted;
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Hands a social link result to the caller.
///
/// # Safety
///
/// Both pointers are valid for writes.
unsafe fn write_social_result(
    result: SocialLinkResult,
    out: NonNull<*mut scrm_links>,
    without_consent_out: NonNull<usize>,
) {
    let links = scrm_links::new(result.links, result.stats);
    // SAFETY: both are valid for writes (this function's contract).
    unsafe {
        write_boxed(out, links);
        without_consent_out.write(result.contacts_without_consent);
    }
}

/// Links consenting contacts to profiles: pairs with match probability at least `threshold`
/// (in `0.0 ..= 1.0`), then at most one link per profile and per contact and platform, the most
/// probable first. In the links, `left_id` is the contact and `right_id` the profile; the
/// evidence follows `scrm_social_comparison_name`. Must-link assertions add their pairs (never
/// for a contact without consent); no-link assertions remove theirs. Needs a fitted linker.
///
/// Profiles with the same handle on different platforms are taken as one person's: each
/// gets the others' candidates and, where their display names do not contradict, borrows
/// the e-mail, website, bio and location comparisons it lacks, and stronger name evidence,
/// from them. `scrm_social_linker_explain` counts them alike.
///
/// On success `*out` receives a new `scrm_links` that the caller owns and frees with
/// `scrm_links_free`, and `*contacts_without_consent_out` the number of contacts left out
/// because they have not granted consent.
///
/// Thread safety: reads the linker: any number of threads may call this at once.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`linker`, `contacts`, `profiles`, `out` or
/// `contacts_without_consent_out`), `SCRM_STATUS_INVALID_ARGUMENT` (`threshold` NaN or
/// outside `0 ..= 1`), `SCRM_STATUS_NOT_FITTED`.
///
/// # Safety
///
/// `linker` is NULL or a live `scrm_social_linker`; `contacts` and `profiles` are NULL or live
/// tables; `out` is NULL or valid for writing one pointer; `contacts_without_consent_out` is
/// NULL or valid for writing one `size_t`; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_link(
    linker: *const scrm_social_linker,
    contacts: *const scrm_contacts,
    profiles: *const scrm_profiles,
    threshold: f64,
    out: *mut *mut scrm_links,
    contacts_without_consent_out: *mut usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: the handles are NULL or live and not changed during the call (this
        // function's contract).
        let (linker, contacts, profiles) = unsafe {
            (
                ref_arg(linker, "linker")?,
                ref_arg(contacts, "contacts")?,
                ref_arg(profiles, "profiles")?,
            )
        };
        let out = out_arg(out, "out")?;
        let without = out_arg(contacts_without_consent_out, "contacts_without_consent_out")?;
        let result = linker
            .inner
            .link(&contacts.contacts, &profiles.profiles, threshold)?;
        // SAFETY: both are not NULL and valid for writes (this function's contract).
        unsafe { write_social_result(result, out, without) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Explains the score of the pair (contact `contact_id`, profile `profile_id`), whether or not
/// it would be linked: per comparison what was compared, the level, m, u and the weight; the
/// blocking rules under which the pair is a candidate; any assertion. `format` chooses
/// `SCRM_EXPLAIN_FORMAT_TEXT` or `SCRM_EXPLAIN_FORMAT_JSON` (see there).
///
/// A contact without granted consent is `SCRM_STATUS_CONSENT_REQUIRED`: its data is not even
/// compared. Pass all profiles, as to `scrm_social_linker_link`: the profile's siblings (same
/// handle on other platforms) count as they do there.
///
/// On success `*out` receives a new string that the caller owns and frees with
/// `scrm_string_free`. Thread safety: reads the linker.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`linker`, `contacts`, `profiles`, `out`, or an id NULL
/// with a non-zero length), `SCRM_STATUS_INVALID_UTF8`, `SCRM_STATUS_UNKNOWN_ID` (an id is
/// not in its table), `SCRM_STATUS_CONSENT_REQUIRED`, `SCRM_STATUS_NOT_FITTED`,
/// `SCRM_STATUS_INVALID_ARGUMENT` (unknown `format`).
///
/// # Safety
///
/// `linker` is NULL or a live `scrm_social_linker`; `contacts` and `profiles` are NULL or live
/// tables; `contact_id`/`profile_id` are NULL or point to `contact_id_len`/`profile_id_len`
/// readable bytes; `out` is NULL or valid for writing one pointer; `err_out` is NULL or valid
/// for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_explain(
    linker: *const scrm_social_linker,
    contacts: *const scrm_contacts,
    contact_id: *const c_char,
    contact_id_len: usize,
    profiles: *const scrm_profiles,
    profile_id: *const c_char,
    profile_id_len: usize,
    format: scrm_explain_format,
    out: *mut *mut scrm_string,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: the handles are NULL or live and not changed during the call; the ids are
        // NULL or readable (this function's contract); the borrows end with this call.
        let (linker, contacts, contact_id, profiles, profile_id) = unsafe {
            (
                ref_arg(linker, "linker")?,
                ref_arg(contacts, "contacts")?,
                str_arg(contact_id, contact_id_len, "contact_id")?,
                ref_arg(profiles, "profiles")?,
                str_arg(profile_id, profile_id_len, "profile_id")?,
            )
        };
        let out = out_arg(out, "out")?;
        let explanation = linker.inner.explain(
            &contacts.contacts,
            contact_id,
            &profiles.profiles,
            profile_id,
        )?;
        let text = render_explanation(&explanation, format)?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, text) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Shared body of the two assertion functions.
///
/// # Safety
///
/// As for `scrm_social_linker_assert_must_link`.
unsafe fn assert_pair(
    linker: *mut scrm_social_linker,
    contact_id: *const c_char,
    contact_id_len: usize,
    profile_id: *const c_char,
    profile_id_len: usize,
    must_link: bool,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: linker is NULL or live with no other access during the call; the ids are
        // NULL or readable (forwarded contract).
        let (linker, contact_id, profile_id) = unsafe {
            (
                mut_arg(linker, "linker")?,
                str_arg(contact_id, contact_id_len, "contact_id")?,
                str_arg(profile_id, profile_id_len, "profile_id")?,
            )
        };
        if must_link {
            linker.inner.assert_must_link(contact_id, profile_id);
        } else {
            linker.inner.assert_no_link(contact_id, profile_id);
        }
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (forwarded contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Asserts that contact `contact_id` and profile `profile_id` are the same person: they are
/// linked whatever the model says, but still only if the contact has granted consent.
/// Replaces a no-link assertion on the same pair; saved by `scrm_social_linker_to_json`.
///
/// Thread safety: changes the linker; no other call may use `linker` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`linker`, or an id NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// `linker` is NULL or a live `scrm_social_linker` not used by another thread during the call;
/// `contact_id`/`profile_id` are NULL or point to `contact_id_len`/`profile_id_len` readable
/// bytes; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_assert_must_link(
    linker: *mut scrm_social_linker,
    contact_id: *const c_char,
    contact_id_len: usize,
    profile_id: *const c_char,
    profile_id_len: usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    // SAFETY: forwarded contract.
    unsafe {
        assert_pair(
            linker,
            contact_id,
            contact_id_len,
            profile_id,
            profile_id_len,
            true,
            err_out,
        )
    }
}

/// Asserts that contact `contact_id` and profile `profile_id` are different people: they are
/// never linked. Replaces a must-link assertion on the same pair.
///
/// Thread safety: changes the linker; no other call may use `linker` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`linker`, or an id NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// As for `scrm_social_linker_assert_must_link`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_assert_no_link(
    linker: *mut scrm_social_linker,
    contact_id: *const c_char,
    contact_id_len: usize,
    profile_id: *const c_char,
    profile_id_len: usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    // SAFETY: forwarded contract.
    unsafe {
        assert_pair(
            linker,
            contact_id,
            contact_id_len,
            profile_id,
            profile_id_len,
            false,
            err_out,
        )
    }
}

/// Frees the prepared records, candidate pairs and comparisons that the last
/// `scrm_social_linker_fit` kept so that `scrm_social_linker_link` on the same records need
/// not compare again. Results do not change: the next link compares afresh.
/// `scrm_social_linker_forget` and the next fit do it too.
///
/// Thread safety: changes the linker; no other call may use `linker` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`linker` NULL).
///
/// # Safety
///
/// `linker` is NULL or a live `scrm_social_linker` not used by another thread during the
/// call; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_clear_cache(
    linker: *mut scrm_social_linker,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: linker is NULL or live with no other access during the call (this
        // function's contract).
        let linker = unsafe { mut_arg(linker, "linker")? };
        linker.inner.clear_cache();
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Erases what the linker holds about a contact or profile id (the right to be forgotten):
/// assertions naming it, the records the last fit kept prepared for linking, and, if
/// `contacts` has a contact with this id, its surname from the surname frequencies (a count
/// of one would identify the person). The fitted probabilities are aggregates and are kept. Save the linker again to erase the id from a stored copy.
///
/// The counts are by name and hold no ids, so each call lowers them once: call it once per
/// contact the linker was fitted on. A contact that was never counted (without consent at
/// the fit, or forgotten before) lowers a namesake's count instead.
///
/// Thread safety: changes the linker; no other call may use `linker` at the same time.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`linker`, `contacts`, or `id` NULL with a non-zero
/// length), `SCRM_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// `linker` is NULL or a live `scrm_social_linker` not used by another thread during the call;
/// `contacts` is NULL or a live `scrm_contacts`; `id` is NULL or points to `id_len` readable
/// bytes; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_forget(
    linker: *mut scrm_social_linker,
    contacts: *const scrm_contacts,
    id: *const c_char,
    id_len: usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: linker is NULL or live with no other access during the call; contacts is
        // NULL or live; id is NULL or readable (this function's contract).
        let (linker, contacts, id) = unsafe {
            (
                mut_arg(linker, "linker")?,
                ref_arg(contacts, "contacts")?,
                str_arg(id, id_len, "id")?,
            )
        };
        match contacts.contacts.iter().find(|c| c.id == id) {
            Some(contact) => linker.inner.forget_contact(contact),
            None => linker.inner.forget_id(id),
        }
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Saves the linker as versioned JSON (settings, fitted model, surname frequencies,
/// assertions), readable by `scrm_social_linker_from_json`. It contains values derived from
/// the fitted contacts (surname counts): store it as carefully as the data.
///
/// On success `*out` receives a new string that the caller owns and frees with
/// `scrm_string_free`. Thread safety: reads the linker.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`linker` or `out`).
///
/// # Safety
///
/// `linker` is NULL or a live `scrm_social_linker`; `out` is NULL or valid for writing one
/// pointer; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_to_json(
    linker: *const scrm_social_linker,
    out: *mut *mut scrm_string,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: linker is NULL or live and not changed during the call (this function's
        // contract).
        let linker = unsafe { ref_arg(linker, "linker") }?;
        let out = out_arg(out, "out")?;
        let json = scrm_string::new(linker.inner.to_json())?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, json) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Loads a linker saved with `scrm_social_linker_to_json` from `json_len` bytes of UTF-8.
///
/// On success `*out` receives a new linker that the caller owns and frees with
/// `scrm_social_linker_free`. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`out`, or `json` NULL with a non-zero length),
/// `SCRM_STATUS_INVALID_UTF8`, `SCRM_STATUS_MODEL` (not JSON, truncated, another format,
/// written by a newer version, or a model of the wrong shape).
///
/// # Safety
///
/// `json` is NULL or points to `json_len` readable bytes; `out` is NULL or valid for writing
/// one pointer; `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_from_json(
    json: *const c_char,
    json_len: usize,
    out: *mut *mut scrm_social_linker,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let out = out_arg(out, "out")?;
        // SAFETY: json is NULL or points to json_len readable bytes (this function's
        // contract); the borrow ends with this call.
        let json = unsafe { str_arg(json, json_len, "json") }?;
        let linker = SocialLinker::from_json(json)?;
        // SAFETY: out is not NULL and valid for writes (this function's contract).
        unsafe { write_boxed(out, scrm_social_linker { inner: linker }) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// Frees a social linker. Accepts NULL (does nothing). Must not race with any other use of
/// the linker.
///
/// # Safety
///
/// `linker` is NULL or a `scrm_social_linker` from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_linker_free(linker: *mut scrm_social_linker) {
    // SAFETY: linker is NULL or a live scrm_social_linker freed only here (this function's
    // contract).
    ffi_guard_value((), || unsafe { free_boxed(linker) })
}

/// Links contacts to profiles in one call: fits a social linker with the default settings on
/// the tables and links at probability 0.5, one link per profile and per contact and platform.
/// Contacts without granted consent are never linked. For control over settings, thresholds,
/// assertions and explanations use `scrm_social_linker_*`.
///
/// On success `*out` receives a new `scrm_links` (free with `scrm_links_free`) and
/// `*contacts_without_consent_out` the number of contacts left out for lack of consent.
/// Thread-safe (reads the tables).
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`contacts`, `profiles`, `out` or
/// `contacts_without_consent_out`).
///
/// # Safety
///
/// `contacts` and `profiles` are NULL or live tables; `out` is NULL or valid for writing one
/// pointer; `contacts_without_consent_out` is NULL or valid for writing one `size_t`;
/// `err_out` is NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_link_social(
    contacts: *const scrm_contacts,
    profiles: *const scrm_profiles,
    out: *mut *mut scrm_links,
    contacts_without_consent_out: *mut usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        // SAFETY: the tables are NULL or live and not changed during the call (this
        // function's contract).
        let (contacts, profiles) = unsafe {
            (
                ref_arg(contacts, "contacts")?,
                ref_arg(profiles, "profiles")?,
            )
        };
        let out = out_arg(out, "out")?;
        let without = out_arg(contacts_without_consent_out, "contacts_without_consent_out")?;
        let result = link_social(&contacts.contacts, &profiles.profiles)?;
        // SAFETY: both are not NULL and valid for writes (this function's contract).
        unsafe { write_social_result(result, out, without) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The name of social comparison number `comparison` (the order of the evidence in social
/// links): `"name"`, `"email"`, `"email_vs_handle"`, `"website"`, `"bio"`, `"location"`,
/// `"handle_digits_vs_birth_year"`. The view (UTF-8, not
/// NUL-terminated) points to static data, valid for the life of the process. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`ptr_out` or `len_out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`comparison` out of range).
///
/// # Safety
///
/// `ptr_out` and `len_out` are NULL or valid for writes; `err_out` is NULL or valid for writing
/// one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_comparison_name(
    comparison: usize,
    ptr_out: *mut *const c_char,
    len_out: *mut usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let ptr_out = out_arg(ptr_out, "ptr_out")?;
        let len_out = out_arg(len_out, "len_out")?;
        let names = SocialLinker::comparison_names();
        let name = names.get(comparison).copied().ok_or_else(|| {
            FfiError::invalid_argument(format!(
                "argument `comparison`: {comparison} is out of range, there are {} social \
                 comparisons",
                names.len()
            ))
        })?;
        // SAFETY: both are not NULL and valid for writes (this function's contract).
        unsafe { write_view(name, ptr_out, len_out) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

/// The label of level `level` of social comparison `comparison`, the meaning of the `level`
/// that `scrm_links_evidence` reports for social links: `"missing"` (level 0), `"full name"`,
/// `"initial and last name"`, ..., `"different"`. Static data, valid for the life of the
/// process. Thread-safe.
///
/// Errors: `SCRM_STATUS_NULL_POINTER` (`ptr_out` or `len_out`),
/// `SCRM_STATUS_INVALID_ARGUMENT` (`comparison` or `level` out of range).
///
/// # Safety
///
/// `ptr_out` and `len_out` are NULL or valid for writes; `err_out` is NULL or valid for writing
/// one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scrm_social_level_label(
    comparison: usize,
    level: u8,
    ptr_out: *mut *const c_char,
    len_out: *mut usize,
    err_out: *mut *mut scrm_error,
) -> scrm_status {
    let body = || {
        let ptr_out = out_arg(ptr_out, "ptr_out")?;
        let len_out = out_arg(len_out, "len_out")?;
        let count = SocialLinker::comparison_names().len();
        if comparison >= count {
            return Err(FfiError::invalid_argument(format!(
                "argument `comparison`: {comparison} is out of range, there are {count} social \
                 comparisons"
            )));
        }
        let label = level_label(SocialLinker::level_labels(comparison), comparison, level)?;
        // SAFETY: both are not NULL and valid for writes (this function's contract).
        unsafe { write_view(label, ptr_out, len_out) };
        Ok(())
    };
    // SAFETY: err_out is NULL or valid for writes (this function's contract).
    unsafe { ffi_guard(err_out, body) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{SCRM_STATUS_INVALID_ARGUMENT, SCRM_STATUS_OK};
    use std::ptr;

    const _: () = {
        const fn send_sync<T: Send + Sync>() {}
        send_sync::<scrm_social_linker>();
        send_sync::<scrm_contacts>();
        send_sync::<scrm_profiles>();
    };

    fn empty_contact(id: &'static str) -> scrm_contact {
        scrm_contact {
            id: scrm_str::of(id),
            first_name: scrm_str::MISSING,
            last_name: scrm_str::MISSING,
            emails: ptr::null(),
            email_count: 0,
            phones: ptr::null(),
            phone_count: 0,
            street: scrm_str::MISSING,
            postcode: scrm_str::MISSING,
            city: scrm_str::MISSING,
            country: scrm_str::MISSING,
            company: scrm_str::MISSING,
            birth_date: scrm_str::MISSING,
            consent_social_linking: SCRM_CONSENT_ABSENT,
        }
    }

    #[test]
    fn contacts_are_copied_with_their_lists_and_consent() {
        let emails = [
            scrm_str::of("jan@example.nl"),
            scrm_str::MISSING,
            scrm_str::of("j@x.de"),
        ];
        let mut c = empty_contact("c1");
        c.first_name = scrm_str::of("Jan");
        c.emails = emails.as_ptr();
        c.email_count = 3;
        c.consent_social_linking = SCRM_CONSENT_GRANTED;
        // SAFETY: every member is missing or a live buffer.
        let core = unsafe { c.to_core() }.unwrap();
        assert_eq!(core.id, "c1");
        assert_eq!(core.first_name.as_deref(), Some("Jan"));
        assert_eq!(core.emails, ["jan@example.nl", "j@x.de"]);
        assert!(core.consent.social_linking.is_granted());
        c.consent_social_linking = 3;
        // SAFETY: as above.
        let err = unsafe { c.to_core() }.unwrap_err();
        assert_eq!(err.status, SCRM_STATUS_INVALID_ARGUMENT);
        c.consent_social_linking = SCRM_CONSENT_WITHDRAWN;
        // SAFETY: as above.
        let core = unsafe { c.to_core() }.unwrap();
        assert_eq!(core.consent.social_linking, ConsentStatus::Withdrawn);
    }

    #[test]
    fn labels() {
        let (mut p, mut n) = (ptr::null(), 0_usize);
        // SAFETY: valid out-pointers; static views.
        unsafe {
            assert_eq!(
                scrm_social_comparison_name(0, &mut p, &mut n, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            assert_eq!(std::slice::from_raw_parts(p.cast::<u8>(), n), b"name");
            assert_eq!(
                scrm_social_level_label(2, 0, &mut p, &mut n, ptr::null_mut()),
                SCRM_STATUS_OK
            );
            assert_eq!(std::slice::from_raw_parts(p.cast::<u8>(), n), b"missing");
            assert_eq!(
                scrm_social_comparison_name(7, &mut p, &mut n, ptr::null_mut()),
                SCRM_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                scrm_social_level_label(0, 99, &mut p, &mut n, ptr::null_mut()),
                SCRM_STATUS_INVALID_ARGUMENT
            );
        }
    }
}
