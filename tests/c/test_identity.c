/*
 * Identity matching through the C ABI: records tables, fitting, linking, deduplication,
 * explanations, assertions, saving and loading, the incremental match index, configuration
 * errors, bad input, NULL pointers in every argument, and two threads linking with one
 * fitted matcher.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h> /* NAN, INFINITY, isfinite: macros, no -lm needed */
#include <pthread.h>
#include <stdint.h>

#include "identity_data.h"

/* A sentinel that a function must not write on failure. */
#define SENTINEL ((void *)(uintptr_t)0x5a5a5a5a)

/* CRM, SHOP and a fitted matcher, shared by several tests. */
static scrm_records *crm, *shop;
static scrm_matcher *fitted;

static void setup(void) {
    crm = table_of(CRM, N_CRM);
    shop = table_of(SHOP, N_SHOP);
    fitted = new_matcher();
    CHECK(crm != NULL && shop != NULL && fitted != NULL);
    CHECK_EQ_U(scrm_records_len(crm), N_CRM);
    CHECK_EQ_U(scrm_records_len(shop), N_SHOP);
    scrm_error *err = NULL;
    CHECK(!scrm_matcher_is_fitted(fitted));
    CHECK_STATUS(scrm_matcher_fit(fitted, crm, shop, &err), SCRM_STATUS_OK);
    CHECK(err == NULL);
    CHECK(scrm_matcher_is_fitted(fitted));
    CHECK(!scrm_matcher_is_fitted(NULL));
}

static void teardown(void) {
    scrm_matcher_free(fitted);
    scrm_records_free(crm);
    scrm_records_free(shop);
}

/* The number in an id such as "c12", read within the view (views are not NUL-terminated). */
static int row_of(const char *id, size_t len) {
    int n = 0;
    for (size_t i = 1; i < len; i++) {
        n = n * 10 + (id[i] - '0');
    }
    return n;
}

static void test_link(void) {
    scrm_links *links = NULL;
    scrm_error *err = NULL;
    CHECK_STATUS(scrm_matcher_link(fitted, crm, shop, 0.5, true, &links, &err), SCRM_STATUS_OK);
    CHECK(err == NULL);

    /* every true link is found, with umlauts, date formats, a typo and missing values */
    for (size_t i = 0; i < N_TRUTH; i++) {
        if (!has_pair(links, TRUTH[i][0], TRUTH[i][1])) {
            fprintf(stderr, "missing link %s ~ %s\n", TRUTH[i][0], TRUTH[i][1]);
            CHECK(0);
        }
    }
    /* and nothing else: the strangers s9, s10 and the unmatched c9..c12 stay unlinked */
    CHECK_EQ_U(scrm_links_len(links), N_TRUTH);
    for (size_t i = 0; i < scrm_links_len(links); i++) {
        scrm_link l;
        CHECK_STATUS(scrm_links_get(links, i, &l, &err), SCRM_STATUS_OK);
        CHECK(is_true_pair(&l));
        CHECK(l.match_probability >= 0.5 && l.match_probability <= 1.0);
        CHECK(isfinite(l.match_weight) && l.match_weight > 0.0);
        CHECK(!l.asserted);
        CHECK_EQ_U(l.evidence_count, N_FIELDS);
        for (size_t k = 0; k < l.evidence_count; k++) {
            uint8_t level = 99;
            double weight = NAN;
            CHECK_STATUS(scrm_links_evidence(links, i, k, &level, &weight, &err),
                         SCRM_STATUS_OK);
            CHECK(isfinite(weight));
            const char *label = NULL;
            size_t label_len = 0;
            CHECK_STATUS(scrm_matcher_level_label(fitted, k, level, &label, &label_len, &err),
                         SCRM_STATUS_OK);
            CHECK(label != NULL && label_len > 0);
            if (level == 0) {
                CHECK_VIEW(label, label_len, "missing");
                CHECK(weight == 0.0);
            }
        }
        /* pairs are ordered by the left table's row order */
        if (i > 0) {
            scrm_link prev;
            CHECK_STATUS(scrm_links_get(links, i - 1, &prev, &err), SCRM_STATUS_OK);
            CHECK(row_of(prev.left_id, prev.left_id_len) < row_of(l.left_id, l.left_id_len));
        }
    }
    /* s2 has no date of birth: that comparison is "missing", weight 0 */
    for (size_t i = 0; i < scrm_links_len(links); i++) {
        scrm_link l;
        scrm_links_get(links, i, &l, NULL);
        if (view_eq(l.right_id, l.right_id_len, "s2")) {
            uint8_t level = 99;
            double weight = 1.0;
            CHECK_STATUS(scrm_links_evidence(links, i, 2, &level, &weight, &err), SCRM_STATUS_OK);
            CHECK_EQ_U(level, 0);
            CHECK(weight == 0.0);
        }
    }

    /* out of range */
    scrm_link l = {SENTINEL, 77, SENTINEL, 77, -1.0, -1.0, true, 77};
    CHECK_STATUS(scrm_links_get(links, N_TRUTH, &l, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "8 is out of range, there are 8 links");
    CHECK(l.left_id == SENTINEL && l.evidence_count == 77);
    uint8_t level = 77;
    double weight = -1.0;
    CHECK_STATUS(scrm_links_evidence(links, 0, N_FIELDS, &level, &weight, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "link 0 has 5 comparisons");
    CHECK(level == 77 && weight == -1.0);

    /* field names and level labels */
    for (size_t k = 0; k < N_FIELDS; k++) {
        const char *name = NULL;
        size_t name_len = 0;
        CHECK_STATUS(scrm_matcher_field_name(fitted, k, &name, &name_len, &err), SCRM_STATUS_OK);
        CHECK_VIEW(name, name_len, FIELDS[k]);
    }
    const char *p = SENTINEL;
    size_t n = 77;
    CHECK_STATUS(scrm_matcher_field_name(fitted, N_FIELDS, &p, &n, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "the matcher has 5 fields");
    CHECK_STATUS(scrm_matcher_level_label(fitted, 1, 1, &p, &n, &err), SCRM_STATUS_OK);
    CHECK_VIEW(p, n, "exact");
    CHECK_STATUS(scrm_matcher_level_label(fitted, 0, 200, &p, &n, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "comparison 0 has");
    CHECK_STATUS(scrm_matcher_level_label(fitted, 9, 0, &p, &n, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "the matcher has 5 fields");

    /* blocking figures */
    scrm_blocking_stats stats;
    CHECK_STATUS(scrm_links_stats(links, &stats, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(stats.possible_pairs, N_CRM * N_SHOP);
    CHECK(stats.candidate_pairs >= N_TRUTH && stats.candidate_pairs < stats.possible_pairs);
    CHECK_EQ_U(stats.skipped_pairs, 0);
    CHECK(stats.has_estimated_recall);
    CHECK(stats.estimated_recall > 0.0 && stats.estimated_recall <= 1.0);
    scrm_links_free(links);

    /* without one-to-one, at threshold 0 every candidate pair comes back */
    CHECK_STATUS(scrm_matcher_link(fitted, crm, shop, 0.0, false, &links, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_links_len(links), stats.candidate_pairs);
    for (size_t i = 0; i < scrm_links_len(links); i++) {
        scrm_link x;
        CHECK_STATUS(scrm_links_get(links, i, &x, &err), SCRM_STATUS_OK);
        CHECK(x.match_probability >= 0.0 && x.match_probability <= 1.0);
    }
    scrm_links_free(links);

    /* at threshold 1 only certain pairs remain (possibly none) */
    CHECK_STATUS(scrm_matcher_link(fitted, crm, shop, 1.0, true, &links, &err), SCRM_STATUS_OK);
    CHECK(scrm_links_len(links) <= N_TRUTH);
    scrm_links_free(links);
    CHECK(err == NULL);
}

static void test_explain(void) {
    scrm_string *s = NULL;
    scrm_error *err = NULL;
    CHECK_STATUS(scrm_matcher_explain(fitted, crm, S("c2"), shop, S("s1"),
                                      SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_OK);
    const char *text = scrm_string_ptr(s);
    CHECK(strlen(text) == scrm_string_len(s));
    for (size_t k = 0; k < N_FIELDS; k++) {
        CHECK(strstr(text, FIELDS[k]) != NULL);
    }
    CHECK(strstr(text, "c2 ~ s1") != NULL);
    CHECK(strstr(text, "Müller") != NULL && strstr(text, "Mueller") != NULL);
    CHECK(strstr(text, "02.11.1975") != NULL);
    CHECK(strstr(text, "missing") != NULL); /* s1 has no e-mail address */
    CHECK(strstr(text, "candidate under") != NULL);
    scrm_string_free(s);

    CHECK_STATUS(scrm_matcher_explain(fitted, crm, S("c3"), shop, S("s3"),
                                      SCRM_EXPLAIN_FORMAT_JSON, &s, &err),
                 SCRM_STATUS_OK);
    const char *json = scrm_string_ptr(s);
    CHECK(json[0] == '{');
    CHECK(strstr(json, "\"left_id\":\"c3\"") != NULL);
    CHECK(strstr(json, "\"right_id\":\"s3\"") != NULL);
    for (size_t k = 0; k < N_FIELDS; k++) {
        char key[64];
        snprintf(key, sizeof key, "\"comparison\":\"%s\"", FIELDS[k]);
        CHECK(strstr(json, key) != NULL);
    }
    CHECK(strstr(json, "\"right_value\":\"Schmitt\"") != NULL);
    CHECK(strstr(json, "\"blocking_rules\":[") != NULL);
    CHECK(strstr(json, "\"assertion\":null") != NULL);
    scrm_string_free(s);

    /* a pair that is not linked is explained too */
    CHECK_STATUS(scrm_matcher_explain(fitted, crm, S("c9"), shop, S("s10"),
                                      SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_OK);
    CHECK(strstr(scrm_string_ptr(s), "c9 ~ s10") != NULL);
    scrm_string_free(s);

    s = SENTINEL;
    CHECK_STATUS(scrm_matcher_explain(fitted, crm, S("c2"), shop, S("nobody"),
                                      SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_UNKNOWN_ID);
    CHECK_ERROR(err, SCRM_STATUS_UNKNOWN_ID, "\"nobody\"");
    /* ids are looked up in their own table */
    CHECK_STATUS(scrm_matcher_explain(fitted, crm, S("s1"), shop, S("c2"),
                                      SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_UNKNOWN_ID);
    CHECK_ERROR(err, SCRM_STATUS_UNKNOWN_ID, "\"s1\"");
    CHECK_STATUS(scrm_matcher_explain(fitted, crm, S("c2"), shop, S("s1"), 7, &s, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "SCRM_EXPLAIN_FORMAT_JSON (1)");
    CHECK(s == SENTINEL);
}

static const person DUPES[] = {
    {"d1", "Petra", "Mueller", "02.11.1975", "Köln", NULL},
    {"d2", "Juergen", "Gross", "21/07/1968", NULL, "j.gross@example.de"},
};

static void test_dedupe(void) {
    scrm_records *all = table_of(CRM, N_CRM);
    CHECK(push_people(all, DUPES, 2) == 0);
    scrm_matcher *m = new_matcher();
    scrm_error *err = NULL;
    scrm_links *pairs = SENTINEL;
    scrm_clusters *clusters = SENTINEL;

    /* not fitted yet */
    CHECK_STATUS(scrm_matcher_dedupe(m, all, 0.5, &pairs, &clusters, &err),
                 SCRM_STATUS_NOT_FITTED);
    CHECK_ERROR(err, SCRM_STATUS_NOT_FITTED, "model not ready");
    CHECK(pairs == SENTINEL && clusters == SENTINEL);

    CHECK_STATUS(scrm_matcher_fit_dedupe(m, all, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_matcher_dedupe(m, all, 0.5, &pairs, &clusters, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_links_len(pairs), 2);
    CHECK(has_pair(pairs, "c2", "d1"));
    CHECK(has_pair(pairs, "c4", "d2"));

    CHECK_EQ_U(scrm_clusters_len(clusters), N_CRM + 2);
    for (size_t i = 0; i < scrm_clusters_len(clusters); i++) {
        scrm_cluster_member c;
        CHECK_STATUS(scrm_clusters_get(clusters, i, &c, &err), SCRM_STATUS_OK);
        const char *expected_id = i < N_CRM ? CRM[i].id : DUPES[i - N_CRM].id;
        CHECK_VIEW(c.id, c.id_len, expected_id);
        if (i == N_CRM) {
            CHECK_VIEW(c.cluster_id, c.cluster_id_len, "c2");
        } else if (i == N_CRM + 1) {
            CHECK_VIEW(c.cluster_id, c.cluster_id_len, "c4");
        } else {
            CHECK_VIEW(c.cluster_id, c.cluster_id_len, expected_id); /* a cluster of its own */
        }
    }
    scrm_cluster_member c = {SENTINEL, 77, SENTINEL, 77};
    CHECK_STATUS(scrm_clusters_get(clusters, N_CRM + 2, &c, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "out of range");
    CHECK(c.id == SENTINEL && c.id_len == 77);
    scrm_blocking_stats stats;
    CHECK_STATUS(scrm_links_stats(pairs, &stats, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(stats.possible_pairs, (N_CRM + 2) * (N_CRM + 1) / 2);
    scrm_links_free(pairs);
    scrm_clusters_free(clusters);

    /* a no-link assertion splits a cluster (in either order of the ids) */
    CHECK_STATUS(scrm_matcher_assert_no_link(m, S("d1"), S("c2"), &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_matcher_dedupe(m, all, 0.5, &pairs, &clusters, &err), SCRM_STATUS_OK);
    CHECK(!has_pair(pairs, "c2", "d1"));
    CHECK_STATUS(scrm_clusters_get(clusters, N_CRM, &c, &err), SCRM_STATUS_OK);
    CHECK_VIEW(c.cluster_id, c.cluster_id_len, "d1");
    scrm_links_free(pairs);
    scrm_clusters_free(clusters);

    /* explaining a deduplication pair: the same table on both sides */
    scrm_string *s = NULL;
    CHECK_STATUS(scrm_matcher_explain(m, all, S("d1"), all, S("c2"), SCRM_EXPLAIN_FORMAT_TEXT,
                                      &s, &err),
                 SCRM_STATUS_OK);
    CHECK(strstr(scrm_string_ptr(s), "d1 ~ c2") != NULL);
    CHECK(strstr(scrm_string_ptr(s), "assertion: no_link") != NULL);
    scrm_string_free(s);

    scrm_matcher_free(m);
    scrm_records_free(all);
    CHECK(err == NULL);
}

/* The pairs and probabilities of a link result, for comparing two runs. */
static int same_links(const scrm_links *a, const scrm_links *b) {
    if (scrm_links_len(a) != scrm_links_len(b)) {
        return 0;
    }
    for (size_t i = 0; i < scrm_links_len(a); i++) {
        scrm_link x, y;
        scrm_links_get(a, i, &x, NULL);
        scrm_links_get(b, i, &y, NULL);
        if (x.left_id_len != y.left_id_len || memcmp(x.left_id, y.left_id, x.left_id_len) != 0 ||
            x.right_id_len != y.right_id_len ||
            memcmp(x.right_id, y.right_id, x.right_id_len) != 0 ||
            x.match_probability != y.match_probability || x.match_weight != y.match_weight ||
            x.asserted != y.asserted) {
            return 0;
        }
    }
    return 1;
}

static void test_save_and_load(void) {
    scrm_error *err = NULL;
    scrm_string *json = NULL;
    CHECK_STATUS(scrm_matcher_to_json(fitted, &json, &err), SCRM_STATUS_OK);
    const char *text = scrm_string_ptr(json);
    size_t len = scrm_string_len(json);
    CHECK(strstr(text, "\"format\":\"socialcrm.matcher\"") != NULL);
    CHECK(strstr(text, "\"version\":1") != NULL);

    /* from a buffer of exactly its length (not NUL-terminated) */
    char *copy = exact_copy(text, len);
    scrm_matcher *loaded = NULL;
    CHECK_STATUS(scrm_matcher_from_json(copy, len, &loaded, &err), SCRM_STATUS_OK);
    CHECK(scrm_matcher_is_fitted(loaded));
    free(copy);
    scrm_links *before = NULL, *after = NULL;
    CHECK_STATUS(scrm_matcher_link(fitted, crm, shop, 0.5, true, &before, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_matcher_link(loaded, crm, shop, 0.5, true, &after, &err), SCRM_STATUS_OK);
    CHECK(scrm_links_len(before) == N_TRUTH);
    CHECK(same_links(before, after));
    scrm_links_free(before);
    scrm_links_free(after);
    /* saving the loaded matcher gives the same document */
    scrm_string *again = NULL;
    CHECK_STATUS(scrm_matcher_to_json(loaded, &again, &err), SCRM_STATUS_OK);
    CHECK(scrm_string_len(again) == len && memcmp(scrm_string_ptr(again), text, len) == 0);
    scrm_string_free(again);
    scrm_matcher_free(loaded);

    /* corrupt documents */
    scrm_matcher *m = SENTINEL;
    CHECK_STATUS(scrm_matcher_from_json(text, len / 2, &m, &err), SCRM_STATUS_MODEL);
    CHECK_ERROR(err, SCRM_STATUS_MODEL, "cannot load model");
    CHECK_STATUS(scrm_matcher_from_json(S("{"), &m, &err), SCRM_STATUS_MODEL);
    CHECK_ERROR(err, SCRM_STATUS_MODEL, "not valid JSON");
    CHECK_STATUS(scrm_matcher_from_json(NULL, 0, &m, &err), SCRM_STATUS_MODEL);
    CHECK_ERROR(err, SCRM_STATUS_MODEL, "not valid JSON");
    CHECK_STATUS(scrm_matcher_from_json(S("{\"format\":\"socialcrm.matcher\"}"), &m, &err),
                 SCRM_STATUS_MODEL);
    CHECK_ERROR(err, SCRM_STATUS_MODEL, "version");
    char *other = replace_first(text, "socialcrm.matcher", "something.else");
    CHECK_STATUS(scrm_matcher_from_json(other, strlen(other), &m, &err), SCRM_STATUS_MODEL);
    CHECK_ERROR(err, SCRM_STATUS_MODEL, "something.else");
    free(other);
    /* a matcher saved as a configuration is not a saved matcher */
    CHECK_STATUS(scrm_matcher_from_json(CONFIG, sizeof CONFIG - 1, &m, &err), SCRM_STATUS_MODEL);
    CHECK_ERROR(err, SCRM_STATUS_MODEL, "format");
    /* written by a newer socialcrm */
    char *newer = replace_first(text, "\"version\":1", "\"version\":2");
    CHECK(strstr(newer, "\"version\":2") != NULL);
    CHECK_STATUS(scrm_matcher_from_json(newer, strlen(newer), &m, &err), SCRM_STATUS_MODEL);
    CHECK_ERROR(err, SCRM_STATUS_MODEL, "newer");
    free(newer);
    CHECK(m == SENTINEL);
    /* invalid UTF-8 is reported as such, before any parsing */
    CHECK_STATUS(scrm_matcher_from_json(S("{\"a\xff\":1}"), &m, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `json`: invalid UTF-8 at byte 3");
    scrm_string_free(json);

    /* an unfitted matcher saves its configuration, and loads as unfitted */
    scrm_matcher *fresh = new_matcher();
    CHECK_STATUS(scrm_matcher_to_json(fresh, &json, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_matcher_from_json(scrm_string_ptr(json), scrm_string_len(json), &m, &err),
                 SCRM_STATUS_OK);
    CHECK(!scrm_matcher_is_fitted(m));
    scrm_links *links = SENTINEL;
    CHECK_STATUS(scrm_matcher_link(m, crm, shop, 0.5, true, &links, &err),
                 SCRM_STATUS_NOT_FITTED);
    CHECK_ERROR(err, SCRM_STATUS_NOT_FITTED, "model not ready");
    CHECK(links == SENTINEL);
    scrm_matcher_free(m);
    scrm_matcher_free(fresh);
    scrm_string_free(json);
}

static void test_assertions_and_forget(void) {
    scrm_error *err = NULL;
    scrm_string *json = NULL;
    CHECK_STATUS(scrm_matcher_to_json(fitted, &json, &err), SCRM_STATUS_OK);
    scrm_matcher *m = NULL;
    CHECK_STATUS(scrm_matcher_from_json(scrm_string_ptr(json), scrm_string_len(json), &m, &err),
                 SCRM_STATUS_OK);
    scrm_string_free(json);

    CHECK_STATUS(scrm_matcher_assert_no_link(m, S("c2"), S("s1"), &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_matcher_assert_must_link(m, S("c9"), S("s9"), &err), SCRM_STATUS_OK);
    scrm_links *links = NULL;
    CHECK_STATUS(scrm_matcher_link(m, crm, shop, 0.5, true, &links, &err), SCRM_STATUS_OK);
    CHECK(!has_pair(links, "c2", "s1"));
    CHECK(has_pair(links, "c9", "s9"));
    for (size_t i = 0; i < scrm_links_len(links); i++) {
        scrm_link l;
        scrm_links_get(links, i, &l, NULL);
        if (view_eq(l.left_id, l.left_id_len, "c9")) {
            CHECK(l.asserted);
            CHECK(l.match_probability == 1.0);
            CHECK(isfinite(l.match_weight));
        } else {
            CHECK(!l.asserted);
        }
    }
    scrm_links_free(links);

    scrm_string *s = NULL;
    CHECK_STATUS(scrm_matcher_explain(m, crm, S("c9"), shop, S("s9"), SCRM_EXPLAIN_FORMAT_JSON,
                                      &s, &err),
                 SCRM_STATUS_OK);
    CHECK(strstr(scrm_string_ptr(s), "\"assertion\":\"must_link\"") != NULL);
    scrm_string_free(s);

    /* assertions are saved */
    CHECK_STATUS(scrm_matcher_to_json(m, &json, &err), SCRM_STATUS_OK);
    CHECK(strstr(scrm_string_ptr(json), "\"c9\"") != NULL);
    scrm_string_free(json);

    /* a must-link replaces a no-link on the same pair */
    CHECK_STATUS(scrm_matcher_assert_must_link(m, S("c2"), S("s1"), &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_matcher_link(m, crm, shop, 0.5, true, &links, &err), SCRM_STATUS_OK);
    CHECK(has_pair(links, "c2", "s1"));
    scrm_links_free(links);

    /* freeing the fit's kept comparisons changes no result: link compares afresh */
    CHECK_STATUS(scrm_matcher_link(m, crm, shop, 0.5, true, &links, &err), SCRM_STATUS_OK);
    size_t before = scrm_links_len(links);
    scrm_links_free(links);
    CHECK_STATUS(scrm_matcher_clear_cache(m, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_matcher_link(m, crm, shop, 0.5, true, &links, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_links_len(links), before);
    CHECK(has_pair(links, "c2", "s1"));
    scrm_links_free(links);

    /* forgetting c9 removes its assertions and its values; the id vanishes from the save */
    CHECK_STATUS(scrm_matcher_forget(m, crm, S("c9"), &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_matcher_link(m, crm, shop, 0.5, true, &links, &err), SCRM_STATUS_OK);
    CHECK(!has_pair(links, "c9", "s9"));
    scrm_links_free(links);
    CHECK_STATUS(scrm_matcher_to_json(m, &json, &err), SCRM_STATUS_OK);
    CHECK(strstr(scrm_string_ptr(json), "\"c9\"") == NULL);
    CHECK(strstr(scrm_string_ptr(json), "julia") == NULL); /* term frequencies */
    scrm_string_free(json);
    /* an unknown id only loses its (absent) assertions */
    CHECK_STATUS(scrm_matcher_forget(m, crm, S("nobody"), &err), SCRM_STATUS_OK);

    /* a failed forget changes nothing: the table lacks the matcher's columns */
    scrm_str one = str_of("x");
    scrm_records *narrow = NULL;
    CHECK_STATUS(scrm_records_new(&one, 1, &narrow, &err), SCRM_STATUS_OK);
    scrm_str v = str_of("1");
    CHECK_STATUS(scrm_records_push(narrow, S("c2"), &v, 1, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_matcher_forget(m, narrow, S("c2"), &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "first_name");
    CHECK_STATUS(scrm_matcher_link(m, crm, shop, 0.5, true, &links, &err), SCRM_STATUS_OK);
    CHECK(has_pair(links, "c2", "s1")); /* the must-link on c2 survived */
    scrm_links_free(links);
    scrm_records_free(narrow);

    scrm_matcher_free(m);
    CHECK(err == NULL);
}

static void test_match_index(void) {
    scrm_error *err = NULL;
    scrm_records *all = table_of(CRM, N_CRM);
    CHECK(push_people(all, DUPES, 2) == 0);
    scrm_matcher *m = new_matcher();
    CHECK_STATUS(scrm_matcher_fit_dedupe(m, all, &err), SCRM_STATUS_OK);

    scrm_match_index *index = NULL;
    CHECK_STATUS(scrm_match_index_new(m, crm, 0.5, &index, &err), SCRM_STATUS_OK);
    /* the index keeps its own copy of the matcher */
    scrm_matcher_free(m);
    CHECK_EQ_U(scrm_match_index_len(index), N_CRM);

    /* cluster ids of the known records, remembered to check they never change */
    char before[N_CRM][16];
    for (size_t i = 0; i < N_CRM; i++) {
        scrm_string *cid = NULL;
        CHECK_STATUS(scrm_match_index_cluster_of(index, CRM[i].id, strlen(CRM[i].id), &cid,
                                                 &err),
                     SCRM_STATUS_OK);
        snprintf(before[i], sizeof before[i], "%s", cid ? scrm_string_ptr(cid) : "");
        CHECK(before[i][0] == 'k');
        for (size_t j = 0; j < i; j++) {
            CHECK(strcmp(before[i], before[j]) != 0); /* no duplicates among CRM */
        }
        scrm_string_free(cid);
    }

    /* a returning customer joins her cluster; a stranger founds a new one */
    static const person arrivals[] = {
        {"n1", "Petra", "Mueller", "2.11.1975", NULL, "petra.mueller@example.de"},
        {"n2", "Hannah", "Richter", "1993-03-03", "Kiel", NULL},
        {"n3", "Hannah", "Richter", "03.03.1993", NULL, "hannah.richter@example.de"},
    };
    scrm_records *add = table_of(arrivals, 3);
    scrm_assignments *assigned = NULL;
    CHECK_STATUS(scrm_match_index_add(index, add, &assigned, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_assignments_len(assigned), 3);
    CHECK_EQ_U(scrm_match_index_len(index), N_CRM + 3);
    scrm_assignment a;
    CHECK_STATUS(scrm_assignments_get(assigned, 0, &a, &err), SCRM_STATUS_OK);
    CHECK_VIEW(a.id, a.id_len, "n1");
    CHECK_VIEW(a.cluster_id, a.cluster_id_len, before[1]); /* c2's cluster */
    CHECK_VIEW(a.matched_id, a.matched_id_len, "c2");
    CHECK(!a.new_cluster);
    CHECK(a.match_probability >= 0.5 && a.match_probability <= 1.0);
    CHECK_STATUS(scrm_assignments_get(assigned, 1, &a, &err), SCRM_STATUS_OK);
    CHECK_VIEW(a.id, a.id_len, "n2");
    CHECK(a.new_cluster);
    CHECK(a.matched_id == NULL && a.matched_id_len == 0);
    CHECK(a.match_probability >= 0.0 && a.match_probability < 0.5);
    char stranger[16];
    snprintf(stranger, sizeof stranger, "%.*s", (int)a.cluster_id_len, a.cluster_id);
    for (size_t i = 0; i < N_CRM; i++) {
        CHECK(strcmp(stranger, before[i]) != 0);
    }
    /* n3 matches n2, added earlier in the same call */
    CHECK_STATUS(scrm_assignments_get(assigned, 2, &a, &err), SCRM_STATUS_OK);
    CHECK_VIEW(a.cluster_id, a.cluster_id_len, stranger);
    CHECK_VIEW(a.matched_id, a.matched_id_len, "n2");
    scrm_assignment sentinel = {SENTINEL, 77, SENTINEL, 77, SENTINEL, 77, -1.0, true};
    CHECK_STATUS(scrm_assignments_get(assigned, 3, &sentinel, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "3 is out of range, there are 3 assignments");
    CHECK(sentinel.id == SENTINEL && sentinel.id_len == 77);
    scrm_assignments_free(assigned);

    /* adding a known id again is refused, and nothing is added */
    scrm_assignments *again = SENTINEL;
    CHECK_STATUS(scrm_match_index_add(index, add, &again, &err), SCRM_STATUS_DUPLICATE_ID);
    CHECK_ERROR(err, SCRM_STATUS_DUPLICATE_ID, "\"n1\"");
    CHECK(again == SENTINEL);
    CHECK_EQ_U(scrm_match_index_len(index), N_CRM + 3);
    scrm_records_free(add);

    /* a table with other columns is refused */
    scrm_str one = str_of("first_name");
    scrm_records *narrow = NULL;
    CHECK_STATUS(scrm_records_new(&one, 1, &narrow, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_match_index_add(index, narrow, &again, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "last_name");
    scrm_records_free(narrow);

    /* erasing c1: gone, the others keep their cluster ids */
    bool removed = false;
    CHECK_STATUS(scrm_match_index_remove(index, S("c1"), &removed, &err), SCRM_STATUS_OK);
    CHECK(removed);
    CHECK_EQ_U(scrm_match_index_len(index), N_CRM + 2);
    scrm_string *cid = SENTINEL;
    CHECK_STATUS(scrm_match_index_cluster_of(index, S("c1"), &cid, &err), SCRM_STATUS_UNKNOWN_ID);
    CHECK_ERROR(err, SCRM_STATUS_UNKNOWN_ID, "\"c1\"");
    CHECK(cid == SENTINEL);
    for (size_t i = 1; i < N_CRM; i++) {
        CHECK_STATUS(scrm_match_index_cluster_of(index, CRM[i].id, strlen(CRM[i].id), &cid,
                                                 &err),
                     SCRM_STATUS_OK);
        CHECK(strcmp(scrm_string_ptr(cid), before[i]) == 0);
        scrm_string_free(cid);
    }
    CHECK_STATUS(scrm_match_index_cluster_of(index, S("n1"), &cid, &err), SCRM_STATUS_OK);
    CHECK(strcmp(scrm_string_ptr(cid), before[1]) == 0);
    scrm_string_free(cid);
    removed = true;
    CHECK_STATUS(scrm_match_index_remove(index, S("c1"), &removed, &err), SCRM_STATUS_OK);
    CHECK(!removed);

    /* a record added after the removal gets a new cluster id, never a reused one */
    static const person later[] = {{"n4", "Jan", "de Vries", "1982-03-14", "Utrecht", NULL}};
    add = table_of(later, 1);
    CHECK_STATUS(scrm_match_index_add(index, add, &assigned, &err), SCRM_STATUS_OK);
    CHECK_STATUS(scrm_assignments_get(assigned, 0, &a, &err), SCRM_STATUS_OK);
    CHECK(a.new_cluster);
    CHECK(!view_eq(a.cluster_id, a.cluster_id_len, before[0]));
    CHECK(!view_eq(a.cluster_id, a.cluster_id_len, stranger));
    scrm_assignments_free(assigned);
    scrm_records_free(add);

    /* an empty start */
    scrm_records *empty = table_of(NULL, 0);
    scrm_match_index *fresh = SENTINEL;
    scrm_matcher *m2 = new_matcher();
    CHECK_STATUS(scrm_match_index_new(m2, empty, 0.5, &fresh, &err), SCRM_STATUS_NOT_FITTED);
    CHECK_ERROR(err, SCRM_STATUS_NOT_FITTED, "model not ready");
    CHECK(fresh == SENTINEL);
    CHECK_STATUS(scrm_match_index_new(fitted, empty, 0.5, &fresh, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_match_index_len(fresh), 0);
    scrm_match_index_free(fresh);
    scrm_matcher_free(m2);
    scrm_records_free(empty);

    scrm_match_index_free(index);
    scrm_records_free(all);
    CHECK(err == NULL);
}

static void test_config_errors(void) {
    scrm_matcher *m = SENTINEL;
    scrm_error *err = NULL;

    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"x\", \"kind\": \"colour\"}]}"), &m,
                                  &err),
                 SCRM_STATUS_UNKNOWN_FIELD_KIND);
    CHECK(err != NULL && strstr(scrm_error_message(err), "\"colour\"") != NULL);
    CHECK_ERROR(err, SCRM_STATUS_UNKNOWN_FIELD_KIND,
                "name, text, exact, date, email, phone, postcode, handle, url, number");

    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"x\", \"kind\": \"name\"}"), &m,
                                  &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK(err != NULL && strstr(scrm_error_message(err), "not valid JSON") != NULL);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "line 1 column");
    CHECK_STATUS(scrm_matcher_new(NULL, 0, &m, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "EOF");
    CHECK_STATUS(scrm_matcher_new(S("[]"), &m, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "must be a JSON object");
    CHECK_STATUS(scrm_matcher_new(S("{}"), &m, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "at least one field");
    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"x\", \"kind\": \"name\"}],"
                                    " \"blockng\": []}"),
                                  &m, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "unknown key \"blockng\"");
    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"x\"}]}"), &m, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "missing field `kind`");
    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"x\", \"kind\": \"name\"}],"
                                    " \"blocking\": [\"y:phonetic\"]}"),
                                  &m, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "\"y\"");
    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"x\", \"kind\": \"text\"}],"
                                    " \"blocking\": [\"x:soundex\"]}"),
                                  &m, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "soundex");
    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"x\", \"kind\": \"text\"}],"
                                    " \"blocking\": [\"x:phonetic\"]}"),
                                  &m, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "phonetic");
    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"x\", \"kind\": \"text\"}],"
                                    " \"max_cluster_size\": \"many\"}"),
                                  &m, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "invalid type");
    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"x\", \"kind\": \"text\"}],"
                                    " \"prior\": 1.5}"),
                                  &m, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "prior");
    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"x\", \"kind\": \"text\"},"
                                    " {\"name\": \"x\", \"kind\": \"date\"}]}"),
                                  &m, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "listed twice");
    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"\xc3\", \"kind\": \"text\"}]}"),
                                  &m, &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `config_json`: invalid UTF-8 at byte 22");
    CHECK(m == SENTINEL);

    /* the configuration is used as given: a table without a configured column is refused */
    CHECK_STATUS(scrm_matcher_new(S("{\"fields\": [{\"name\": \"phone\", \"kind\": \"PHONE\"}],"
                                    " \"default_country\": \"DE\", \"seed\": 7}"),
                                  &m, &err),
                 SCRM_STATUS_OK);
    CHECK_STATUS(scrm_matcher_fit(m, crm, shop, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "\"phone\"");
    scrm_matcher_free(m);
}

static void test_bad_input(void) {
    scrm_error *err = NULL;
    scrm_records *t = table_of(CRM, 2);

    /* duplicate ids are refused at the push, naming the id */
    scrm_str values[N_FIELDS] = {str_of("Anna"), str_of(NULL), str_of(NULL), str_of(NULL),
                                 str_of(NULL)};
    CHECK_STATUS(scrm_records_push(t, S("c2"), values, N_FIELDS, &err), SCRM_STATUS_DUPLICATE_ID);
    CHECK_ERROR(err, SCRM_STATUS_DUPLICATE_ID, "duplicate id \"c2\" in records");
    CHECK_EQ_U(scrm_records_len(t), 2);

    /* the wrong number of values */
    CHECK_STATUS(scrm_records_push(t, S("c3"), values, N_FIELDS - 1, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "a row needs 5 values");
    CHECK_STATUS(scrm_records_push(t, S("c3"), NULL, 0, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "got 0");

    /* invalid UTF-8 in an id and in a value, in buffers of exactly their length */
    char *bad_id = exact_copy("c\xe2\x82", 3);
    CHECK_STATUS(scrm_records_push(t, bad_id, 3, values, N_FIELDS, &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `id`: invalid UTF-8 at byte 1");
    char *bad_value = exact_copy("M\xc3\xbcller\xff", 8);
    values[1] = (scrm_str){bad_value, 8};
    CHECK_STATUS(scrm_records_push(t, S("c3"), values, N_FIELDS, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `values[1]`: invalid UTF-8 at byte 7");
    values[1] = (scrm_str){NULL, 4};
    CHECK_STATUS(scrm_records_push(t, S("c3"), values, N_FIELDS, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "argument `values[1]` is NULL but its length is 4");
    CHECK_EQ_U(scrm_records_len(t), 2);
    free(bad_id);
    free(bad_value);

    /* an empty string is a value (treated as missing when matching); NULL with 0 is missing */
    values[1] = (scrm_str){"", 0};
    values[2] = (scrm_str){NULL, 0};
    CHECK_STATUS(scrm_records_push(t, S("c3"), values, N_FIELDS, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_records_len(t), 3);

    /* field names: required, distinct, UTF-8 */
    scrm_records *r = SENTINEL;
    scrm_str names[2] = {str_of("a"), str_of("a")};
    CHECK_STATUS(scrm_records_new(names, 2, &r, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "\"a\" is listed twice");
    names[1] = (scrm_str){NULL, 0};
    CHECK_STATUS(scrm_records_new(names, 2, &r, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "argument `field_names[1]` is NULL");
    names[1] = (scrm_str){"b\xfe", 2};
    CHECK_STATUS(scrm_records_new(names, 2, &r, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `field_names[1]`: invalid UTF-8 at byte 1");
    CHECK(r == SENTINEL);

    /* thresholds: NaN and out of range */
    scrm_links *links = SENTINEL;
    scrm_clusters *clusters = SENTINEL;
    scrm_match_index *index = SENTINEL;
    const double bad_thresholds[] = {NAN, -0.1, 1.5, INFINITY};
    for (size_t i = 0; i < sizeof bad_thresholds / sizeof bad_thresholds[0]; i++) {
        double th = bad_thresholds[i];
        CHECK_STATUS(scrm_matcher_link(fitted, crm, shop, th, true, &links, &err),
                     SCRM_STATUS_INVALID_ARGUMENT);
        CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "threshold");
        CHECK_STATUS(scrm_matcher_dedupe(fitted, crm, th, &links, &clusters, &err),
                     SCRM_STATUS_INVALID_ARGUMENT);
        CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "threshold");
        CHECK_STATUS(scrm_match_index_new(fitted, crm, th, &index, &err),
                     SCRM_STATUS_INVALID_ARGUMENT);
        CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "threshold");
    }
    CHECK(links == SENTINEL && clusters == SENTINEL && index == SENTINEL);

    /* invalid UTF-8 in ids of explain, assertions, forget, the index */
    scrm_string *s = SENTINEL;
    CHECK_STATUS(scrm_matcher_explain(fitted, crm, S("c\xff"), shop, S("s1"),
                                      SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `left_id`: invalid UTF-8 at byte 1");
    CHECK_STATUS(scrm_matcher_explain(fitted, crm, S("c1"), shop, S("\x80"),
                                      SCRM_EXPLAIN_FORMAT_TEXT, &s, &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `right_id`: invalid UTF-8 at byte 0");
    CHECK(s == SENTINEL);
    scrm_matcher *m = new_matcher();
    CHECK_STATUS(scrm_matcher_assert_must_link(m, S("ok"), S("n\xc3"), &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `right_id`");
    CHECK_STATUS(scrm_matcher_assert_no_link(m, S("\xc3"), S("ok"), &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `left_id`");
    CHECK_STATUS(scrm_matcher_forget(m, crm, S("x\xff"), &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `id`: invalid UTF-8 at byte 1");
    CHECK_STATUS(scrm_match_index_new(fitted, crm, 0.5, &index, &err), SCRM_STATUS_OK);
    bool removed = true;
    CHECK_STATUS(scrm_match_index_remove(index, S("\xff"), &removed, &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `id`");
    CHECK(removed);
    CHECK_STATUS(scrm_match_index_cluster_of(index, S("\xff"), &s, &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `id`");
    scrm_match_index_free(index);

    /* not fitted */
    CHECK_STATUS(scrm_matcher_explain(m, crm, S("c1"), shop, S("s1"), SCRM_EXPLAIN_FORMAT_TEXT,
                                      &s, &err),
                 SCRM_STATUS_NOT_FITTED);
    CHECK_ERROR(err, SCRM_STATUS_NOT_FITTED, "model not ready");
    scrm_matcher_free(m);
    scrm_records_free(t);
}

static void test_jaro_winkler(void) {
    scrm_error *err = NULL;
    double x = -1.0;
    CHECK_STATUS(scrm_jaro_winkler(S("MARTHA"), S("MARHTA"), &x, &err), SCRM_STATUS_OK);
    CHECK(x > 0.9601 && x < 0.9621);
    CHECK_STATUS(scrm_jaro_winkler(S("Müller"), S("Müller"), &x, &err), SCRM_STATUS_OK);
    CHECK(x == 1.0);
    CHECK_STATUS(scrm_jaro_winkler(S("abc"), S("xyz"), &x, &err), SCRM_STATUS_OK);
    CHECK(x == 0.0);
    CHECK_STATUS(scrm_jaro_winkler(S("Jonathan"), S("Jonathon"), &x, &err), SCRM_STATUS_OK);
    CHECK(x > 0.9 && x < 1.0);
    x = -1.0;
    CHECK_STATUS(scrm_jaro_winkler(S("ok"), S("M\xc3"), &x, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `b`: invalid UTF-8 at byte 1");
    CHECK_STATUS(scrm_jaro_winkler(NULL, 2, S("x"), &x, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`a`");
    CHECK_STATUS(scrm_jaro_winkler(S("x"), S("x"), NULL, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`out`");
    CHECK(x == -1.0);
}

/* Every pointer argument of every identity function, one NULL at a time. */
static void test_null_pointers(void) {
    scrm_error *err = NULL;
    scrm_str name = str_of("first_name");
    scrm_str values[N_FIELDS] = {str_of("x"), str_of(NULL), str_of(NULL), str_of(NULL),
                                 str_of(NULL)};

#define NULL_CASE(call, argument)                                                    \
    do {                                                                             \
        CHECK_STATUS((call), SCRM_STATUS_NULL_POINTER);                              \
        CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`" argument "`");                \
    } while (0)

    /* records */
    scrm_records *r = SENTINEL;
    NULL_CASE(scrm_records_new(&name, 1, NULL, &err), "out");
    NULL_CASE(scrm_records_new(NULL, 1, &r, &err), "field_names");
    CHECK(r == SENTINEL);
    r = table_of(CRM, 1);
    NULL_CASE(scrm_records_push(NULL, S("z"), values, N_FIELDS, &err), "records");
    NULL_CASE(scrm_records_push(r, NULL, 1, values, N_FIELDS, &err), "id");
    NULL_CASE(scrm_records_push(r, S("z"), NULL, N_FIELDS, &err), "values");
    CHECK_EQ_U(scrm_records_len(r), 1);
    CHECK_EQ_U(scrm_records_len(NULL), 0);

    /* matcher */
    scrm_matcher *m = SENTINEL;
    NULL_CASE(scrm_matcher_new(CONFIG, sizeof CONFIG - 1, NULL, &err), "out");
    NULL_CASE(scrm_matcher_new(NULL, 5, &m, &err), "config_json");
    NULL_CASE(scrm_matcher_from_json(S("{}"), NULL, &err), "out");
    NULL_CASE(scrm_matcher_from_json(NULL, 5, &m, &err), "json");
    CHECK(m == SENTINEL);
    m = new_matcher();
    NULL_CASE(scrm_matcher_fit(NULL, crm, shop, &err), "matcher");
    NULL_CASE(scrm_matcher_fit(m, NULL, shop, &err), "left");
    NULL_CASE(scrm_matcher_fit(m, crm, NULL, &err), "right");
    NULL_CASE(scrm_matcher_fit_dedupe(NULL, crm, &err), "matcher");
    NULL_CASE(scrm_matcher_fit_dedupe(m, NULL, &err), "records");

    scrm_links *links = SENTINEL;
    scrm_clusters *clusters = SENTINEL;
    NULL_CASE(scrm_matcher_link(NULL, crm, shop, 0.5, true, &links, &err), "matcher");
    NULL_CASE(scrm_matcher_link(fitted, NULL, shop, 0.5, true, &links, &err), "left");
    NULL_CASE(scrm_matcher_link(fitted, crm, NULL, 0.5, true, &links, &err), "right");
    NULL_CASE(scrm_matcher_link(fitted, crm, shop, 0.5, true, NULL, &err), "out");
    NULL_CASE(scrm_matcher_dedupe(NULL, crm, 0.5, &links, &clusters, &err), "matcher");
    NULL_CASE(scrm_matcher_dedupe(fitted, NULL, 0.5, &links, &clusters, &err), "records");
    NULL_CASE(scrm_matcher_dedupe(fitted, crm, 0.5, NULL, &clusters, &err), "pairs_out");
    NULL_CASE(scrm_matcher_dedupe(fitted, crm, 0.5, &links, NULL, &err), "clusters_out");
    CHECK(links == SENTINEL && clusters == SENTINEL);

    scrm_string *s = SENTINEL;
    NULL_CASE(scrm_matcher_explain(NULL, crm, S("c1"), shop, S("s2"), 0, &s, &err), "matcher");
    NULL_CASE(scrm_matcher_explain(fitted, NULL, S("c1"), shop, S("s2"), 0, &s, &err), "left");
    NULL_CASE(scrm_matcher_explain(fitted, crm, NULL, 2, shop, S("s2"), 0, &s, &err), "left_id");
    NULL_CASE(scrm_matcher_explain(fitted, crm, S("c1"), NULL, S("s2"), 0, &s, &err), "right");
    NULL_CASE(scrm_matcher_explain(fitted, crm, S("c1"), shop, NULL, 2, 0, &s, &err),
              "right_id");
    NULL_CASE(scrm_matcher_explain(fitted, crm, S("c1"), shop, S("s2"), 0, NULL, &err), "out");
    /* NULL with length 0 is the empty id: not in the table */
    CHECK_STATUS(scrm_matcher_explain(fitted, crm, NULL, 0, shop, S("s2"), 0, &s, &err),
                 SCRM_STATUS_UNKNOWN_ID);
    CHECK_ERROR(err, SCRM_STATUS_UNKNOWN_ID, "\"\"");

    NULL_CASE(scrm_matcher_assert_must_link(NULL, S("a"), S("b"), &err), "matcher");
    NULL_CASE(scrm_matcher_assert_must_link(m, NULL, 1, S("b"), &err), "left_id");
    NULL_CASE(scrm_matcher_assert_must_link(m, S("a"), NULL, 1, &err), "right_id");
    NULL_CASE(scrm_matcher_assert_no_link(NULL, S("a"), S("b"), &err), "matcher");
    NULL_CASE(scrm_matcher_assert_no_link(m, NULL, 1, S("b"), &err), "left_id");
    NULL_CASE(scrm_matcher_assert_no_link(m, S("a"), NULL, 1, &err), "right_id");
    NULL_CASE(scrm_matcher_clear_cache(NULL, &err), "matcher");
    NULL_CASE(scrm_matcher_forget(NULL, crm, S("c1"), &err), "matcher");
    NULL_CASE(scrm_matcher_forget(m, NULL, S("c1"), &err), "records");
    NULL_CASE(scrm_matcher_forget(m, crm, NULL, 2, &err), "id");
    NULL_CASE(scrm_matcher_to_json(NULL, &s, &err), "matcher");
    NULL_CASE(scrm_matcher_to_json(m, NULL, &err), "out");
    CHECK(s == SENTINEL);

    const char *p = SENTINEL;
    size_t n = 77;
    NULL_CASE(scrm_matcher_field_name(NULL, 0, &p, &n, &err), "matcher");
    NULL_CASE(scrm_matcher_field_name(m, 0, NULL, &n, &err), "ptr_out");
    NULL_CASE(scrm_matcher_field_name(m, 0, &p, NULL, &err), "len_out");
    NULL_CASE(scrm_matcher_level_label(NULL, 0, 0, &p, &n, &err), "matcher");
    NULL_CASE(scrm_matcher_level_label(m, 0, 0, NULL, &n, &err), "ptr_out");
    NULL_CASE(scrm_matcher_level_label(m, 0, 0, &p, NULL, &err), "len_out");
    CHECK(p == SENTINEL && n == 77);

    /* results */
    CHECK_STATUS(scrm_matcher_dedupe(fitted, crm, 0.5, &links, &clusters, &err), SCRM_STATUS_OK);
    scrm_link link;
    uint8_t level;
    double weight;
    scrm_blocking_stats stats;
    scrm_cluster_member member;
    NULL_CASE(scrm_links_get(NULL, 0, &link, &err), "links");
    NULL_CASE(scrm_links_get(links, 0, NULL, &err), "out");
    NULL_CASE(scrm_links_evidence(NULL, 0, 0, &level, &weight, &err), "links");
    NULL_CASE(scrm_links_evidence(links, 0, 0, NULL, &weight, &err), "level_out");
    NULL_CASE(scrm_links_evidence(links, 0, 0, &level, NULL, &err), "weight_out");
    NULL_CASE(scrm_links_stats(NULL, &stats, &err), "links");
    NULL_CASE(scrm_links_stats(links, NULL, &err), "out");
    NULL_CASE(scrm_clusters_get(NULL, 0, &member, &err), "clusters");
    NULL_CASE(scrm_clusters_get(clusters, 0, NULL, &err), "out");
    CHECK_EQ_U(scrm_links_len(NULL), 0);
    CHECK_EQ_U(scrm_clusters_len(NULL), 0);
    scrm_links_free(links);
    scrm_clusters_free(clusters);

    /* match index */
    scrm_match_index *index = SENTINEL;
    NULL_CASE(scrm_match_index_new(NULL, crm, 0.5, &index, &err), "matcher");
    NULL_CASE(scrm_match_index_new(fitted, NULL, 0.5, &index, &err), "records");
    NULL_CASE(scrm_match_index_new(fitted, crm, 0.5, NULL, &err), "out");
    CHECK(index == SENTINEL);
    CHECK_STATUS(scrm_match_index_new(fitted, crm, 0.5, &index, &err), SCRM_STATUS_OK);
    scrm_assignments *assigned = SENTINEL;
    bool removed = true;
    NULL_CASE(scrm_match_index_add(NULL, r, &assigned, &err), "index");
    NULL_CASE(scrm_match_index_add(index, NULL, &assigned, &err), "records");
    NULL_CASE(scrm_match_index_add(index, r, NULL, &err), "out");
    CHECK(assigned == SENTINEL);
    NULL_CASE(scrm_match_index_remove(NULL, S("c1"), &removed, &err), "index");
    NULL_CASE(scrm_match_index_remove(index, NULL, 2, &removed, &err), "id");
    NULL_CASE(scrm_match_index_remove(index, S("c1"), NULL, &err), "removed_out");
    CHECK(removed);
    NULL_CASE(scrm_match_index_cluster_of(NULL, S("c1"), &s, &err), "index");
    NULL_CASE(scrm_match_index_cluster_of(index, NULL, 2, &s, &err), "id");
    NULL_CASE(scrm_match_index_cluster_of(index, S("c1"), NULL, &err), "out");
    CHECK(s == SENTINEL);
    CHECK_EQ_U(scrm_match_index_len(NULL), 0);
    CHECK_EQ_U(scrm_match_index_len(index), N_CRM); /* nothing happened */
    scrm_assignment a;
    NULL_CASE(scrm_assignments_get(NULL, 0, &a, &err), "assignments");
    scrm_records *empty = table_of(NULL, 0);
    CHECK_STATUS(scrm_match_index_add(index, empty, &assigned, &err), SCRM_STATUS_OK);
    scrm_records_free(empty);
    NULL_CASE(scrm_assignments_get(assigned, 0, NULL, &err), "out");
    CHECK_EQ_U(scrm_assignments_len(assigned), 0);
    CHECK_EQ_U(scrm_assignments_len(NULL), 0);
    scrm_assignments_free(assigned);

    /* every free function accepts NULL */
    scrm_records_free(NULL);
    scrm_matcher_free(NULL);
    scrm_links_free(NULL);
    scrm_clusters_free(NULL);
    scrm_match_index_free(NULL);
    scrm_assignments_free(NULL);

    scrm_match_index_free(index);
    scrm_matcher_free(m);
    scrm_records_free(r);
#undef NULL_CASE
}

/* Two threads link with one fitted matcher at the same time and get the same links. */
typedef struct {
    int id;
    int failures;
    size_t links;
} worker;

#define ROUNDS 5

static void *link_worker(void *arg) {
    worker *w = arg;
    for (int round = 0; round < ROUNDS; round++) {
        scrm_links *links = NULL;
        scrm_error *err = NULL;
        if (scrm_matcher_link(fitted, crm, shop, 0.5, true, &links, &err) != SCRM_STATUS_OK) {
            w->failures++;
            scrm_error_free(err);
            continue;
        }
        w->links = scrm_links_len(links);
        for (size_t i = 0; i < N_TRUTH; i++) {
            if (!has_pair(links, TRUTH[i][0], TRUTH[i][1])) {
                w->failures++;
            }
        }
        /* explanations and saving only read the matcher too */
        scrm_string *s = NULL;
        if (scrm_matcher_explain(fitted, crm, S("c2"), shop, S("s1"), SCRM_EXPLAIN_FORMAT_JSON, &s,
                                 NULL) != SCRM_STATUS_OK) {
            w->failures++;
        }
        scrm_string_free(s);
        scrm_links_free(links);
    }
    return NULL;
}

static void test_concurrent_link(void) {
    scrm_links *expected = NULL;
    CHECK_STATUS(scrm_matcher_link(fitted, crm, shop, 0.5, true, &expected, NULL), SCRM_STATUS_OK);
    pthread_t threads[2];
    worker workers[2];
    for (int i = 0; i < 2; i++) {
        workers[i] = (worker){.id = i, .failures = 0, .links = 0};
        CHECK(pthread_create(&threads[i], NULL, link_worker, &workers[i]) == 0);
    }
    for (int i = 0; i < 2; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK_EQ_U(workers[i].failures, 0);
        CHECK_EQ_U(workers[i].links, scrm_links_len(expected));
    }
    scrm_links_free(expected);
}

int main(void) {
    setup();
    RUN_TEST(test_link);
    RUN_TEST(test_explain);
    RUN_TEST(test_dedupe);
    RUN_TEST(test_save_and_load);
    RUN_TEST(test_assertions_and_forget);
    RUN_TEST(test_match_index);
    RUN_TEST(test_config_errors);
    RUN_TEST(test_bad_input);
    RUN_TEST(test_jaro_winkler);
    RUN_TEST(test_null_pointers);
    RUN_TEST(test_concurrent_link);
    teardown();
    HARNESS_END("test_identity");
}
