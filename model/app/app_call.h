/* app_call.h — every call libcapsim makes into app code. See app_call.c. */
#ifndef CAPSIM_APP_CALL_H
#define CAPSIM_APP_CALL_H

#include <stdbool.h>
#include <stdint.h>

struct dirent;
struct stat;
struct FTW;

/* Each calls fn with the arguments and answers what it answers. When fn is
 * code of a loaded app copy, the call goes through a gate (below);
 * otherwise (built-in programs, libcapsim's own entries) it is plain. */
int app_call_main(int (*fn)(int, char **), int argc, char **argv);
void app_call_init(void (*fn)(int, char **, char **), int argc, char **argv, char **envp);
void app_call_void(void (*fn)(void));
void app_call_with(void (*fn)(void *), void *arg);
void *app_call_thread(void *(*fn)(void *), void *arg);
int app_call_thrd(int (*fn)(void *), void *arg);
void app_call_entry(void (*fn)(uintptr_t, uintptr_t), uintptr_t arg1, uintptr_t arg2);
int app_call_dirent_filter(int (*fn)(const struct dirent *), const struct dirent *e);
int app_call_ftw(int (*fn)(const char *, const struct stat *, int), const char *path,
                 const struct stat *st, int type);
int app_call_nftw(int (*fn)(const char *, const struct stat *, int, struct FTW *),
                  const char *path, const struct stat *st, int type, struct FTW *f);

/* Is `ret` (a return address) inside a gate? Then app code called the
 * interposer answering it by a tail call (a jump that left the gate's
 * return address in place): the caller is the app. */
bool app_call_from_gate(const void *ret);

#endif
