/* libc_malloc.h — the heap choice of libc_malloc.c, for the interposers
 * that hand their caller memory to free (libc_alloc_results.c,
 * libc_memstream.c, the fdio calls realpath, getcwd, tempnam, scandir...).
 * See libc_malloc.c. */
#ifndef CAPSIM_APP_LIBC_MALLOC_H
#define CAPSIM_APP_LIBC_MALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* Would malloc called from `caller` (a return address) answer from the
 * calling process's heap? App code of a loaded copy, directly or by a
 * tail call (app_call.c): yes; anyone else keeps libc's heap. */
bool libc_malloc_app_caller(const void *caller);
/* malloc(n) / realloc(p, n) as if `caller` had called them: the block
 * comes from the heap malloc would have chosen for it (realloc of a block
 * goes by its address, as always). */
void *libc_malloc_for(const void *caller, size_t n);
void *libc_realloc_for(const void *caller, void *p, size_t n);
/* strdup(s) as if `caller` had called it (libc_alloc_results.c). */
char *libc_strdup_for(const void *caller, const char *s);

#endif
