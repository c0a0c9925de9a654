/* app_rwlock_wake.c — whom an rwlock's unlock wakes, and whether a writer
 * starves (model/app/libc_pthread_rwlock.c's policy).
 *
 *   app_rwlock_wake herd KIND N      main holds the lock as writer while N
 *                                    readers and 2 writers block on it,
 *                                    then unlocks. Prints the order they
 *                                    got it in. test_apps counts the
 *                                    futex waits: with the lock waking
 *                                    only whom it lets go, each waiter
 *                                    sleeps exactly once (N + 2)
 *   app_rwlock_wake starve KIND      4 readers hold it in overlapping turns
 *                                    (5 each, 0.2 ms); a writer comes at
 *                                    0.52 ms: how many reader turns ended
 *                                    before it got the lock
 *
 * KIND: reader (the default kind, Fuchsia's libc's) or writer
 * (PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP). Main never blocks on a
 * futex itself: it sleeps past the end before joining. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls.h>

#define US INT64_C(1000)
#define MAX_READERS 64

static pthread_rwlock_t lock;
static char order[MAX_READERS + 8];
static int got;

static void took(char who)
{
    order[got++] = who;
}

static void *herd_reader(void *arg)
{
    pthread_rwlock_rdlock(&lock);
    took('R');
    zx_nanosleep(zx_deadline_after(100 * US)); /* the readers share it */
    pthread_rwlock_unlock(&lock);
    return NULL;
}

static void *herd_writer(void *arg)
{
    pthread_rwlock_wrlock(&lock);
    took('W');
    zx_nanosleep(zx_deadline_after(100 * US));
    pthread_rwlock_unlock(&lock);
    return NULL;
}

static void herd(int readers)
{
    pthread_t t[MAX_READERS + 2];
    int n = 0;
    pthread_rwlock_wrlock(&lock);
    for (int i = 0; i < readers; i++)
        pthread_create(&t[n++], NULL, herd_reader, NULL);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[n++], NULL, herd_writer, NULL);
    zx_nanosleep(zx_deadline_after(1000 * US)); /* all of them wait now */
    pthread_rwlock_unlock(&lock);
    zx_nanosleep(zx_deadline_after(10000 * US)); /* all of them are done */
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("herd: %d readers, 2 writers, got it in the order %s\n", readers, order);
}

#define STARVE_READERS 4
#define STARVE_TURNS 5

static int turns_done, turns_before_writer = -1;

static void *starve_reader(void *arg)
{
    zx_nanosleep(zx_deadline_after((intptr_t)arg * 50 * US)); /* staggered */
    for (int i = 0; i < STARVE_TURNS; i++) {
        pthread_rwlock_rdlock(&lock);
        zx_nanosleep(zx_deadline_after(200 * US));
        turns_done++;
        pthread_rwlock_unlock(&lock);
    }
    return NULL;
}

static void *starve_writer(void *arg)
{
    zx_nanosleep(zx_deadline_after(520 * US));
    pthread_rwlock_wrlock(&lock);
    turns_before_writer = turns_done;
    pthread_rwlock_unlock(&lock);
    return NULL;
}

static void starve(void)
{
    pthread_t t[STARVE_READERS + 1];
    for (intptr_t i = 0; i < STARVE_READERS; i++)
        pthread_create(&t[i], NULL, starve_reader, (void *)i);
    pthread_create(&t[STARVE_READERS], NULL, starve_writer, NULL);
    zx_nanosleep(zx_deadline_after(20000 * US));
    for (int i = 0; i <= STARVE_READERS; i++)
        pthread_join(t[i], NULL);
    printf("starve: the writer got it after %d of %d reader turns\n", turns_before_writer,
           STARVE_READERS * STARVE_TURNS);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    pthread_rwlockattr_t a;
    pthread_rwlockattr_init(&a);
    pthread_rwlockattr_setkind_np(&a, strcmp(argv[2], "writer")
                                          ? PTHREAD_RWLOCK_PREFER_READER_NP
                                          : PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&lock, &a);
    if (!strcmp(argv[1], "herd") && argc > 3) {
        int readers = atoi(argv[3]);
        if (readers < 1 || readers > MAX_READERS)
            return 2;
        herd(readers);
    } else if (!strcmp(argv[1], "starve")) {
        starve();
    } else {
        return 2;
    }
    return 0;
}
