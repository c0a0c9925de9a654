/* sandbox_json.h — JSON text of packages and policies, parsed strictly.
 * See sandbox_json.c. */
#ifndef CAPSIM_SANDBOX_JSON_H
#define CAPSIM_SANDBOX_JSON_H

#include <json-glib/json-glib.h>
#include <stddef.h>

/* The root of `len` bytes of JSON (free with json_node_unref), or NULL and
 * *problem (g_free it): "not valid JSON: ..." or "the key \"k\" appears
 * twice in one object". */
JsonNode *sandbox_json_parse(const char *data, size_t len, char **problem);

/* What a node is, for messages that say what was found where something
 * else was expected: "null", "a string", "a number", "a boolean",
 * "an array", "an object" ("nothing" for NULL). */
const char *sandbox_json_kind(JsonNode *node);

#endif
