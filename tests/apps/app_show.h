/* app_show.h — one output line per call for the test apps that list what
 * libc answers: "LABEL: VALUE", and errno's name when VALUE is -1. */
#ifndef CAPSIM_TESTS_APP_SHOW_H
#define CAPSIM_TESTS_APP_SHOW_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SHOW(label, expr)                                                      \
    do {                                                                       \
        errno = 0;                                                             \
        long r_ = (long)(expr);                                                \
        printf("%s: %ld%s%s\n", label, r_, r_ == -1 ? " " : "",                \
               r_ == -1 ? strerrorname_np(errno) : "");                        \
    } while (0)

#endif
