/* viz_dot.h — drawing a view with graphviz: DOT text built with libcgraph,
 * laid out and rendered to SVG, PNG or PDF with libgvc in-process (never
 * by running `dot`). Flat header. Read next: viz_dot.c.
 */
#ifndef CAPSIM_VIZ_DOT_H
#define CAPSIM_VIZ_DOT_H

#include <stdbool.h>
#include <stddef.h>

#include "viz_view.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum VizFormat {
    VIZ_FORMAT_DOT = 0,   /* graph source, no layout */
    VIZ_FORMAT_SVG,
    VIZ_FORMAT_PNG,
    VIZ_FORMAT_PDF,
    VIZ_FORMAT_JSON       /* networkx node-link (viz_json.h; not a picture) */
} VizFormat;

typedef struct VizDotOptions {
    const char *engine;   /* "dot", "sfdp", "neato", "fdp"; NULL = dot, or
                             sfdp for overviews and views over 300 nodes */
    bool legend;          /* draw the legend (default on) */
} VizDotOptions;

void viz_dot_options_default(VizDotOptions *o);
/* "dot", "svg", "png", "pdf", "json" -> format; false if unknown. */
bool viz_dot_format_parse(const char *name, VizFormat *out);
/* The format a file name's extension asks for; false if none matches. */
bool viz_dot_format_from_path(const char *path, VizFormat *out);
const char *viz_dot_format_name(VizFormat f);
/* The formats viz_dot_format_parse knows, for messages: "dot, svg, png,
 * pdf, json"; pictures_only leaves out json (not a picture). Static. */
const char *viz_dot_format_list(bool pictures_only);

/* Render into a malloc'ed buffer (*data, *len; free with free()).
 * Returns 0, or -1 with a message in err. Not for VIZ_FORMAT_JSON. */
int viz_dot_render(const VizView *v, const VizDotOptions *o, VizFormat f,
                   char **data, size_t *len, char *err, size_t errlen);
/* Same, into a file ("-" = stdout). Errors name the file. */
int viz_dot_render_file(const VizView *v, const VizDotOptions *o,
                        VizFormat f, const char *path, char *err,
                        size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
