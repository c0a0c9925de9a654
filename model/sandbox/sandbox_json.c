/* sandbox_json.c — JSON text of packages and policies, parsed strictly.
 *
 * An allowlist, a component manifest and meta/package decide what a
 * sandbox may reach, so a mistake in them must be reported, not guessed
 * at. JSON itself allows a key twice in one object and json-glib keeps the
 * last value without a word: `"packages"` written twice would silently drop
 * the first list. Here a repeated key is an error naming it. How: the
 * parser's "object-member" signal fires after each member is stored; an
 * object whose size lags the members parsed into it got one of them twice.
 * The counts are looked up by object (never iterated), and the first
 * repetition in the text is the one reported. Messages about a value of
 * the wrong kind say which kind it is (sandbox_json_kind: "null"...), so
 * that a null entry reads as such, not as a wrong file. */
#include "sandbox_json.h"

typedef struct JsonDupCheck {
    GHashTable *members;   /* JsonObject* -> members parsed into it */
    char *key;             /* the first key seen twice, or NULL */
} JsonDupCheck;

static void sandbox_json_on_member(JsonParser *parser, JsonObject *object,
                                   const gchar *name, gpointer data)
{
    (void)parser;
    JsonDupCheck *d = data;
    guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(d->members, object)) + 1;
    g_hash_table_insert(d->members, object, GUINT_TO_POINTER(seen));
    if (!d->key && json_object_get_size(object) < seen)
        d->key = g_strdup(name);
}

JsonNode *sandbox_json_parse(const char *data, size_t len, char **problem)
{
    *problem = NULL;
    JsonParser *parser = json_parser_new();
    JsonDupCheck d = {g_hash_table_new(g_direct_hash, g_direct_equal), NULL};
    g_signal_connect(parser, "object-member", G_CALLBACK(sandbox_json_on_member), &d);
    GError *err = NULL;
    JsonNode *root = NULL;
    if (!json_parser_load_from_data(parser, data, (gssize)len, &err)) {
        *problem = g_strdup_printf("not valid JSON: %s", err->message);
        g_error_free(err);
    } else if (d.key) {
        *problem = g_strdup_printf("the key \"%s\" appears twice in one object", d.key);
    } else {
        JsonNode *r = json_parser_get_root(parser);
        root = r ? json_node_copy(r) : json_node_new(JSON_NODE_NULL);
    }
    g_free(d.key);
    g_hash_table_destroy(d.members);
    g_object_unref(parser);
    return root;
}

const char *sandbox_json_kind(JsonNode *node)
{
    if (!node)
        return "nothing";
    switch (json_node_get_node_type(node)) {
    case JSON_NODE_NULL:
        return "null";
    case JSON_NODE_ARRAY:
        return "an array";
    case JSON_NODE_OBJECT:
        return "an object";
    case JSON_NODE_VALUE:
        break;
    }
    GType t = json_node_get_value_type(node);
    if (t == G_TYPE_STRING)
        return "a string";
    if (t == G_TYPE_BOOLEAN)
        return "a boolean";
    return "a number";
}
