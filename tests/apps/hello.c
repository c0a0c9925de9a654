/* hello.c — the README's example app, verbatim below this comment: built
 * by sdk_install.sh with exactly `cc -shared -fPIC $(pkg-config --cflags
 * --libs capsim-app)` against an installed capsim, and run with the
 * installed `capsim run`. It sends "ping" through a channel to itself and
 * prints what it read. */
#include <stdio.h>
#include <zircon/syscalls.h>

int main(int argc, char **argv) {
    zx_handle_t a, b;
    char buf[8];
    uint32_t n = 0;
    zx_channel_create(0, &a, &b);
    zx_channel_write(a, 0, "ping", 4, NULL, 0);
    zx_channel_read(b, 0, buf, NULL, sizeof buf, 0, &n, NULL);
    printf("%s: got %.*s through a channel\n", argv[0], (int)n, buf);
    return 0;
}
