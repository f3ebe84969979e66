/*
 * The foundation of the C ABI: version and constants, status names, error objects, NULL
 * pointers in every argument of every function, invalid UTF-8, empty input.
 */
#include <stdint.h>

#include "harness.h"

#define S(lit) (lit), (sizeof(lit) - 1) /* a string literal as (ptr, len) */

static void test_version_and_constants(void) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", SCRM_VERSION_MAJOR, SCRM_VERSION_MINOR,
             SCRM_VERSION_PATCH);
    CHECK(strcmp(scrm_version(), expected) == 0);
    CHECK(strcmp(scrm_version(), "0.1.0") == 0);
    CHECK(scrm_version() == scrm_version()); /* static */
    CHECK_EQ_U(SCRM_ABI_VERSION, 1);

    /* explicit, stable numeric values */
    CHECK_EQ_U(SCRM_STATUS_OK, 0);
    CHECK_EQ_U(SCRM_STATUS_NULL_POINTER, 1);
    CHECK_EQ_U(SCRM_STATUS_INVALID_UTF8, 2);
    CHECK_EQ_U(SCRM_STATUS_INVALID_ARGUMENT, 3);
    CHECK_EQ_U(SCRM_STATUS_UNKNOWN_LANGUAGE, 4);
    CHECK_EQ_U(SCRM_STATUS_DUPLICATE_ID, 5);
    CHECK_EQ_U(SCRM_STATUS_UNKNOWN_FIELD_KIND, 6);
    CHECK_EQ_U(SCRM_STATUS_CONSENT_REQUIRED, 7);
    CHECK_EQ_U(SCRM_STATUS_MODEL, 8);
    CHECK_EQ_U(SCRM_STATUS_NOT_FITTED, 9);
    CHECK_EQ_U(SCRM_STATUS_UNKNOWN_ID, 10);
    CHECK_EQ_U(SCRM_STATUS_IO, 11);
    CHECK_EQ_U(SCRM_STATUS_OUT_OF_MEMORY, 12);
    CHECK_EQ_U(SCRM_STATUS_PANIC, 13);
    CHECK_EQ_U(SCRM_STATUS_INTERNAL, 14);
    CHECK_EQ_U(SCRM_TOKEN_KIND_WORD, 0);
    CHECK_EQ_U(SCRM_TOKEN_KIND_SYMBOL, 9);
    CHECK_EQ_U(SCRM_ACCENT_FOLDING_KEEP, 0);
    CHECK_EQ_U(SCRM_ACCENT_FOLDING_STRIP, 1);
    CHECK_EQ_U(SCRM_ACCENT_FOLDING_TRANSLITERATE, 2);
    CHECK_EQ_U(sizeof(scrm_status), 4);
    CHECK_EQ_U(sizeof(((scrm_language_guess *)0)->code), 4);
}

static void test_status_names(void) {
    CHECK(strcmp(scrm_status_str(SCRM_STATUS_OK), "SCRM_STATUS_OK") == 0);
    CHECK(strcmp(scrm_status_str(SCRM_STATUS_NULL_POINTER), "SCRM_STATUS_NULL_POINTER") == 0);
    CHECK(strcmp(scrm_status_str(SCRM_STATUS_INVALID_UTF8), "SCRM_STATUS_INVALID_UTF8") == 0);
    CHECK(strcmp(scrm_status_str(SCRM_STATUS_UNKNOWN_LANGUAGE), "SCRM_STATUS_UNKNOWN_LANGUAGE") ==
          0);
    CHECK(strcmp(scrm_status_str(SCRM_STATUS_PANIC), "SCRM_STATUS_PANIC") == 0);
    CHECK(strcmp(scrm_status_str(SCRM_STATUS_INTERNAL), "SCRM_STATUS_INTERNAL") == 0);
    /* every known code has a distinct SCRM_STATUS_* name */
    for (scrm_status a = 0; a <= SCRM_STATUS_INTERNAL; a++) {
        CHECK(strncmp(scrm_status_str(a), "SCRM_STATUS_", 12) == 0);
        for (scrm_status b = 0; b < a; b++) {
            CHECK(strcmp(scrm_status_str(a), scrm_status_str(b)) != 0);
        }
    }
    CHECK(strcmp(scrm_status_str(SCRM_STATUS_INTERNAL + 1), "unknown status") == 0);
    CHECK(strcmp(scrm_status_str(UINT32_MAX), "unknown status") == 0);

    CHECK(strcmp(scrm_token_kind_name(SCRM_TOKEN_KIND_WORD), "word") == 0);
    CHECK(strcmp(scrm_token_kind_name(SCRM_TOKEN_KIND_HASHTAG), "hashtag") == 0);
    CHECK(strcmp(scrm_token_kind_name(SCRM_TOKEN_KIND_EMOTICON), "emoticon") == 0);
    CHECK(strcmp(scrm_token_kind_name(SCRM_TOKEN_KIND_SYMBOL), "symbol") == 0);
    CHECK(strcmp(scrm_token_kind_name(10), "unknown") == 0);
    CHECK(strcmp(scrm_token_kind_name(UINT32_MAX), "unknown") == 0);
}

static void test_errors(void) {
    scrm_string *out = NULL;
    scrm_error *err = NULL;
    scrm_status st = scrm_stem(S("Kündigung"), S("xx"), &out, &err);
    CHECK_STATUS(st, SCRM_STATUS_UNKNOWN_LANGUAGE);
    CHECK(out == NULL); /* out-params only on success */
    CHECK(err != NULL);
    CHECK_STATUS(scrm_error_status(err), st);
    const char *msg = scrm_error_message(err);
    CHECK(strstr(msg, "\"xx\"") != NULL);
    CHECK(strstr(msg, "en, de, nl") != NULL);
    CHECK(scrm_error_message(err) == msg); /* owned by the error, stable */
    scrm_error_free(err);

    /* each failure creates its own error object */
    scrm_error *e1 = NULL, *e2 = NULL;
    CHECK_STATUS(scrm_stem(S("a"), S("q1"), &out, &e1), SCRM_STATUS_UNKNOWN_LANGUAGE);
    CHECK_STATUS(scrm_normalize(S("a"), 99, true, &out, &e2), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK(e1 != NULL && e2 != NULL && e1 != e2);
    CHECK(strstr(scrm_error_message(e1), "q1") != NULL);
    CHECK(strstr(scrm_error_message(e2), "accent_folding") != NULL);
    scrm_error_free(e2); /* freed in any order */
    scrm_error_free(e1);

    /* success leaves err_out untouched */
    err = NULL;
    CHECK_STATUS(scrm_stem(S("a"), S("en"), &out, &err), SCRM_STATUS_OK);
    CHECK(err == NULL);
    scrm_string_free(out);

    /* err_out may be NULL: the status alone is reported */
    out = NULL;
    CHECK_STATUS(scrm_stem(S("a"), S("xx"), &out, NULL), SCRM_STATUS_UNKNOWN_LANGUAGE);
    CHECK(out == NULL);

    /* the accessors accept NULL */
    CHECK(strcmp(scrm_error_message(NULL), "") == 0);
    CHECK_STATUS(scrm_error_status(NULL), SCRM_STATUS_NULL_POINTER);
    scrm_error_free(NULL);
}

/* A sentinel that a function must not write on failure. */
#define SENTINEL ((void *)(uintptr_t)0x5a5a5a5a)

static void test_null_pointers(void) {
    scrm_error *err = NULL;
    const char *text = "hallo welt";
    size_t len = strlen(text);

    /* scrm_detect_language */
    scrm_language_guess guess = {{'x', 'x', 'x', 0}, -1.0};
    CHECK_STATUS(scrm_detect_language(NULL, 5, &guess, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`text`");
    CHECK(guess.code[0] == 'x' && guess.confidence == -1.0);
    CHECK_STATUS(scrm_detect_language(text, len, NULL, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`out`");
    CHECK_STATUS(scrm_detect_language(NULL, 5, NULL, NULL), SCRM_STATUS_NULL_POINTER);

    /* scrm_normalize */
    scrm_string *s = SENTINEL;
    CHECK_STATUS(scrm_normalize(NULL, 1, SCRM_ACCENT_FOLDING_KEEP, true, &s, &err),
                 SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`text`");
    CHECK(s == SENTINEL);
    CHECK_STATUS(scrm_normalize(text, len, SCRM_ACCENT_FOLDING_KEEP, true, NULL, &err),
                 SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`out`");

    /* scrm_stem */
    CHECK_STATUS(scrm_stem(NULL, 3, S("de"), &s, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`word`");
    CHECK_STATUS(scrm_stem(S("Zug"), NULL, 2, &s, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`language`");
    CHECK_STATUS(scrm_stem(S("Zug"), S("de"), NULL, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`out`");
    CHECK(s == SENTINEL);
    /* an empty language code is not a language */
    CHECK_STATUS(scrm_stem(S("Zug"), NULL, 0, &s, &err), SCRM_STATUS_UNKNOWN_LANGUAGE);
    CHECK_ERROR(err, SCRM_STATUS_UNKNOWN_LANGUAGE, "\"\"");

    /* scrm_tokenize */
    scrm_token_list *list = SENTINEL;
    CHECK_STATUS(scrm_tokenize(NULL, 4, &list, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`text`");
    CHECK(list == SENTINEL);
    CHECK_STATUS(scrm_tokenize(text, len, NULL, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`out`");

    /* the token list accessors */
    CHECK_STATUS(scrm_tokenize(text, len, &list, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_token_list_len(list), 2);
    CHECK_EQ_U(scrm_token_list_len(NULL), 0);

    scrm_token token = {77, true, 77, 77, 77};
    CHECK_STATUS(scrm_token_list_get(NULL, 0, &token, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`list`");
    CHECK_STATUS(scrm_token_list_get(list, 0, NULL, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`out`");
    CHECK_EQ_U(token.kind, 77);

    const char *p = SENTINEL;
    size_t n = 77;
    CHECK_STATUS(scrm_token_list_text(NULL, 0, &p, &n, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`list`");
    CHECK_STATUS(scrm_token_list_text(list, 0, NULL, &n, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`ptr_out`");
    CHECK_STATUS(scrm_token_list_text(list, 0, &p, NULL, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`len_out`");

    CHECK_STATUS(scrm_token_list_normalized(NULL, 0, &p, &n, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`list`");
    CHECK_STATUS(scrm_token_list_normalized(list, 0, NULL, &n, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`ptr_out`");
    CHECK_STATUS(scrm_token_list_normalized(list, 0, &p, NULL, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`len_out`");

    CHECK_STATUS(scrm_token_list_part(NULL, 0, 0, &p, &n, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`list`");
    /* token 0 ("hallo") has no parts, but a NULL out-parameter is reported first */
    CHECK_STATUS(scrm_token_list_part(list, 0, 0, NULL, &n, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`ptr_out`");
    CHECK_STATUS(scrm_token_list_part(list, 0, 0, &p, NULL, &err), SCRM_STATUS_NULL_POINTER);
    CHECK_ERROR(err, SCRM_STATUS_NULL_POINTER, "`len_out`");
    CHECK_STATUS(scrm_token_list_part(list, 0, 0, &p, &n, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "token 0 has 0 parts");
    CHECK_STATUS(scrm_token_list_text(list, 2, &p, &n, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "2 is out of range, the list has 2 tokens");
    CHECK(p == SENTINEL && n == 77);

    /* the free functions and the string accessors accept NULL */
    scrm_token_list_free(NULL);
    scrm_string_free(NULL);
    CHECK(scrm_string_ptr(NULL) == NULL);
    CHECK_EQ_U(scrm_string_len(NULL), 0);
    scrm_token_list_free(list);
}

/* Every string argument rejects invalid UTF-8 with the byte offset in the message. */
static void test_invalid_utf8(void) {
    scrm_error *err = NULL;
    scrm_language_guess guess;
    scrm_string *s = NULL;
    scrm_token_list *list = NULL;

    /* an invalid byte at offset 4, in a buffer that is not NUL-terminated */
    static const char bad_src[] = "Zug \xff" "abc";
    size_t bad_len = sizeof bad_src - 1;
    char *bad = exact_copy(bad_src, bad_len);

    CHECK_STATUS(scrm_detect_language(bad, bad_len, &guess, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "at byte 4");
    CHECK_STATUS(scrm_tokenize(bad, bad_len, &list, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "at byte 4");
    CHECK(list == NULL);
    CHECK_STATUS(scrm_normalize(bad, bad_len, SCRM_ACCENT_FOLDING_STRIP, true, &s, &err),
                 SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "at byte 4");
    CHECK_STATUS(scrm_stem(bad, bad_len, S("de"), &s, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `word`: invalid UTF-8 at byte 4");
    CHECK_STATUS(scrm_stem(S("Zug"), S("d\xe9"), &s, &err), SCRM_STATUS_INVALID_UTF8);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, "argument `language`: invalid UTF-8 at byte 1");
    CHECK(s == NULL);
    free(bad);

    /* other kinds of invalid sequences */
    struct {
        const char *bytes;
        size_t len;
        const char *offset;
    } cases[] = {
        {S("ab\xc3"), "at byte 2"},              /* truncated two-byte sequence at the end */
        {S("\xc3\x28"), "at byte 0"},            /* bad continuation byte */
        {S("\xc0\xaf"), "at byte 0"},            /* overlong encoding of '/' */
        {S("ok\xed\xa0\x80"), "at byte 2"},      /* UTF-16 surrogate */
        {S("\xf4\x90\x80\x80"), "at byte 0"},    /* above U+10FFFF */
        {S("gr\xc3\xbc\xc3\x9f\x80"), "at byte 6"}, /* stray continuation after "grüß" */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_STATUS(scrm_tokenize(cases[i].bytes, cases[i].len, &list, &err),
                     SCRM_STATUS_INVALID_UTF8);
        CHECK_ERROR(err, SCRM_STATUS_INVALID_UTF8, cases[i].offset);
    }

    /* but U+0000 is valid UTF-8 and is kept */
    static const char with_nul[] = "a\0b";
    CHECK_STATUS(scrm_normalize(with_nul, 3, SCRM_ACCENT_FOLDING_KEEP, false, &s, &err),
                 SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_string_len(s), 3);
    CHECK(memcmp(scrm_string_ptr(s), "a\0b\0", 4) == 0);
    scrm_string_free(s);
}

static void test_empty_input(void) {
    scrm_error *err = NULL;

    scrm_token_list *list = NULL;
    CHECK_STATUS(scrm_tokenize(NULL, 0, &list, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_token_list_len(list), 0);
    scrm_token token;
    CHECK_STATUS(scrm_token_list_get(list, 0, &token, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "out of range");
    scrm_token_list_free(list);

    CHECK_STATUS(scrm_tokenize(S(" \t\n\xc2\xa0\xe3\x80\x80"), &list, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_token_list_len(list), 0); /* whitespace only, incl. NBSP, ideographic */
    scrm_token_list_free(list);

    scrm_language_guess guess;
    CHECK_STATUS(scrm_detect_language(NULL, 0, &guess, &err), SCRM_STATUS_OK);
    CHECK(strcmp(guess.code, "und") == 0);
    CHECK(guess.confidence == 0.0);
    CHECK_STATUS(scrm_detect_language(S(""), &guess, &err), SCRM_STATUS_OK);
    CHECK(strcmp(guess.code, "und") == 0);

    scrm_string *s = NULL;
    CHECK_STATUS(scrm_normalize(NULL, 0, SCRM_ACCENT_FOLDING_TRANSLITERATE, true, &s, &err),
                 SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_string_len(s), 0);
    CHECK(scrm_string_ptr(s) != NULL && scrm_string_ptr(s)[0] == '\0');
    scrm_string_free(s);

    CHECK_STATUS(scrm_stem(NULL, 0, S("nl"), &s, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_string_len(s), 0);
    scrm_string_free(s);
    CHECK(err == NULL);
}

int main(void) {
    RUN_TEST(test_version_and_constants);
    RUN_TEST(test_status_names);
    RUN_TEST(test_errors);
    RUN_TEST(test_null_pointers);
    RUN_TEST(test_invalid_utf8);
    RUN_TEST(test_empty_input);
    HARNESS_END("test_api");
}
