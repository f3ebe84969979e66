/*
 * The text layer through the C ABI: tokenization (kinds, byte offsets, normalised forms,
 * hashtag parts), emoji and emoticons, language detection, normalisation, stemming, and a
 * large input.
 */
#include "harness.h"

#define S(lit) (lit), (sizeof(lit) - 1) /* a string literal as (ptr, len) */

typedef struct {
    scrm_token_kind kind;
    size_t start;
    size_t len;
    const char *text;
    const char *normalized;
} expected_token;

/* Tokenizes `text` (copied into a buffer of exactly its length) and checks every token. */
static void check_tokens(const char *text, const expected_token *expected, size_t count) {
    scrm_error *err = NULL;
    scrm_token_list *list = NULL;
    size_t len = strlen(text);
    char *buf = exact_copy(text, len);
    CHECK_STATUS(scrm_tokenize(buf, len, &list, &err), SCRM_STATUS_OK);
    /* the list does not refer to the caller's buffer */
    memset(buf, '#', len);
    free(buf);
    if (list == NULL) {
        return;
    }
    CHECK_EQ_U(scrm_token_list_len(list), count);
    for (size_t i = 0; i < count && i < scrm_token_list_len(list); i++) {
        scrm_token t;
        const char *p = NULL;
        size_t n = 0;
        CHECK_STATUS(scrm_token_list_get(list, i, &t, &err), SCRM_STATUS_OK);
        if (t.kind != expected[i].kind) {
            fprintf(stderr, "token %zu (%s): kind %s, expected %s\n", i, expected[i].text,
                    scrm_token_kind_name(t.kind), scrm_token_kind_name(expected[i].kind));
        }
        CHECK_EQ_U(t.kind, expected[i].kind);
        CHECK_EQ_U(t.start, expected[i].start);
        CHECK_EQ_U(t.len, expected[i].len);
        CHECK_STATUS(scrm_token_list_text(list, i, &p, &n, &err), SCRM_STATUS_OK);
        CHECK_VIEW(p, n, expected[i].text);
        CHECK(n == t.len && memcmp(text + t.start, p, n) == 0);
        CHECK_STATUS(scrm_token_list_normalized(list, i, &p, &n, &err), SCRM_STATUS_OK);
        CHECK_VIEW(p, n, expected[i].normalized);
    }
    CHECK(err == NULL);
    scrm_token_list_free(list);
}

static void test_tokenize_social_post(void) {
    /* "ä" and "😡" are multi-byte: offsets are bytes */
    static const expected_token expected[] = {
        {SCRM_TOKEN_KIND_MENTION, 0, 8, "@DB_Bahn", "@db_bahn"},
        {SCRM_TOKEN_KIND_HASHTAG, 9, 12, "#Verspätung", "#verspätung"},
        {SCRM_TOKEN_KIND_WORD, 22, 5, "schon", "schon"},
        {SCRM_TOKEN_KIND_WORD, 28, 6, "wieder", "wieder"},
        {SCRM_TOKEN_KIND_EMOJI, 35, 4, "😡", "😡"},
        {SCRM_TOKEN_KIND_URL, 40, 12, "https://x.de", "https://x.de"},
    };
    check_tokens("@DB_Bahn #Verspätung schon wieder 😡 https://x.de", expected,
                 sizeof expected / sizeof expected[0]);
}

static void test_emoji_and_emoticons(void) {
    static const expected_token emoji[] = {
        {SCRM_TOKEN_KIND_EMOJI, 0, 8, "👍🏽", "👍🏽"},                      /* skin tone */
        {SCRM_TOKEN_KIND_EMOJI, 8, 18, "👨‍👩‍👧", "👨‍👩‍👧"}, /* ZWJ family */
        {SCRM_TOKEN_KIND_EMOJI, 26, 8, "🇳🇱", "🇳🇱"},                      /* flag */
        {SCRM_TOKEN_KIND_EMOJI, 34, 8, "🇩🇪", "🇩🇪"},
        {SCRM_TOKEN_KIND_EMOJI, 42, 7, "1️⃣", "1️⃣"}, /* keycap */
        {SCRM_TOKEN_KIND_EMOJI, 49, 6, "❤️", "❤️"},   /* with variation selector */
    };
    check_tokens("👍🏽👨‍👩‍👧🇳🇱🇩🇪1️⃣❤️", emoji, sizeof emoji / sizeof emoji[0]);

    static const expected_token emoticons[] = {
        {SCRM_TOKEN_KIND_WORD, 0, 5, "super", "super"},
        {SCRM_TOKEN_KIND_EMOTICON, 6, 3, ":-)", ":-)"},
        {SCRM_TOKEN_KIND_WORD, 10, 4, "echt", "echt"},
        {SCRM_TOKEN_KIND_EMOTICON, 15, 2, ":(", ":("},
        {SCRM_TOKEN_KIND_EMOTICON, 18, 2, "xD", "xD"}, /* case kept: :D is not :d */
        {SCRM_TOKEN_KIND_EMOTICON, 21, 2, "<3", "<3"},
        {SCRM_TOKEN_KIND_EMOTICON, 24, 3, "^_^", "^_^"},
        {SCRM_TOKEN_KIND_WORD, 28, 5, "Danke", "danke"},
        {SCRM_TOKEN_KIND_EMOTICON, 33, 2, ";)", ";)"},
        {SCRM_TOKEN_KIND_EMOTICON, 36, 4, ":)))", ":)))"},
    };
    check_tokens("super :-) echt :( xD <3 ^_^ Danke;) :)))", emoticons,
                 sizeof emoticons / sizeof emoticons[0]);

    /* elongation: ":)))" and "!!!" are emphasis, "..." is not */
    scrm_token_list *list = NULL;
    scrm_token t;
    CHECK_STATUS(scrm_tokenize(S(":))) !!! ... Kaffee"), &list, NULL), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_token_list_len(list), 4);
    CHECK_STATUS(scrm_token_list_get(list, 0, &t, NULL), SCRM_STATUS_OK);
    CHECK(t.elongated);
    CHECK_STATUS(scrm_token_list_get(list, 1, &t, NULL), SCRM_STATUS_OK);
    CHECK(t.elongated && t.kind == SCRM_TOKEN_KIND_PUNCTUATION);
    CHECK_STATUS(scrm_token_list_get(list, 2, &t, NULL), SCRM_STATUS_OK);
    CHECK(!t.elongated && t.kind == SCRM_TOKEN_KIND_PUNCTUATION);
    CHECK_STATUS(scrm_token_list_get(list, 3, &t, NULL), SCRM_STATUS_OK);
    CHECK(!t.elongated && t.kind == SCRM_TOKEN_KIND_WORD);
    scrm_token_list_free(list);
}

static void test_normalized_forms(void) {
    static const expected_token expected[] = {
        {SCRM_TOKEN_KIND_WORD, 0, 5, "Soooo", "so"},
        {SCRM_TOKEN_KIND_WORD, 6, 5, "GUUUT", "gut"},
        {SCRM_TOKEN_KIND_PUNCTUATION, 11, 3, "!!!", "!"},
        {SCRM_TOKEN_KIND_WORD, 15, 8, "STRAẞE", "strasse"}, /* U+1E9E is 3 bytes */
        {SCRM_TOKEN_KIND_NUMBER, 24, 4, "3,50", "3,50"},
        {SCRM_TOKEN_KIND_SYMBOL, 29, 3, "€", "€"},
        {SCRM_TOKEN_KIND_EMAIL, 33, 17, "Jan.Vries@Bol.COM", "jan.vries@bol.com"},
        {SCRM_TOKEN_KIND_URL, 51, 14, "https://X.de/A", "https://X.de/A"}, /* kept as is */
    };
    check_tokens("Soooo GUUUT!!! STRAẞE 3,50 € Jan.Vries@Bol.COM https://X.de/A", expected,
                 sizeof expected / sizeof expected[0]);
}

static void check_parts(const char *text, const char *const *parts, size_t count) {
    scrm_token_list *list = NULL;
    scrm_error *err = NULL;
    scrm_token t;
    CHECK_STATUS(scrm_tokenize(text, strlen(text), &list, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_token_list_len(list), 1);
    CHECK_STATUS(scrm_token_list_get(list, 0, &t, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(t.part_count, count);
    for (size_t i = 0; i < count && i < t.part_count; i++) {
        const char *p = NULL;
        size_t n = 0;
        CHECK_STATUS(scrm_token_list_part(list, 0, i, &p, &n, &err), SCRM_STATUS_OK);
        CHECK_VIEW(p, n, parts[i]);
    }
    const char *p = NULL;
    size_t n = 0;
    CHECK_STATUS(scrm_token_list_part(list, 0, count, &p, &n, &err),
                 SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "part_index");
    CHECK(p == NULL && n == 0);
    scrm_token_list_free(list);
}

static void test_hashtag_and_mention_parts(void) {
    static const char *const kundenservice[] = {"Kundenservice", "Fail"};
    check_parts("#KundenserviceFail", kundenservice, 2);
    static const char *const db[] = {"DB", "Bahn"};
    check_parts("@DB_Bahn", db, 2);
    static const char *const covid[] = {"COVID", "19"};
    check_parts("#COVID19", covid, 2);
    static const char *const http[] = {"HTTP", "Server", "Down"};
    check_parts("#HTTPServerDown", http, 3);
    static const char *const umlaut[] = {"Verspätung"};
    check_parts("#Verspätung", umlaut, 1);
    check_parts("#kundenservicefail", (const char *const[]){"kundenservicefail"}, 1);
    check_parts("Kundenservice", NULL, 0); /* a word has no parts */
}

static void check_language(const char *text, const char *code) {
    scrm_language_guess guess;
    scrm_error *err = NULL;
    CHECK_STATUS(scrm_detect_language(text, strlen(text), &guess, &err), SCRM_STATUS_OK);
    if (strcmp(guess.code, code) != 0) {
        fprintf(stderr, "detect(\"%s\") = %s (%.3f), expected %s\n", text, guess.code,
                guess.confidence, code);
    }
    CHECK(strcmp(guess.code, code) == 0);
    CHECK(guess.code[3] == '\0');
    CHECK(guess.confidence >= 0.0 && guess.confidence <= 1.0);
    if (strcmp(code, "und") != 0) {
        CHECK(guess.confidence > 0.5);
    }
}

static void test_detect_language(void) {
    check_language("The train was late again and nobody told us why", "en");
    check_language("Der Zug hatte schon wieder Verspätung und keiner sagt warum", "de");
    check_language("De trein had weer vertraging en niemand zegt waarom", "nl");
    check_language("@KLM_Support https://klm.com/help #fail 😡 mijn koffer is kwijt", "nl");
    check_language("ok", "und");
    check_language("ok 😂😂", "und"); /* fewer than 3 letters */
    check_language("@someone https://x.de", "und");
}

static void check_normalize(const char *text, scrm_accent_folding folding, bool case_fold,
                            const char *expected) {
    scrm_string *s = NULL;
    scrm_error *err = NULL;
    CHECK_STATUS(scrm_normalize(text, strlen(text), folding, case_fold, &s, &err),
                 SCRM_STATUS_OK);
    CHECK_VIEW(scrm_string_ptr(s), scrm_string_len(s), expected);
    CHECK(s != NULL && strcmp(scrm_string_ptr(s), expected) == 0); /* NUL-terminated */
    scrm_string_free(s);
}

static void check_stem(const char *word, const char *language, const char *expected) {
    scrm_string *s = NULL;
    scrm_error *err = NULL;
    CHECK_STATUS(scrm_stem(word, strlen(word), language, strlen(language), &s, &err),
                 SCRM_STATUS_OK);
    CHECK_VIEW(scrm_string_ptr(s), scrm_string_len(s), expected);
    scrm_string_free(s);
}

static void test_normalize_and_stem(void) {
    check_normalize("ＳＴＲＡẞＥ", SCRM_ACCENT_FOLDING_KEEP, true, "strasse");
    check_normalize("Jürgen Müller-Lüdenscheidt", SCRM_ACCENT_FOLDING_KEEP, true,
                    "jürgen müller-lüdenscheidt");
    check_normalize("Jürgen Müller-Lüdenscheidt", SCRM_ACCENT_FOLDING_TRANSLITERATE, true,
                    "juergen mueller-luedenscheidt");
    check_normalize("Ørsted Æbelø", SCRM_ACCENT_FOLDING_STRIP, true, "orsted aebelo");
    check_normalize("Ärger", SCRM_ACCENT_FOLDING_TRANSLITERATE, false, "Aerger");
    check_normalize("Ärger", SCRM_ACCENT_FOLDING_KEEP, false, "Ärger");
    check_normalize("Mu\xcc\x88ller", SCRM_ACCENT_FOLDING_KEEP, true, "müller"); /* composed */

    scrm_string *s = NULL;
    scrm_error *err = NULL;
    CHECK_STATUS(scrm_normalize(S("x"), 3, true, &s, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "unknown value 3");
    CHECK(s == NULL);

    check_stem("Kündigungen", "de", "kundig");
    check_stem("Cancelling", "en", "cancel");
    check_stem("complaints", "EN", "complaint");
    check_stem("opzeggingen", "nl", "opzegg");
    check_stem("Läufer", "und", "läufer"); /* unknown language: only normalised */
    check_stem("ισαισα", "el", "ισαισα");  /* panics inside rust-stemmers 1.2: kept as is */

    CHECK_STATUS(scrm_stem(S("klachten"), S("klingon"), &s, &err),
                 SCRM_STATUS_UNKNOWN_LANGUAGE);
    CHECK_ERROR(err, SCRM_STATUS_UNKNOWN_LANGUAGE, "\"klingon\"");
}

/* The size of the large input in MiB: 10, or SCRM_TEST_LARGE_MIB (scripts/test-c.sh uses 1
 * under valgrind, where 10 MiB through the unoptimised debug library takes minutes; the
 * sanitizer run covers the full size). */
static size_t large_input_mib(void) {
    const char *env = getenv("SCRM_TEST_LARGE_MIB");
    long mib = env != NULL ? strtol(env, NULL, 10) : 10;
    return mib > 0 ? (size_t)mib : 10;
}

static void test_large_input(void) {
    /* posts of 7 tokens each, repeated up to the size */
    static const char post[] = "@DB_Bahn #Verspätung schon wieder 😡 https://x.de :-)\n";
    const size_t post_len = sizeof post - 1;
    const size_t reps = (large_input_mib() << 20) / post_len;
    const size_t len = reps * post_len;
    char *text = malloc(len);
    CHECK(text != NULL);
    if (text == NULL) {
        return;
    }
    for (size_t i = 0; i < reps; i++) {
        memcpy(text + i * post_len, post, post_len);
    }
    scrm_token_list *list = NULL;
    scrm_error *err = NULL;
    CHECK_STATUS(scrm_tokenize(text, len, &list, &err), SCRM_STATUS_OK);
    CHECK(err == NULL);
    CHECK_EQ_U(scrm_token_list_len(list), reps * 7);
    printf("tokenized %zu bytes into %zu tokens\n", len, scrm_token_list_len(list));

    /* the last post's tokens have the right offsets and forms */
    scrm_token t;
    const char *p = NULL;
    size_t n = 0;
    size_t last = reps * 7 - 1;
    CHECK_STATUS(scrm_token_list_get(list, last, &t, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(t.kind, SCRM_TOKEN_KIND_EMOTICON);
    CHECK_EQ_U(t.start, len - 4);
    CHECK_STATUS(scrm_token_list_get(list, last - 5, &t, &err), SCRM_STATUS_OK);
    CHECK_EQ_U(t.kind, SCRM_TOKEN_KIND_HASHTAG);
    CHECK_EQ_U(t.start, len - post_len + 9);
    CHECK_STATUS(scrm_token_list_normalized(list, last - 6, &p, &n, &err), SCRM_STATUS_OK);
    CHECK_VIEW(p, n, "@db_bahn");
    CHECK_STATUS(scrm_token_list_part(list, last - 6, 1, &p, &n, &err), SCRM_STATUS_OK);
    CHECK_VIEW(p, n, "Bahn");
    CHECK_STATUS(scrm_token_list_get(list, last + 1, &t, &err), SCRM_STATUS_INVALID_ARGUMENT);
    CHECK_ERROR(err, SCRM_STATUS_INVALID_ARGUMENT, "out of range");
    scrm_token_list_free(list);

    /* normalisation of the whole text in one call */
    scrm_string *s = NULL;
    CHECK_STATUS(scrm_normalize(text, len, SCRM_ACCENT_FOLDING_KEEP, true, &s, &err),
                 SCRM_STATUS_OK);
    CHECK_EQ_U(scrm_string_len(s), len);
    CHECK(s != NULL && memcmp(scrm_string_ptr(s), "@db_bahn #verspätung", 21) == 0);
    scrm_string_free(s);

    /* language detection on a longer text (about 11 KB) */
    scrm_language_guess guess;
    CHECK_STATUS(scrm_detect_language(text, post_len * 200, &guess, &err), SCRM_STATUS_OK);
    CHECK(strcmp(guess.code, "de") == 0);
    free(text);
}

int main(void) {
    RUN_TEST(test_tokenize_social_post);
    RUN_TEST(test_emoji_and_emoticons);
    RUN_TEST(test_normalized_forms);
    RUN_TEST(test_hashtag_and_mention_parts);
    RUN_TEST(test_detect_language);
    RUN_TEST(test_normalize_and_stem);
    RUN_TEST(test_large_input);
    HARNESS_END("test_text");
}
