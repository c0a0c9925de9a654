/* eventpair.h — event pairs: two peered events. */
#ifndef CAPSIM_MODEL_EVENTPAIR_H
#define CAPSIM_MODEL_EVENTPAIR_H

#include "object.h"

extern const KObjectOps eventpair_ops;

zx_status_t eventpair_create(Kernel *k, KObject **out0, KObject **out1);

#endif
