/*
 * Small record tables for the identity tests: a CRM table, a noisy shop table whose true links
 * to it are obvious to a person (transliterated umlauts, other date formats, missing values,
 * one typo), and helpers that build scrm_records from them.
 */
#ifndef SCRM_TEST_IDENTITY_DATA_H
#define SCRM_TEST_IDENTITY_DATA_H

#include "harness.h"

#define S(lit) (lit), (sizeof(lit) - 1) /* a string literal as (ptr, len) */

/* A string as a scrm_str; NULL is a missing value. */
static inline scrm_str str_of(const char *s) {
    scrm_str r = {s, s == NULL ? 0 : strlen(s)};
    return r;
}

typedef struct {
    const char *id, *first, *last, *dob, *city, *email;
} person;

#define N_FIELDS 5
static const char *const FIELDS[N_FIELDS] = {"first_name", "last_name", "dob", "city", "email"};

/* Fields, blocking rules (text and object form), and a small random sample so that fitting
 * stays fast under valgrind. */
static const char CONFIG[] =
    "{\"fields\": ["
    "  {\"name\": \"first_name\", \"kind\": \"name\"},"
    "  {\"name\": \"last_name\", \"kind\": \"Name\"},"
    "  {\"name\": \"dob\", \"kind\": \"date\"},"
    "  {\"name\": \"city\", \"kind\": \"text\"},"
    "  {\"name\": \"email\", \"kind\": \"email\", \"term_frequency\": false}],"
    " \"blocking\": [\"last_name:phonetic\", \"dob\","
    "  {\"parts\": [{\"field\": \"email\", \"transform\": \"exact\"}]}],"
    " \"u_sample_pairs\": 2000, \"estimate_u\": false}";

static const person CRM[] = {
    {"c1", "Jan", "de Vries", "1982-03-14", "Utrecht", "jan.devries@example.nl"},
    {"c2", "Petra", "Müller", "1975-11-02", "Köln", "petra.mueller@example.de"},
    {"c3", "Anna", "Schmidt", "1990-01-30", "Berlin", "anna.schmidt@example.de"},
    {"c4", "Jürgen", "Groß", "1968-07-21", "München", "j.gross@example.de"},
    {"c5", "Sophie", "Bakker", "1988-05-09", "Amsterdam", "sophie.bakker@example.nl"},
    {"c6", "Lukas", "Weber", "1979-12-24", "Hamburg", "lukas.weber@example.de"},
    {"c7", "Emma", "Jansen", "1995-02-17", "Rotterdam", "emma.jansen@example.nl"},
    {"c8", "Thomas", "Fischer", "1984-09-03", "Leipzig", "t.fischer@example.de"},
    {"c9", "Julia", "Visser", "1992-06-11", "Leiden", "julia.visser@example.nl"},
    {"c10", "Felix", "Becker", "1971-04-28", "Bremen", "felix.becker@example.de"},
    {"c11", "Lotte", "de Jong", "1986-10-05", "Delft", "lotte.dejong@example.nl"},
    {"c12", "Maximilian", "Hoffmann", "1999-08-13", "Dresden", "max.hoffmann@example.de"},
};
#define N_CRM (sizeof CRM / sizeof CRM[0])

static const person SHOP[] = {
    {"s1", "Petra", "Mueller", "02.11.1975", "Koeln", NULL},
    {"s2", "Jan", "De Vries", NULL, "Utrecht", "jan.devries@example.nl"},
    {"s3", "Anna", "Schmitt", "30.01.1990", NULL, "anna.schmidt@example.de"},
    {"s4", "Juergen", "Gross", "21/07/1968", "Muenchen", NULL},
    {"s5", "Sophie", "Bakker", "19880509", "Amsterdam", "sophie.bakker@example.nl"},
    {"s6", "Lukas", "Weber", "24.12.1979", NULL, NULL},
    {"s7", "Emma", "Jansen", "1995-02-17", "Rotterdam", "emma.j@example.nl"},
    {"s8", "Thomas", "Fischer", "03.09.1984", "Leipzig", "t.fischer@example.de"},
    {"s9", "Hannah", "Richter", "1993-03-03", "Kiel", "hannah.richter@example.de"},
    {"s10", "Bram", "Dekker", "1980-01-01", "Zwolle", NULL},
};
#define N_SHOP (sizeof SHOP / sizeof SHOP[0])

/* The true links between CRM and SHOP. */
static const char *const TRUTH[][2] = {
    {"c1", "s2"}, {"c2", "s1"}, {"c3", "s3"}, {"c4", "s4"},
    {"c5", "s5"}, {"c6", "s6"}, {"c7", "s7"}, {"c8", "s8"},
};
#define N_TRUTH (sizeof TRUTH / sizeof TRUTH[0])

/* Appends rows to a table; returns the number of pushes that failed. */
static inline int push_people(scrm_records *t, const person *rows, size_t n) {
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        const person *p = &rows[i];
        scrm_str values[N_FIELDS] = {str_of(p->first), str_of(p->last), str_of(p->dob),
                                     str_of(p->city), str_of(p->email)};
        if (scrm_records_push(t, p->id, strlen(p->id), values, N_FIELDS, NULL) !=
            SCRM_STATUS_OK) {
            failed++;
        }
    }
    return failed;
}

/* A new table with the five fields and the given rows (NULL on failure). */
static inline scrm_records *table_of(const person *rows, size_t n) {
    scrm_str names[N_FIELDS];
    for (size_t i = 0; i < N_FIELDS; i++) {
        names[i] = str_of(FIELDS[i]);
    }
    scrm_records *t = NULL;
    if (scrm_records_new(names, N_FIELDS, &t, NULL) != SCRM_STATUS_OK) {
        return NULL;
    }
    if (push_people(t, rows, n) != 0) {
        scrm_records_free(t);
        return NULL;
    }
    return t;
}

/* A new unfitted matcher with CONFIG (NULL on failure). */
static inline scrm_matcher *new_matcher(void) {
    scrm_matcher *m = NULL;
    if (scrm_matcher_new(CONFIG, sizeof CONFIG - 1, &m, NULL) != SCRM_STATUS_OK) {
        return NULL;
    }
    return m;
}

/* Compares a (ptr, len) view with a NUL-terminated string. */
static inline int view_eq(const char *p, size_t n, const char *s) {
    return p != NULL && n == strlen(s) && memcmp(p, s, n) == 0;
}

/* Whether links contain the pair (left, right). */
static inline int has_pair(const scrm_links *links, const char *left, const char *right) {
    for (size_t i = 0; i < scrm_links_len(links); i++) {
        scrm_link l;
        if (scrm_links_get(links, i, &l, NULL) == SCRM_STATUS_OK &&
            view_eq(l.left_id, l.left_id_len, left) && view_eq(l.right_id, l.right_id_len, right)) {
            return 1;
        }
    }
    return 0;
}

/* Whether a pair is one of TRUTH. */
static inline int is_true_pair(const scrm_link *l) {
    for (size_t i = 0; i < N_TRUTH; i++) {
        if (view_eq(l->left_id, l->left_id_len, TRUTH[i][0]) &&
            view_eq(l->right_id, l->right_id_len, TRUTH[i][1])) {
            return 1;
        }
    }
    return 0;
}

/* A NUL-terminated copy of `s` with the first `from` replaced by `to` (caller frees). */
static inline char *replace_first(const char *s, const char *from, const char *to) {
    const char *at = strstr(s, from);
    size_t n = strlen(s), nf = strlen(from), nt = strlen(to);
    char *out = malloc(n - (at ? nf : 0) + (at ? nt : 0) + 1);
    if (out == NULL) {
        abort();
    }
    if (at == NULL) {
        memcpy(out, s, n + 1);
        return out;
    }
    size_t head = (size_t)(at - s);
    memcpy(out, s, head);
    memcpy(out + head, to, nt);
    memcpy(out + head + nt, at + nf, n - head - nf + 1);
    return out;
}

#endif /* SCRM_TEST_IDENTITY_DATA_H */
