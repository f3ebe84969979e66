/*
 * A tiny test harness for the C ABI tests: CHECK macros that count and report failures, and
 * RUN_TEST / HARNESS_END that print "<binary>: N passed, N failed" (N = test functions) and
 * make main return non-zero if any check failed.
 *
 * Checks are counted per thread-unsafe globals: call CHECK only from the main thread (worker
 * threads count their own failures and return them).
 */
#ifndef SCRM_TEST_HARNESS_H
#define SCRM_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socialcrm.h"

static int harness_checks_failed = 0;
static int harness_tests_passed = 0;
static int harness_tests_failed = 0;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            harness_checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);     \
        }                                                                                \
    } while (0)

#define CHECK_EQ_U(actual, expected)                                                     \
    do {                                                                                 \
        unsigned long long check_a_ = (unsigned long long)(actual);                      \
        unsigned long long check_e_ = (unsigned long long)(expected);                    \
        if (check_a_ != check_e_) {                                                      \
            harness_checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %llu, expected %s == %llu\n", \
                    __FILE__, __LINE__, #actual, check_a_, #expected, check_e_);         \
        }                                                                                \
    } while (0)

/* Compares a status, printing both names. */
#define CHECK_STATUS(actual, expected)                                                   \
    do {                                                                                 \
        scrm_status check_a_ = (actual);                                                 \
        scrm_status check_e_ = (expected);                                               \
        if (check_a_ != check_e_) {                                                      \
            harness_checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__,  \
                    #actual, scrm_status_str(check_a_), scrm_status_str(check_e_));      \
        }                                                                                \
    } while (0)

/* Compares a (pointer, length) view with a NUL-terminated expected string. */
#define CHECK_VIEW(ptr, len, expected)                                                   \
    do {                                                                                 \
        const char *check_p_ = (ptr);                                                    \
        size_t check_n_ = (len);                                                         \
        const char *check_e_ = (expected);                                               \
        if (check_p_ == NULL || check_n_ != strlen(check_e_) ||                          \
            memcmp(check_p_, check_e_, check_n_) != 0) {                                 \
            harness_checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: got \"%.*s\" (%zu bytes), expected \"%s\"\n",        \
                    __FILE__, __LINE__, check_p_ ? (int)check_n_ : 6,                    \
                    check_p_ ? check_p_ : "(null)", check_n_, check_e_);                 \
        }                                                                                \
    } while (0)

/* Checks that an error exists, has the status, and that its message contains `needle`;
 * then frees it and resets the variable to NULL. */
#define CHECK_ERROR(err, expected_status, needle)                                        \
    do {                                                                                 \
        CHECK((err) != NULL);                                                            \
        if ((err) != NULL) {                                                             \
            CHECK_STATUS(scrm_error_status(err), (expected_status));                     \
            const char *check_m_ = scrm_error_message(err);                              \
            if (strstr(check_m_, (needle)) == NULL) {                                    \
                harness_checks_failed++;                                                 \
                fprintf(stderr, "%s:%d: error message \"%s\" does not contain \"%s\"\n", \
                        __FILE__, __LINE__, check_m_, (needle));                         \
            }                                                                            \
            scrm_error_free(err);                                                        \
            (err) = NULL;                                                                \
        }                                                                                \
    } while (0)

#define RUN_TEST(fn)                                                                     \
    do {                                                                                 \
        int run_before_ = harness_checks_failed;                                         \
        fn();                                                                            \
        if (harness_checks_failed == run_before_) {                                      \
            harness_tests_passed++;                                                      \
        } else {                                                                         \
            harness_tests_failed++;                                                      \
            fprintf(stderr, "FAILED: %s\n", #fn);                                        \
        }                                                                                \
    } while (0)

#define HARNESS_END(name)                                                                \
    do {                                                                                 \
        printf("%s: %d passed, %d failed\n", (name), harness_tests_passed,               \
               harness_tests_failed);                                                    \
        fflush(stdout);                                                                  \
        return harness_tests_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;                  \
    } while (0)

/* A copy of `s` (without NUL) in a buffer of exactly its length, so that reading past the
 * end is caught by ASan and valgrind: the library must respect (ptr, len). */
static inline char *exact_copy(const char *s, size_t len) {
    char *buf = malloc(len == 0 ? 1 : len);
    if (buf == NULL) {
        abort();
    }
    memcpy(buf, s, len);
    return buf;
}

#endif /* SCRM_TEST_HARNESS_H */
