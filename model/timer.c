/* timer.c — timers: a one-shot deadline on the monotonic clock. When the
 * deadline passes, ZX_TIMER_SIGNALED is asserted and stays asserted until
 * the next timer_set or timer_cancel.
 *
 * States (field `engine_timer`, with deadline/slack):
 *
 *   IDLE --set(future deadline)--> ARMED --engine timer fires--> IDLE+SIGNALED
 *    ^  \--set(past or 0)--> IDLE+SIGNALED                        |
 *    +------------- cancel / set / last handle closed ------------+
 *
 * ARMED: deadline > 0, an engine timer (sim_timer_add) is pending and the
 * timer holds one reference on itself (Zircon's AddRef while armed), so a
 * timer kept only by a wait record still fires. SIGNALED is clear.
 * IDLE: deadline == slack == 0 and no engine timer.
 *
 * Slack: the slack mode (options) and effective slack are recorded and
 * reported by ZX_INFO_TIMER, but the simulator fires at the deadline
 * itself, which lies inside the window of every mode (CENTER [d-s, d+s],
 * EARLY [d-s, d], LATE [d, d+s]); coalescing is not modelled.
 *
 * Read next: sys_timer.c; sys_wait.c for waiting on SIGNALED.
 */
#include <stdlib.h>

#include "kernel.h"
#include "timer.h"

typedef struct KTimer {
    KObject base;
    uint32_t options;        /* ZX_TIMER_SLACK_* */
    zx_clock_t clock_id;
    zx_time_t deadline;      /* 0 when IDLE */
    zx_duration_t slack;     /* 0 when IDLE */
    SimTimerId engine_timer; /* 0 when IDLE */
} KTimer;

static KTimer *timer_from(KObject *o)
{
    return KOBJECT_CAST(o, KTimer, ZX_OBJ_TYPE_TIMER);
}

/* ARMED -> IDLE without signalling; drops the self-reference last. */
static void timer_disarm(KTimer *t)
{
    if (!t->engine_timer)
        return;
    sim_timer_cancel(t->base.kernel->engine, t->engine_timer);
    t->engine_timer = 0;
    t->deadline = 0;
    t->slack = 0;
    kobject_unref(&t->base);
}

static void timer_fired(SimEngine *e, void *ctx)
{
    KTimer *t = ctx;
    t->engine_timer = 0;
    t->deadline = 0;
    t->slack = 0;
    kobject_signal(&t->base, 0, ZX_TIMER_SIGNALED);
    kobject_unref(&t->base);
}

static void timer_on_zero_handles(KObject *o)
{
    timer_disarm((KTimer *)o);
}

static void timer_destroy(KObject *o)
{
    free(o);
}

static void timer_check(const KObject *o)
{
    const KTimer *t = (const KTimer *)o;
    Kernel *k = o->kernel;
    (void)k; /* KCHECK reports through kernel_panic */
    KCHECK(k, t->options <= ZX_TIMER_SLACK_LATE);
    KCHECK(k, (t->engine_timer != 0) == (t->deadline != 0));
    KCHECK(k, t->slack >= 0);
    if (t->engine_timer) {
        KCHECK(k, (o->signals & ZX_TIMER_SIGNALED) == 0);
        KCHECK(k, o->refcount > o->handle_count); /* the self-reference */
    } else {
        KCHECK(k, t->slack == 0);
    }
}

const KObjectOps timer_ops = {
    .type = ZX_OBJ_TYPE_TIMER,
    .name = "timer",
    .default_rights = ZX_DEFAULT_TIMER_RIGHTS,
    .possible_rights = ZX_DEFAULT_TIMER_RIGHTS,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .waitable = true,
    .on_zero_handles = timer_on_zero_handles,
    .destroy = timer_destroy,
    .check = timer_check,
};

bool timer_options_valid(uint32_t options)
{
    return options == ZX_TIMER_SLACK_CENTER || options == ZX_TIMER_SLACK_EARLY ||
           options == ZX_TIMER_SLACK_LATE;
}

zx_status_t timer_new(Kernel *k, uint32_t options, zx_clock_t clock_id,
                         KObject **out)
{
    KTimer *t = calloc(1, sizeof *t);
    if (!t)
        return ZX_ERR_NO_MEMORY;
    kobject_init(k, &t->base, &timer_ops, 0);
    t->options = options;
    t->clock_id = clock_id;
    *out = &t->base;
    return ZX_OK;
}

void timer_set(KObject *o, zx_time_t deadline, zx_duration_t slack)
{
    KTimer *t = timer_from(o);
    Kernel *k = o->kernel;
    timer_disarm(t);
    kobject_signal(o, ZX_TIMER_SIGNALED, 0);
    if (deadline <= 0 || deadline <= kernel_now(k)) {
        kobject_signal(o, 0, ZX_TIMER_SIGNALED);
        return;
    }
    t->deadline = deadline;
    t->slack = slack;
    kobject_ref(o);
    t->engine_timer = sim_timer_add(k->engine, deadline, timer_fired, t);
}

void timer_cancel(KObject *o)
{
    KTimer *t = timer_from(o);
    timer_disarm(t);
    kobject_signal(o, ZX_TIMER_SIGNALED, 0);
}

void timer_info(KObject *o, zx_info_timer_t *info)
{
    KTimer *t = timer_from(o);
    info->options = t->options;
    info->clock_id = t->clock_id;
    info->deadline = t->deadline;
    info->slack = t->slack;
}
