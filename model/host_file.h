/* host_file.h — reading a host file a user named (an app, a package
 * archive, a policy, a rules file): regular files only. See host_file.c. */
#ifndef CAPSIM_MODEL_HOST_FILE_H
#define CAPSIM_MODEL_HOST_FILE_H

#include <glib.h>

/* g_file_get_contents for a file the user named: the whole file, NUL
 * appended, or false and *err (G_FILE_ERROR, its message naming the file)
 * when it cannot be opened or read or is not a regular file. A named
 * pipe, a device or a socket is refused at once, where a plain read would
 * wait for a writer or never end. */
gboolean host_file_read(const char *path, gchar **contents, gsize *len, GError **err);

#endif
