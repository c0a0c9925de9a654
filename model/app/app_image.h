/* app_image.h — the AppImage structure, shared by the files of model/app.
 * See app_image.c. */
#ifndef CAPSIM_APP_IMAGE_H
#define CAPSIM_APP_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "app_elf.h"

struct AppImage {
    int refs;
    char *name;              /* file path, FAR path or built-in name */
    AppMainFn builtin;       /* built-in program: its main; else NULL */
    uint8_t *bytes;          /* ELF image (NULL for a built-in) */
    size_t len;
    AppElfInfo elf;
};

#endif
