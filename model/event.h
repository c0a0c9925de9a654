/* event.h — events: an object whose only state is its signals. */
#ifndef CAPSIM_MODEL_EVENT_H
#define CAPSIM_MODEL_EVENT_H

#include "object.h"

extern const KObjectOps event_ops;

zx_status_t event_create(Kernel *k, KObject **out);

#endif
