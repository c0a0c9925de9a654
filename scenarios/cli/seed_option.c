/* seed_option.c — the one reading of `--seed N` for every subcommand that
 * makes a run (demo, run, component, graph, analyze, trace).
 *
 * A seed is any 64-bit unsigned integer, written in decimal, as the Python
 * package takes it. GLib's INT64 option type would take "-1" and wrap it
 * to 2^64-1 without a word, and refuse seeds of 2^63 and more, so the
 * option is read as text and checked here: a negative number, one too
 * large, or trailing text is an error naming the value. */
#include <glib.h>
#include <stdio.h>

#include "commands.h"

bool cli_seed_parse(const char *prog, const char *text, uint64_t *seed)
{
    if (!text)
        return true; /* not given: the default stays */
    guint64 value = 0;
    GError *err = NULL;
    if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &value, &err)) {
        fprintf(stderr, "%s: --seed %s: %s (a seed is a decimal number 0..%" G_GUINT64_FORMAT ")\n",
                prog, text, err->message, G_MAXUINT64);
        g_error_free(err);
        return false;
    }
    *seed = value;
    return true;
}
