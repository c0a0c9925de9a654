/* photoframe.c — sandbox_overgrant, a photo-frame app whose meta/sandbox
 * asks for far more than it needs (bin/app of the package photoframe).
 *
 * What it models: a package that asks for two device classes
 * (class/framebuffer, class/input) and the features "shell",
 * "persistent-storage" and "hub" — the kind of manifest copied from a
 * developer tool. Under appmgr's grant-all policy every request is granted:
 * "shell" alone brings /boot, /data (all of it), /dev (every device class),
 * /hub, /pkgfs, /system and /tmp. The app reports what it can reach: for
 * each of /dev, /data, /boot and /hub it lists the directory (entries
 * sorted by name, so the output is deterministic) or prints the error;
 * then it reads another tenant's secret, /data/r/app/wallet/keys.
 * Under an allowlist that does not list "shell" the launch is refused and
 * this code never runs.
 * Exit code: 1 if it read the wallet's keys, 0 if not.
 * Read next: the scenario's scenario.py.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PHOTOFRAME_MAX_NAMES 32

static int photoframe_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Print "photoframe: ls PATH: a b c" (sorted), or the error. */
static void photoframe_list(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        printf("photoframe: ls %s: %s\n", path, strerror(errno));
        return;
    }
    char *names[PHOTOFRAME_MAX_NAMES];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < PHOTOFRAME_MAX_NAMES)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], photoframe_cmp);
    printf("photoframe: ls %s:", path);
    for (size_t i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

/* Read the wallet's keys; 1 if it got them. */
static int photoframe_steal(void)
{
    const char *path = "/data/r/app/wallet/keys";
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("photoframe: open %s: %s\n", path, strerror(errno));
        return 0;
    }
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[strcspn(buf, "\n")] = '\0';
    if (n <= 0) {
        printf("photoframe: read %s: nothing\n", path);
        return 0;
    }
    printf("photoframe: read %s: \"%s\" (ANOTHER TENANT'S SECRET)\n", path, buf);
    return 1;
}

int main(void)
{
    printf("photoframe: showing photos (its actual job)\n");
    const char *paths[] = {"/dev", "/dev/class", "/data", "/boot", "/hub"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        photoframe_list(paths[i]);
    int stole = photoframe_steal();
    printf("photoframe: the wallet's keys are %s\n", stole ? "MINE" : "out of reach");
    return stole;
}
