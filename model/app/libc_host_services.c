/* libc_host_services.c — the host's system-wide services, refused to apps.
 *
 * Models: a Fuchsia process has no system log socket, no POSIX message
 * queues, no System V IPC and no message catalogs on disk: what it talks
 * to comes through its namespace. Without these an app's syslog() wrote
 * into the HOST's /dev/log, mq_open made a host queue, shmget/shmat could
 * attach a host process's shared memory, catopen read host files.
 *
 *   openlog, syslog, vsyslog (+__syslog_chk, __vsyslog_chk), closelog,
 *   setlogmask               nothing reaches a log; with openlog's
 *                            LOG_PERROR a message the mask lets through goes
 *                            to the process's stderr as glibc writes it
 *                            there, "IDENT: MESSAGE" ("IDENT[KOID]" with
 *                            LOG_PID; IDENT defaults to the process name).
 *                            The openlog settings and the mask are the
 *                            process's own (AppProc.log)
 *   mq_open (+__mq_open_2), mq_unlink
 *                            -1, errno ENOSYS
 *   shmget, shmat, shmdt, shmctl, semget, semop, semtimedop, semctl,
 *   msgget, msgsnd, msgrcv, msgctl
 *                            -1 ((void *)-1 for shmat), errno ENOSYS
 *   catopen                  (nl_catd)-1, errno ENOENT (catgets then
 *                            returns its default string, as libc's does)
 *
 * Everyone else (the host, the engine) gets libc's own. Read next:
 * libc_locale.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <nl_types.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <syslog.h>

#include "app_world.h"
#include "libc_next.h"

/* ---- syslog ----------------------------------------------------------------*/

/* The calling process's settings (app code only). */
static AppLog *services_log_of(void)
{
    return &app_world_current_proc()->log;
}

/* Its mask: 0 in a new process stands for libc's default, every priority. */
static int services_log_mask(const AppLog *l)
{
    return l->mask ? l->mask : 0xff;
}

LIBC_NEXT_SLOT(openlog);
void openlog(const char *ident, int option, int facility)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(const char *, int, int), openlog)(ident, option, facility);
        return;
    }
    AppLog *l = services_log_of();
    l->ident = ident;
    l->option = option;
}

LIBC_NEXT_SLOT(closelog);
void closelog(void)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(void), closelog)();
        return;
    }
    AppLog *l = services_log_of();
    l->ident = NULL;
    l->option = 0;
}

LIBC_NEXT_SLOT(setlogmask);
int setlogmask(int mask)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(int), setlogmask)(mask);
    AppLog *l = services_log_of();
    int old = services_log_mask(l);
    if (mask)
        l->mask = mask;
    return old;
}

/* In app code: the message to stderr if LOG_PERROR asks and the mask
 * lets it through. */
static void services_log(int pri, const char *fmt, va_list ap)
{
    AppLog *l = services_log_of();
    if (!(l->option & LOG_PERROR) || !(LOG_MASK(LOG_PRI(pri)) & services_log_mask(l)))
        return;
    AppProc *ap_proc = app_world_current_proc();
    const char *ident = l->ident ? l->ident : ap_proc->name;
    if (l->option & LOG_PID)
        fprintf(stderr, "%s[%llu]: ", ident, (unsigned long long)ap_proc->koid);
    else
        fprintf(stderr, "%s: ", ident);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

LIBC_NEXT_SLOT(vsyslog);
void vsyslog(int pri, const char *fmt, va_list ap)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(int, const char *, va_list), vsyslog)(pri, fmt, ap);
        return;
    }
    services_log(pri, fmt, ap);
}

void syslog(int pri, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsyslog(pri, fmt, ap);
    va_end(ap);
}

void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    vsyslog(pri, fmt, ap);
}

void __syslog_chk(int pri, int flag, const char *fmt, ...)
{
    (void)flag;
    va_list ap;
    va_start(ap, fmt);
    vsyslog(pri, fmt, ap);
    va_end(ap);
}

/* ---- message queues, System V IPC, catalogs --------------------------------*/

/* A call refused with `fail` and errno ENOSYS in app code, libc's
 * otherwise. */
#define SERVICES_REFUSE(ret, fail, name, params, args)                         \
    LIBC_REFUSED(app_world_in_app_code(), ret, fail, ENOSYS, name, params, args)

SERVICES_REFUSE(int, -1, mq_unlink, (const char *n), (n))
SERVICES_REFUSE(int, -1, shmget, (key_t k, size_t n, int f), (k, n, f))
SERVICES_REFUSE(void *, (void *)-1, shmat, (int id, const void *a, int f), (id, a, f))
SERVICES_REFUSE(int, -1, shmdt, (const void *a), (a))
SERVICES_REFUSE(int, -1, shmctl, (int id, int cmd, struct shmid_ds *b), (id, cmd, b))
SERVICES_REFUSE(int, -1, semget, (key_t k, int n, int f), (k, n, f))
SERVICES_REFUSE(int, -1, semop, (int id, struct sembuf *o, size_t n), (id, o, n))
SERVICES_REFUSE(int, -1, semtimedop,
                (int id, struct sembuf *o, size_t n, const struct timespec *t), (id, o, n, t))
SERVICES_REFUSE(int, -1, msgget, (key_t k, int f), (k, f))
SERVICES_REFUSE(int, -1, msgsnd, (int id, const void *m, size_t n, int f), (id, m, n, f))
SERVICES_REFUSE(ssize_t, -1, msgrcv, (int id, void *m, size_t n, long t, int f),
                (id, m, n, t, f))
SERVICES_REFUSE(int, -1, msgctl, (int id, int cmd, struct msqid_ds *b), (id, cmd, b))
SERVICES_REFUSE(mqd_t, (mqd_t)-1, __mq_open_2, (const char *n, int f), (n, f))

/* semctl and mq_open take one optional argument (a union semun, or the
 * mode and attributes with O_CREAT): passed on as read. */
LIBC_NEXT_SLOT(semctl);
int semctl(int id, int num, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(int, int, int, ...), semctl)(id, num, cmd, arg);
    errno = ENOSYS;
    return -1;
}

LIBC_NEXT_SLOT(mq_open);
mqd_t mq_open(const char *name, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
    struct mq_attr *attr = (flags & O_CREAT) ? va_arg(ap, struct mq_attr *) : NULL;
    va_end(ap);
    if (!app_world_in_app_code())
        return LIBC_NEXT(mqd_t (*)(const char *, int, ...), mq_open)(name, flags, mode, attr);
    errno = ENOSYS;
    return (mqd_t)-1;
}

LIBC_NEXT_SLOT(catopen);
nl_catd catopen(const char *name, int flag)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(nl_catd (*)(const char *, int), catopen)(name, flag);
    errno = ENOENT;
    return (nl_catd)-1;
}
