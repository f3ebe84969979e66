/*
 * Concurrent use: threads tokenizing, detecting languages, normalising and stemming at the
 * same time (the shared default detector is built by whichever thread comes first), and
 * several threads reading one token list. Workers count their own failures (the harness
 * counters are not thread-safe) and the main thread checks them.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "harness.h"

#define THREADS 4
#define ROUNDS 25

typedef struct {
    int id;
    const scrm_token_list *shared;
    int failures;
} worker;

#define WCHECK(w, cond)                                                                  \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            (w)->failures++;                                                             \
            fprintf(stderr, "thread %d: %s:%d: %s\n", (w)->id, __FILE__, __LINE__, #cond); \
        }                                                                                \
    } while (0)

static const char *const sentences[][2] = {
    {"The train was late again and nobody told us why", "en"},
    {"Der Zug hatte schon wieder Verspätung und keiner sagt warum", "de"},
    {"De trein had weer vertraging en niemand zegt waarom", "nl"},
};

static const char post[] = "@DB_Bahn #KundenserviceFail schon wieder 😡 https://x.de";

static void *work(void *arg) {
    worker *w = arg;
    for (int round = 0; round < ROUNDS; round++) {
        /* tokenize a post of its own */
        scrm_token_list *list = NULL;
        scrm_error *err = NULL;
        WCHECK(w, scrm_tokenize(post, sizeof post - 1, &list, &err) == SCRM_STATUS_OK);
        WCHECK(w, scrm_token_list_len(list) == 6);
        scrm_token t;
        const char *p = NULL;
        size_t n = 0;
        WCHECK(w, scrm_token_list_get(list, 1, &t, NULL) == SCRM_STATUS_OK);
        WCHECK(w, t.kind == SCRM_TOKEN_KIND_HASHTAG && t.start == 9 && t.part_count == 2);
        WCHECK(w, scrm_token_list_part(list, 1, 1, &p, &n, NULL) == SCRM_STATUS_OK);
        WCHECK(w, n == 4 && memcmp(p, "Fail", 4) == 0);
        scrm_token_list_free(list);

        /* read the list shared by all threads */
        size_t shared_len = scrm_token_list_len(w->shared);
        WCHECK(w, shared_len == 6);
        for (size_t i = 0; i < shared_len; i++) {
            WCHECK(w, scrm_token_list_normalized(w->shared, i, &p, &n, NULL) == SCRM_STATUS_OK);
        }
        WCHECK(w, scrm_token_list_normalized(w->shared, 0, &p, &n, NULL) == SCRM_STATUS_OK);
        WCHECK(w, n == 8 && memcmp(p, "@db_bahn", 8) == 0);

        /* detect a language (each thread starts with a different one) */
        const char *const *s = sentences[(w->id + round) % 3];
        scrm_language_guess guess;
        WCHECK(w, scrm_detect_language(s[0], strlen(s[0]), &guess, NULL) == SCRM_STATUS_OK);
        WCHECK(w, strcmp(guess.code, s[1]) == 0);

        /* errors are per call: each thread gets its own message */
        char code[8];
        snprintf(code, sizeof code, "x%d", w->id);
        scrm_string *stem = NULL;
        WCHECK(w, scrm_stem("Zug", 3, code, strlen(code), &stem, &err) ==
                      SCRM_STATUS_UNKNOWN_LANGUAGE);
        WCHECK(w, err != NULL && strstr(scrm_error_message(err), code) != NULL);
        scrm_error_free(err);
        WCHECK(w, scrm_stem("Verspätungen", strlen("Verspätungen"), "de", 2, &stem, NULL) ==
                      SCRM_STATUS_OK);
        WCHECK(w, strcmp(scrm_string_ptr(stem), "verspat") == 0);
        scrm_string_free(stem);
    }
    return NULL;
}

static void test_concurrent_use(void) {
    scrm_token_list *shared = NULL;
    CHECK_STATUS(scrm_tokenize(post, sizeof post - 1, &shared, NULL), SCRM_STATUS_OK);
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){.id = i, .shared = shared, .failures = 0};
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK_EQ_U(workers[i].failures, 0);
    }
    scrm_token_list_free(shared);
}

/* An error created on one thread is read and freed on another. */
static void *make_error(void *arg) {
    scrm_error **err = arg;
    scrm_string *s = NULL;
    scrm_stem("a", 1, "zz", 2, &s, err);
    return NULL;
}

static void test_error_crosses_threads(void) {
    scrm_error *err = NULL;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, make_error, &err) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK_ERROR(err, SCRM_STATUS_UNKNOWN_LANGUAGE, "\"zz\"");
}

int main(void) {
    RUN_TEST(test_concurrent_use);
    RUN_TEST(test_error_crosses_threads);
    HARNESS_END("test_threads");
}
