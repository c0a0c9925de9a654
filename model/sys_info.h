/* sys_info.h — shared pieces of object_get_info: the output descriptor and
 * the record writers every topic uses (sys_info.c), and the topic families
 * (sys_info_task.c, sys_info_memory.c). */
#ifndef CAPSIM_MODEL_SYS_INFO_H
#define CAPSIM_MODEL_SYS_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syscall.h"

typedef struct InfoOut {
    SysCtx *c;
    void *buffer;
    size_t size;
    size_t *actual, *avail;
} InfoOut;

/* A growable record buffer for array topics. */
typedef struct InfoVec {
    uint8_t *data;
    size_t n, cap, rec;
    bool oom;
} InfoVec;

/* Write *actual and *avail (either may be NULL). */
zx_status_t info_counts(InfoOut *o, size_t actual, size_t avail);
/* One record, or ZX_ERR_BUFFER_TOO_SMALL with actual 0 and avail 1. */
zx_status_t info_single(InfoOut *o, const void *rec, size_t rec_size);
/* As many whole records as fit; never an error for a short buffer. */
zx_status_t info_array(InfoOut *o, const void *recs, size_t rec_size, size_t n);
void *info_vec_push(InfoVec *v);
zx_status_t info_vec_finish(InfoOut *o, InfoVec *v);
/* Topic families: ZX_ERR_NOT_SUPPORTED for topics they do not know. */
zx_status_t info_task_topic(InfoOut *o, zx_handle_t handle, uint32_t topic);
zx_status_t info_memory_topic(InfoOut *o, zx_handle_t handle, uint32_t topic);

#endif
