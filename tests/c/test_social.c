/*
 * Linking CRM contacts to social profiles through the C ABI: contact and profile tables, the
 * social linker (fit, link, explain, assertions, forget, save and load), scrm_link_social,
 * consent (a contact without granted consent is never linked, whatever its profile), labels,
 * bad input and NULL pointers.
 */
#include <math.h> /* NAN: a macro, no -lm needed */
#include <stdint.h>

#include "harness.h"

#define S(lit) (lit), (sizeof(lit) - 1) /* a string literal as (ptr, len) */
#define SENTINEL ((void *)(uintptr_t)0x5a5a5a5a)

static scrm_str str_of(const char *s) {
    scrm_str r = {s, s == NULL ? 0 : strlen(s)};
    return r;
}

static int view_eq(const char *p, size_t n, const char *s) {
    return p != NULL && n == strlen(s) && memcmp(p, s, n) == 0;
}

typedef struct {
    const char *id, *first, *last, *email, *city, *company, *birth_date;
    scrm_consent_status consent;
} contact_row;

typedef struct {
    const char *id, *platform, *handle, *display_name, *bio, *location, *website, *email;
} profile_row;

static const contact_row CONTACTS[] = {
    {"c1", "Jan", "de Vries", "jan.devries@example.nl", "Utrecht", "Fietsfabriek", "1982-03-14",
     SCRM_CONSENT_GRANTED},
    {"c2", "Petra", "Müller", "petra.mueller@example.de", "Köln", NULL, "02.11.1975",
     SCRM_CONSENT_GRANTED},
    /* withdrew consent: its profile p3 matches perfectly, and must never be linked */
    {"c3", "Anna", "Schmidt", "anna.schmidt@example.de", "Berlin", NULL, "1990-01-30",
     SCRM_CONSENT_WITHDRAWN},
    /* never asked: the same */
    {"c4", "Lukas", "Weber", "lukas.weber@example.de", "Hamburg", NULL, NULL, SCRM_CONSENT_ABSENT},
    {"c5", "Sophie", "Bakker", "sophie.bakker@example.nl", "Amsterdam", NULL, "1988-05-09",
     SCRM_CONSENT_GRANTED},
    {"c6", "Thomas", "Fischer", "t.fischer@example.de", "Leipzig", NULL, "1984-09-03",
     SCRM_CONSENT_GRANTED},
    {"c7", "Emma", "Jansen", "emma.jansen@example.nl", "Rotterdam", NULL, "1995-02-17",
     SCRM_CONSENT_GRANTED},
    {"c8", "Felix", "Becker", NULL, "Bremen", NULL, NULL, SCRM_CONSENT_GRANTED},
};
#define N_CONTACTS (sizeof CONTACTS / sizeof CONTACTS[0])

static const profile_row PROFILES[] = {
    {"p1", "twitter", "jdevries82", "Jan de Vries 🚲", "Fietsen en koffie", "Utrecht, NL",
     "https://fietsfabriek.nl", NULL},
    {"p2", "instagram", "petra.mueller", "Petra Müller", NULL, "Köln", NULL, NULL},
    {"p3", "twitter", "annaschmidt", "Anna Schmidt", NULL, "Berlin", NULL,
     "anna.schmidt@example.de"},
    {"p4", "twitter", "lukas.weber", "Lukas Weber", NULL, "Hamburg", NULL,
     "lukas.weber@example.de"},
    {"p5", "twitter", "sophiebakker", "Sophie Bakker", NULL, "Amsterdam", NULL, NULL},
    {"p6", "linkedin", "thomas-fischer", "Thomas Fischer", NULL, "Leipzig", NULL,
     "t.fischer@example.de"},
    {"p7", "twitter", "maxpower", "Max Power", "Nuclear safety", "Springfield", NULL, NULL},
    {"p8", "twitter", "foodie99", "Lisa Koch", "Kochen!", "Hamburg", NULL, NULL},
};
#define N_PROFILES (sizeof PROFILES / sizeof PROFILES[0])

/* Consenting contacts and profiles that are obviously the same person, by name alone
 * (c1 ~ p1 is too, but finding it depends on how "de Vries" is normalised). */
static const char *const TRUTH[][2] = {
    {"c2", "p2"},
    {"c5", "p5"},
    {"c6", "p6"},
};
#define N_TRUTH (sizeof TRUTH / sizeof TRUTH[0])

static const char LINKER_CONFIG[] = "{\"u_sample_pairs\": 2000, \"seed\": 7}";

static scrm_contact contact_of(const contact_row *row, const scrm_str *email) {
    scrm_contact c;
    memset(&c, 0, sizeof c); /* every string missing, no consent */
    c.id = str_of(row->id);
    c.first_name = str_of(row->first);
    c.last_name = str_of(row->last);
    if (row->email != NULL) {
        c.emails = email;
        c.email_count = 1;
    }
    c.city = str_of(row->city);
    c.company = str_of(row->company);
    c.birth_date = str_of(row->birth_date);
    c.consent_social_linking = row->consent;
    return c;
}

static scrm_profile profile_of(const profile_row *row) {
    scrm_profile p = {str_of(row->id),       str_of(row->platform), str_of(row->handle),
                      str_of(row->display_name), str_of(row->bio),   str_of(row->location),
                      str_of(row->website),  str_of(row->email)};
    return p;
}

static scrm_contacts *contacts_table(void) {
    scrm_contacts *t = NULL;
    CHECK_STATUS(scrm_contacts_new(&t, NULL), SCRM_STATUS_OK);
    for (size_t i = 0; i < N_CONTACTS; i++) {
        scrm_str email = str_of(CONTACTS[i].email);
        scrm_contact c = contact_of(&CONTACTS[i], &email);
        CHECK_STATUS(scrm_contacts_push(t, &c, NULL), SCRM_STATUS_OK);
    }
    CHECK_EQ_U(scrm_contacts_len(t), N_CONTACTS);
    return t;
}

static scrm_profiles *profiles_table(void) {
    scrm_profiles *t = NULL;
    CHECK_STATUS(scrm_profiles_new(&t, NULL), SCRM_STATUS_OK);
    for (size_t i = 0; i < N_PROFILES; i++) {
        scrm_profile p = profile_of(&PROFILES[i]);
        CHECK_STATUS(scrm_profiles_push(t, &p, NULL), SCRM_STATUS_OK);
    }
    CHECK_EQ_U(scrm_profiles_len(t), N_PROFILES);
    return t;
}

static int has_pair(const scrm_links *links, const char *left, const char *right) {
    for (size_t i = 0; i < scrm_links_len(links); i++) {
        scrm_link l;
        if (scrm_links_get(links, i, &l, NULL) == SCRM_STATUS_OK &&
            view_eq(l.left_id, l.left_id_len, left) && view_eq(l.right_id, l.right_id_len, right)) {
            return 1;
        }
    }
    return 0;
}

/* Checks that no link involves a contact without consent (c3, c4). */
static void check_consent(const scrm_links *links) {
    for (size_t i = 0; i < scrm_links_len(links); i++) {
        scrm_link l;
        CHECK_STATUS(scrm_links_get(links, i, &l, NULL), SCRM_STATUS_OK);
        CHECK(!view_eq(l.left_id, l.left_id_len, "c3"));
        CHECK(!view_eq(l.left_id, l.left_id_len, "c4"));
    }
}

static scrm_contacts *contacts;
static scrm_profiles *profiles;
static scrm_social_linker *linker;

static void setup(void) {
    contacts = contacts_table();
    profiles = profiles_table();
    scrm_error *err = NULL;
    CHECK_STATUS(scrm_social_linker_new(LINKER_CONFIG, sizeof LINKER_CONFIG - 1, &linker, &err),
                 SCRM_STATUS_OK);
    CHECK_STATUS(scrm_social_linker_fit(linker, contacts, profiles, &err), SCRM_STATUS_OK);
    CHECK(err == NULL);
}

static void teardown(void) {
    scrm_social_linker_free(linker);
    scrm_contacts_free(contacts);
    scrm_profiles_free(profiles);
}

static void test_link_with_consent(void) {
    scrm_links *links = NULL;
    size_t without_consent = 99;
    scrm_error *err = NULL;
    CHECK_STATUS(scrm_social_linker_link(linker, contacts, profiles, 0.5, &links,
                                         &without_consent, &err),
                 SCRM_STATUS_OK);
    CHECK_EQ_U(without_consent, 2);
    for (size_t i = 0; i < N_TRUTH; i++) {
        if (!has_pair(links, TRUTH[i][0], TRUTH[i][1])) {
            fprintf(stderr, "missing link %s ~ %s\n", TRUTH[i][0], TRUTH[i][1]);
            CHECK(0);
        }
    }
    /* the perfectly matching profiles of c3 and c4 are not linked to anyone */
    check_consent(links);
    CHECK(!has_pair(links, "c3", "p3"));
    CHECK(!has_pair(links, "c4", "p4"));
    for (size_t i = 0; i < scrm_links_len(links); i++) {
        scrm_link l;
        CHECK_STATUS(scrm_links_get(links, i, &l, &err), SCRM_STATUS_OK);
        CHECK(l.match_probability >= 0.5 && l.match_probability <= 1.0);
        CHECK_EQ_U(l.evidence_count, 7);
        CHECK(!view_eq(l.right_id, l.right_id_len, "p7")); /* strangers */
        CHECK(!view_eq(l.right_id, l.right_id_len, "p8"));
        for (size_t k = 0; k < l.evidence_count; k++) {
            uint8_t level = 99;
            double weight = 0.0;
            CHECK_STATUS(scrm_links_evidence(links, i, k, &level, &weight, &err), SCRM_STATUS_OK);
            const char *label = NULL;
            size_t len = 0;
            CHECK_STATUS(scrm_social_level_label(k, level, &label, &len, &err), SCRM_STATUS_OK);
            CHECK(len > 0);
        }
    }
    scrm_links_free(links);

    /* at threshold 0 too: consent is not a matter of probability */
    CHECK_STATUS(scrm_social_linker_link(linker, contacts, profiles, 0.0, &links,
                                         &without_consent, &err),
                 SCRM_STATUS_OK);
    check_consent(links);
    scrm_links_free(links);

    /* freeing the fit's kept comparisons changes no result: link compares afresh */
    scrm_links *before = NULL, *after = NULL;
    CHECK_STATUS(scrm_social_linker_link(linker, contacts, profiles, 0.1, &before,
                                         &without_consent, &err),
                 SCRM_STATUS_OK);
    CHECK_STATUS(scrm_social_linker_clear_cache(linker, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_social_linker_link(linker, contacts, profiles, 0.1, &after,
                                         &without_consent, &err),
                 SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_links_len(after), scrm_links_len(before));
    for (size_t i = 0; i < scrm_links_len(before); i++) {
        scrm_link a, b;
        CHECK_STATUS(scrm_links_get(before, i, &a, &err), SCRM_STATUS_OK);
        CHECK_STATUS(scrm_links_get(after, i, &b, &err), SCRM_STATUS_OK);
        /* ids are views, not NUL-terminated */
        CHECK(a.left_id_len == b.left_id_len &&
              memcmp(a.left_id, b.left_id, a.left_id_len) == 0);
        CHECK(a.right_id_len == b.right_id_len &&
              memcmp(a.right_id, b.right_id, a.right_id_len) == 0);
        CHECK(a.match_probability == b.match_probability);
    }
    scrm_links_free(before);
    scrm_links_free(after);

    /* the one-call form */
    CHECK_STATUS(scrm_link_social(contacts, profiles, &links, &without_consent, &err),
                 SCRM_STATUS_OK);
    CHECK_EQ_U(without_consent, 2);
    check_consent(links);
    CHECK(!has_pair(links, "c3", "p3"));
    scrm_links_free(links);
    CHECK(err == NULL);
}

static void test_explain(void) {
    scrm_error *err = NULL;
    scrm_string *s = NULL;
    CHECK_STATUS(scrm_social_linker_explain(linker, contacts, S("c1"), profiles, S("p1"),
                                            SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_OK);
    const char *text = scrm_string_ptr(s);
    CHECK(strstr(text, "c1 ~ p1") != NULL);
    for (size_t k = 0; k < 7; k++) {
        const char *name = NULL;
        size_t len = 0;
        CHECK_STATUS(scrm_social_comparison_name(k, &name, &len, &err), SCRM_STATUS_OK);
        char buf[64];
        snprintf(buf, sizeof buf, "%.*s", (int)len, name);
        CHECK(strstr(text, buf) != NULL);
    }
    scrm_string_free(s);
    CHECK_STATUS(scrm_social_linker_explain(linker, contacts, S("c2"), profiles, S("p2"),
                                            SCRM_EXPLAIN_FORMAT_JSON, &s, &err),
                 SCRM_STATUS_OK);
    CHECK(strstr(scrm_string_ptr(s), "\"comparison\":\"name\"") != NULL);
    scrm_string_free(s);

    /* no consent: not even explained */
    s = SENTINEL;
    CHECK_STATUS(scrm_social_linker_explain(linker, contacts, S("c3"), profiles, S("p3"),
                                            SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_CONSENT_REQUIRED);
    CHECK_ERROR(err, SCRM_STATUS_CONSENT_REQUIRED, "\"c3\"");
    CHECK_STATUS(scrm_social_linker_explain(linker, contacts, S("c4"), profiles, S("p4"),
                                            SCRM_EXPLAIN_FORMAT_JSON, &s, &err),
                 SCRM_STATUS_CONSENT_REQUIRED);
    CHECK_ERROR(err, SCRM_STATUS_CONSENT_REQUIRED, "has not consented");
    CHECK_STATUS(scrm_social_linker_explain(linker, contacts, S("c9"), profiles, S("p1"),
                                            SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_UNKNOWN_ID);
    CHECK_ERROR(err, SCRM_STATUS_UNKNOWN_ID, "\"c9\"");
    CHECK_STATUS(scrm_social_linker_explain(linker, contacts, S("c1"), profiles, S("p9"),
                                            SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_UNKNOWN_ID);
    CHECK_ERROR(err, SCRM_STATUS_UNKNOWN_ID, "\"p9\"");
    CHECK_STATUS(scrm_social_linker_explain(linker, contacts, S("c1"), profiles, S("p1"), 2, &s,
                                            &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "format");
    CHECK(s == SENTINEL);
}

static void test_assertions_save_and_forget(void) {
    scrm_error *err = NULL;
    scrm_string *json = NULL;
    CHECK_STATUS(scrm_social_linker_to_json(linker, &json, &err), SCRM_STATUS_OK);
    CHECK(strstr(scrm_string_ptr(json), "socialcrm.social_linker") != NULL);
    scrm_social_linker *copy = NULL;
    CHECK_STATUS(scrm_social_linker_from_json(scrm_string_ptr(json), scrm_string_len(json), &copy,
                                              &err),
                 SCRM_STATUS_OK);
    scrm_string_free(json);

    /* a must-link links a stranger, but never a contact without consent */
    CHECK_STATUS(scrm_social_linker_assert_must_link(copy, S("c8"), S("p7"), &err),
                 SCRM_STATUS_OK);
    CHECK_STATUS(scrm_social_linker_assert_must_link(copy, S("c3"), S("p3"), &err),
                 SCRM_STATUS_OK);
    CHECK_STATUS(scrm_social_linker_assert_no_link(copy, S("c1"), S("p1"), &err), SCRM_STATUS_OK);
    scrm_links *links = NULL;
    size_t without = 0;
    CHECK_STATUS(scrm_social_linker_link(copy, contacts, profiles, 0.5, &links, &without, &err),
                 SCRM_STATUS_OK);
    CHECK(has_pair(links, "c8", "p7"));
    CHECK(!has_pair(links, "c1", "p1"));
    check_consent(links);
    for (size_t i = 0; i < scrm_links_len(links); i++) {
        scrm_link l;
        scrm_links_get(links, i, &l, NULL);
        CHECK(l.asserted == view_eq(l.left_id, l.left_id_len, "c8"));
    }
    scrm_links_free(links);

    /* saved and loaded with the assertions: the same links */
    CHECK_STATUS(scrm_social_linker_to_json(copy, &json, &err), SCRM_STATUS_OK);
    scrm_social_linker *loaded = NULL;
    char *buf = exact_copy(scrm_string_ptr(json), scrm_string_len(json));
    CHECK_STATUS(scrm_social_linker_from_json(buf, scrm_string_len(json), &loaded, &err),
                 SCRM_STATUS_OK);
    free(buf);
    scrm_links *again = NULL;
    CHECK_STATUS(scrm_social_linker_link(loaded, contacts, profiles, 0.5, &again, &without, &err),
                 SCRM_STATUS_OK);
    CHECK(has_pair(again, "c8", "p7"));
    CHECK(!has_pair(again, "c1", "p1"));
    scrm_links_free(again);
    scrm_social_linker_free(loaded);

    /* forgetting c8 drops its assertion and its surname; the id leaves the saved form */
    CHECK(strstr(scrm_string_ptr(json), "\"c8\"") != NULL);
    scrm_string_free(json);
    CHECK_STATUS(scrm_social_linker_forget(copy, contacts, S("c8"), &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_social_linker_forget(copy, contacts, S("p1"), &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_social_linker_to_json(copy, &json, &err), SCRM_STATUS_OK);
    CHECK(strstr(scrm_string_ptr(json), "\"c8\"") == NULL);
    CHECK(strstr(scrm_string_ptr(json), "\"p1\"") == NULL);
    CHECK(strstr(scrm_string_ptr(json), "\"c3\"") != NULL);
    scrm_string_free(json);
    scrm_social_linker_free(copy);

    /* corrupt and newer documents */
    scrm_social_linker *bad = SENTINEL;
    CHECK_STATUS(scrm_social_linker_from_json(S("{\"format\": 1"), &bad, &err),
                 SCRM_STATUS_MODEL);
    CHECK_ERROR(err, SCRM_STATUS_MODEL, "not valid JSON");
    CHECK_STATUS(scrm_social_linker_from_json(
                     S("{\"format\":\"socialcrm.social_linker\",\"version\":2}"), &bad, &err),
                 SCRM_STATUS_MODEL);
    CHECK_ERROR(err, SCRM_STATUS_MODEL, "newer");
    CHECK_STATUS(scrm_social_linker_from_json(S("{\"format\":\"socialcrm.matcher\",\"version\":1}"),
                                              &bad, &err),
                 SCRM_STATUS_MODEL);
    CHECK_ERROR(err, SCRM_STATUS_MODEL, "socialcrm.matcher");
    CHECK(bad == SENTINEL);
}

static void test_config_and_fitting(void) {
    scrm_error *err = NULL;
    scrm_social_linker *l = SENTINEL;
    CHECK_STATUS(scrm_social_linker_new(S("{\"sed\": 7}"), &l, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "unknown key \"sed\"");
    CHECK_STATUS(scrm_social_linker_new(S("{\"seed\": "), &l, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "not valid JSON");
    CHECK_STATUS(scrm_social_linker_new(S("{\"prior\": 2}"), &l, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "prior");
    CHECK_STATUS(scrm_social_linker_new(S("{\"seed\": \"x\xff\"}"), &l, &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `config_json`: invalid UTF-8 at byte 11");
    CHECK(l == SENTINEL);

    /* NULL and "{}" are the defaults; an unfitted linker cannot link or explain */
    CHECK_STATUS(scrm_social_linker_new(NULL, 0, &l, &err), SCRM_STATUS_OK);
    scrm_links *links = SENTINEL;
    size_t without = 77;
    CHECK_STATUS(scrm_social_linker_link(l, contacts, profiles, 0.5, &links, &without, &err),
                 SCRM_STATUS_NOT_FITTED);
    CHECK_ERROR(err, SCRM_STATUS_NOT_FITTED, "model not ready");
    CHECK(links == SENTINEL && without == 77);
    scrm_string *s = SENTINEL;
    CHECK_STATUS(scrm_social_linker_explain(l, contacts, S("c1"), profiles, S("p1"),
                                            SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_NOT_FITTED);
    CHECK_ERROR(err, SCRM_STATUS_NOT_FITTED, "model not ready");
    scrm_social_linker_free(l);
    CHECK_STATUS(scrm_social_linker_new(S("{}"), &l, &err), SCRM_STATUS_OK);
    scrm_social_linker_free(l);

    /* thresholds */
    const double bad[] = {-1.0, 1.01, NAN};
    for (size_t i = 0; i < 3; i++) {
        CHECK_STATUS(scrm_social_linker_link(linker, contacts, profiles, bad[i], &links, &without,
                                             &err),
                     SCRM_STATUS_INVALID_ARGUMENT);
        CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "threshold");
    }
    CHECK(links == SENTINEL);

    /* empty tables are fine */
    scrm_contacts *no_contacts = NULL;
    scrm_profiles *no_profiles = NULL;
    CHECK_STATUS(scrm_contacts_new(&no_contacts, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_profiles_new(&no_profiles, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_social_linker_link(linker, no_contacts, profiles, 0.5, &links, &without,
                                         &err),
                 SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_links_len(links), 0);
    CHECK_EQ_U(without, 0);
    scrm_links_free(links);
    CHECK_STATUS(scrm_link_social(no_contacts, no_profiles, &links, &without, &err),
                 SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_links_len(links), 0);
    scrm_links_free(links);
    scrm_contacts_free(no_contacts);
    scrm_profiles_free(no_profiles);
}

static void test_bad_records(void) {
    scrm_error *err = NULL;
    scrm_contacts *t = NULL;
    CHECK_STATUS(scrm_contacts_new(&t, &err), SCRM_STATUS_OK);
    scrm_contact c;
    memset(&c, 0, sizeof c);

    /* the id is required */
    CHECK_STATUS(scrm_contacts_push(t, &c, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "argument `contact.id` is NULL");
    c.id = str_of("c1");

    /* every string member is validated and named */
    char *bad = exact_copy("Gro\xc3", 4);
    c.last_name = (scrm_str){bad, 4};
    CHECK_STATUS(scrm_contacts_push(t, &c, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `contact.last_name`: invalid UTF-8 at byte 3");
    c.last_name = str_of("Groß");
    scrm_str emails[3] = {str_of("a@example.de"), {NULL, 0}, {bad, 4}};
    c.emails = emails;
    c.email_count = 3;
    CHECK_STATUS(scrm_contacts_push(t, &c, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `contact.emails[2]`: invalid UTF-8 at byte 3");
    c.email_count = 2; /* a NULL entry is skipped */
    c.phones = NULL;
    c.phone_count = 1;
    CHECK_STATUS(scrm_contacts_push(t, &c, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "argument `contact.phones` is NULL but its length is 1");
    c.phone_count = 0;
    c.city = (scrm_str){NULL, 3};
    CHECK_STATUS(scrm_contacts_push(t, &c, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "argument `contact.city` is NULL but its length is 3");
    c.city = str_of("Köln");
    c.consent_social_linking = 3;
    CHECK_STATUS(scrm_contacts_push(t, &c, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "SCRM_CONSENT_GRANTED (1)");
    CHECK_EQ_U(scrm_contacts_len(t), 0);
    c.consent_social_linking = SCRM_CONSENT_GRANTED;
    CHECK_STATUS(scrm_contacts_push(t, &c, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_contacts_len(t), 1);

    /* duplicate ids */
    CHECK_STATUS(scrm_contacts_push(t, &c, &err), SCRM_STATUS_DUPLICATE_ID);
    CHECK_ERROR(err, SCRM_STATUS_DUPLICATE_ID, "duplicate id \"c1\" in contacts");
    CHECK_EQ_U(scrm_contacts_len(t), 1);
    scrm_contacts_free(t);

    scrm_profiles *p = NULL;
    CHECK_STATUS(scrm_profiles_new(&p, &err), SCRM_STATUS_OK);
    scrm_profile prof;
    memset(&prof, 0, sizeof prof);
    CHECK_STATUS(scrm_profiles_push(p, &prof, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "argument `profile.id` is NULL");
    prof.id = str_of("p1");
    prof.handle = (scrm_str){bad, 4};
    CHECK_STATUS(scrm_profiles_push(p, &prof, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `profile.handle`: invalid UTF-8 at byte 3");
    prof.handle = str_of("@gross");
    CHECK_STATUS(scrm_profiles_push(p, &prof, &err), SCRM_STATUS_OK); /* no platform: fine */
    CHECK_STATUS(scrm_profiles_push(p, &prof, &err), SCRM_STATUS_DUPLICATE_ID);
    CHECK_ERROR(err, SCRM_STATUS_DUPLICATE_ID, "duplicate id \"p1\" in profiles");
    CHECK_EQ_U(scrm_profiles_len(p), 1);
    scrm_profiles_free(p);
    free(bad);

    /* ids of explain, assertions and forget */
    scrm_string *s = SENTINEL;
    CHECK_STATUS(scrm_social_linker_explain(linker, contacts, S("c\xff"), profiles, S("p1"),
                                            SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `contact_id`: invalid UTF-8 at byte 1");
    CHECK_STATUS(scrm_social_linker_explain(linker, contacts, S("c1"), profiles, S("\xff"),
                                            SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `profile_id`");
    CHECK(s == SENTINEL);
    scrm_social_linker *l = NULL;
    CHECK_STATUS(scrm_social_linker_new(NULL, 0, &l, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_social_linker_assert_must_link(l, S("\xc3"), S("p"), &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `contact_id`");
    CHECK_STATUS(scrm_social_linker_assert_no_link(l, S("c"), S("\xc3"), &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `profile_id`");
    CHECK_STATUS(scrm_social_linker_forget(l, contacts, S("\xc3"), &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `id`");
    scrm_social_linker_free(l);
}

static void test_labels(void) {
    scrm_error *err = NULL;
    const char *p = NULL;
    size_t n = 0;
    static const char *const names[7] = {"name",     "email",   "email_vs_handle",
                                         "website",  "bio",     "location",
                                         "handle_digits_vs_birth_year"};
    for (size_t k = 0; k < 7; k++) {
        CHECK_STATUS(scrm_social_comparison_name(k, &p, &n, &err), SCRM_STATUS_OK);
        CHECK_VIEW(p, n, names[k]);
        CHECK_STATUS(scrm_social_level_label(k, 0, &p, &n, &err), SCRM_STATUS_OK);
        CHECK_VIEW(p, n, "missing");
    }
    CHECK_STATUS(scrm_social_level_label(1, 1, &p, &n, &err), SCRM_STATUS_OK);
    CHECK_VIEW(p, n, "exact");
    p = SENTINEL;
    n = 77;
    CHECK_STATUS(scrm_social_comparison_name(7, &p, &n, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "there are 7 social comparisons");
    CHECK_STATUS(scrm_social_level_label(7, 0, &p, &n, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "there are 7 social comparisons");
    CHECK_STATUS(scrm_social_level_label(2, 4, &p, &n, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "comparison 2 has 4 levels");
    CHECK(p == SENTINEL && n == 77);
    CHECK_EQ_U(SCRM_CONSENT_ABSENT, 0);
    CHECK_EQ_U(SCRM_CONSENT_GRANTED, 1);
    CHECK_EQ_U(SCRM_CONSENT_WITHDRAWN, 2);
    CHECK_EQ_U(SCRM_EXPLAIN_FORMAT_TEXT, 0);
    CHECK_EQ_U(SCRM_EXPLAIN_FORMAT_JSON, 1);
}

static void test_null_pointers(void) {
    scrm_error *err = NULL;

#define NULL_CASE(call, argument)                                                    \
    do {                                                                             \
        CHECK_STATUS((call), SCRM_STATUS_NULL_POINTER);                              \
        CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`" argument "`");                \
    } while (0)

    scrm_contact c;
    memset(&c, 0, sizeof c);
    c.id = str_of("cx");
    scrm_profile p;
    memset(&p, 0, sizeof p);
    p.id = str_of("px");
    scrm_contacts *ct = SENTINEL;
    scrm_profiles *pt = SENTINEL;
    NULL_CASE(scrm_contacts_new(NULL, &err), "out");
    NULL_CASE(scrm_contacts_push(NULL, &c, &err), "contacts");
    NULL_CASE(scrm_contacts_push(contacts, NULL, &err), "contact");
    NULL_CASE(scrm_profiles_new(NULL, &err), "out");
    NULL_CASE(scrm_profiles_push(NULL, &p, &err), "profiles");
    NULL_CASE(scrm_profiles_push(profiles, NULL, &err), "profile");
    CHECK(ct == SENTINEL && pt == SENTINEL);
    CHECK_EQ_U(scrm_contacts_len(contacts), N_CONTACTS);
    CHECK_EQ_U(scrm_profiles_len(profiles), N_PROFILES);
    CHECK_EQ_U(scrm_contacts_len(NULL), 0);
    CHECK_EQ_U(scrm_profiles_len(NULL), 0);

    scrm_social_linker *l = SENTINEL;
    NULL_CASE(scrm_social_linker_new(NULL, 3, &l, &err), "config_json");
    NULL_CASE(scrm_social_linker_new(NULL, 0, NULL, &err), "out");
    NULL_CASE(scrm_social_linker_from_json(NULL, 3, &l, &err), "json");
    NULL_CASE(scrm_social_linker_from_json(S("{}"), NULL, &err), "out");
    CHECK(l == SENTINEL);
    CHECK_STATUS(scrm_social_linker_new(NULL, 0, &l, &err), SCRM_STATUS_OK);
    NULL_CASE(scrm_social_linker_clear_cache(NULL, &err), "linker");
    NULL_CASE(scrm_social_linker_fit(NULL, contacts, profiles, &err), "linker");
    NULL_CASE(scrm_social_linker_fit(l, NULL, profiles, &err), "contacts");
    NULL_CASE(scrm_social_linker_fit(l, contacts, NULL, &err), "profiles");

    scrm_links *links = SENTINEL;
    size_t without = 77;
    NULL_CASE(scrm_social_linker_link(NULL, contacts, profiles, 0.5, &links, &without, &err),
              "linker");
    NULL_CASE(scrm_social_linker_link(linker, NULL, profiles, 0.5, &links, &without, &err),
              "contacts");
    NULL_CASE(scrm_social_linker_link(linker, contacts, NULL, 0.5, &links, &without, &err),
              "profiles");
    NULL_CASE(scrm_social_linker_link(linker, contacts, profiles, 0.5, NULL, &without, &err),
              "out");
    NULL_CASE(scrm_social_linker_link(linker, contacts, profiles, 0.5, &links, NULL, &err),
              "contacts_without_consent_out");
    NULL_CASE(scrm_link_social(NULL, profiles, &links, &without, &err), "contacts");
    NULL_CASE(scrm_link_social(contacts, NULL, &links, &without, &err), "profiles");
    NULL_CASE(scrm_link_social(contacts, profiles, NULL, &without, &err), "out");
    NULL_CASE(scrm_link_social(contacts, profiles, &links, NULL, &err),
              "contacts_without_consent_out");
    CHECK(links == SENTINEL && without == 77);

    scrm_string *s = SENTINEL;
    NULL_CASE(scrm_social_linker_explain(NULL, contacts, S("c1"), profiles, S("p1"), 0, &s, &err),
              "linker");
    NULL_CASE(scrm_social_linker_explain(linker, NULL, S("c1"), profiles, S("p1"), 0, &s, &err),
              "contacts");
    NULL_CASE(scrm_social_linker_explain(linker, contacts, NULL, 2, profiles, S("p1"), 0, &s,
                                         &err),
              "contact_id");
    NULL_CASE(scrm_social_linker_explain(linker, contacts, S("c1"), NULL, S("p1"), 0, &s, &err),
              "profiles");
    NULL_CASE(scrm_social_linker_explain(linker, contacts, S("c1"), profiles, NULL, 2, 0, &s,
                                         &err),
              "profile_id");
    NULL_CASE(scrm_social_linker_explain(linker, contacts, S("c1"), profiles, S("p1"), 0, NULL,
                                         &err),
              "out");
    NULL_CASE(scrm_social_linker_assert_must_link(NULL, S("c"), S("p"), &err), "linker");
    NULL_CASE(scrm_social_linker_assert_must_link(l, NULL, 1, S("p"), &err), "contact_id");
    NULL_CASE(scrm_social_linker_assert_must_link(l, S("c"), NULL, 1, &err), "profile_id");
    NULL_CASE(scrm_social_linker_assert_no_link(NULL, S("c"), S("p"), &err), "linker");
    NULL_CASE(scrm_social_linker_assert_no_link(l, NULL, 1, S("p"), &err), "contact_id");
    NULL_CASE(scrm_social_linker_assert_no_link(l, S("c"), NULL, 1, &err), "profile_id");
    NULL_CASE(scrm_social_linker_forget(NULL, contacts, S("c1"), &err), "linker");
    NULL_CASE(scrm_social_linker_forget(l, NULL, S("c1"), &err), "contacts");
    NULL_CASE(scrm_social_linker_forget(l, contacts, NULL, 2, &err), "id");
    NULL_CASE(scrm_social_linker_to_json(NULL, &s, &err), "linker");
    NULL_CASE(scrm_social_linker_to_json(l, NULL, &err), "out");
    CHECK(s == SENTINEL);

    const char *ptr = SENTINEL;
    size_t n = 77;
    NULL_CASE(scrm_social_comparison_name(0, NULL, &n, &err), "ptr_out");
    NULL_CASE(scrm_social_comparison_name(0, &ptr, NULL, &err), "len_out");
    NULL_CASE(scrm_social_level_label(0, 0, NULL, &n, &err), "ptr_out");
    NULL_CASE(scrm_social_level_label(0, 0, &ptr, NULL, &err), "len_out");
    CHECK(ptr == SENTINEL && n == 77);

    scrm_contacts_free(NULL);
    scrm_profiles_free(NULL);
    scrm_social_linker_free(NULL);
    scrm_social_linker_free(l);
#undef NULL_CASE
}

int main(void) {
    setup();
    RUN_TEST(test_link_with_consent);
    RUN_TEST(test_explain);
    RUN_TEST(test_assertions_save_and_forget);
    RUN_TEST(test_config_and_fitting);
    RUN_TEST(test_bad_records);
    RUN_TEST(test_labels);
    RUN_TEST(test_null_pointers);
    teardown();
    HARNESS_END("test_social");
}
