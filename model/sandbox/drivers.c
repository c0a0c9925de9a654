/* drivers.c — the simulated drivers behind /dev: a framebuffer and an input
 * device, each a program of its own.
 *
 * What they model: a display driver that hands out its framebuffer as a
 * VMO (whoever holds it can read and paint the screen: the capability a
 * compositor such as root_presenter needs, and a juicy one to leak), and an
 * input driver producing pointer reports. Both speak the small protocols of
 * <lib/fdio/capsim_protocols.h> on every connection devmgr passes them
 * through their connector (DEVICE_OP_CONNECT).
 *
 * Determinism: input reports are a pure function of their sequence number
 * (a pointer walking a diagonal), stamped with virtual time; the
 * framebuffer starts zeroed. Unknown requests close the connection.
 * Left out: modes, vsync, real HID descriptors. Read next: services.c.
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <lib/fdio/capsim_protocols.h>

#include "programs.h"

typedef struct FbDriver {
    uint32_t width, height;
    zx_handle_t vmo;
    uint64_t frames;
} FbDriver;

typedef struct InputDriver {
    uint64_t seq;
} InputDriver;

static void driver_reply(IoEndpoint *ep, const void *r, size_t n, zx_handle_t *h,
                         uint32_t nh)
{
    zx_channel_write(ep->channel, 0, r, (uint32_t)n, h, nh);
}

static void fb_message(IoLoop *loop, IoEndpoint *ep, IoMessage *m)
{
    FbDriver *fb = ep->ctx;
    FioHeader h;
    if (m->nbytes < sizeof h) {
        io_loop_remove(loop, ep);
        return;
    }
    memcpy(&h, m->bytes, sizeof h);
    CapsimFbInfoReply r = {.hdr = h, .format = CAPSIM_FB_FORMAT_ARGB_8888,
                           .width = fb->width, .height = fb->height,
                           .stride = fb->width, .pixel_size = 4};
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    switch (h.ordinal) {
    case CAPSIM_FB_OP_GET_INFO:
        break;
    case CAPSIM_FB_OP_GET_VMO:
        r.status = zx_handle_duplicate(fb->vmo, ZX_RIGHTS_BASIC | ZX_RIGHT_READ |
                                           ZX_RIGHT_WRITE | ZX_RIGHT_MAP |
                                           ZX_RIGHT_GET_PROPERTY, &vmo);
        break;
    case CAPSIM_FB_OP_FLUSH:
        fb->frames++;
        break;
    default:
        io_loop_remove(loop, ep);
        return;
    }
    r.frames = fb->frames;
    driver_reply(ep, &r, sizeof r, vmo != ZX_HANDLE_INVALID ? &vmo : NULL,
                 vmo != ZX_HANDLE_INVALID ? 1 : 0);
}

static void input_message(IoLoop *loop, IoEndpoint *ep, IoMessage *m)
{
    InputDriver *in = ep->ctx;
    FioHeader h;
    if (m->nbytes < sizeof h) {
        io_loop_remove(loop, ep);
        return;
    }
    memcpy(&h, m->bytes, sizeof h);
    CapsimInputReport r = {.hdr = h, .device = CAPSIM_INPUT_DEVICE_MOUSE};
    if (h.ordinal == CAPSIM_INPUT_OP_READ_REPORT) {
        r.seq = ++in->seq;
        r.time = zx_clock_get_monotonic();
        r.x = (int32_t)(r.seq * 7 % 640);
        r.y = (int32_t)(r.seq * 5 % 480);
        r.buttons = (uint32_t)(r.seq % 4 == 0);
    } else if (h.ordinal != CAPSIM_INPUT_OP_GET_INFO) {
        io_loop_remove(loop, ep);
        return;
    }
    driver_reply(ep, &r, sizeof r, NULL, 0);
}

typedef struct DriverConnector {
    IoMessageFn on_device;
    void *state;
} DriverConnector;

static void driver_connector(IoLoop *loop, IoEndpoint *ep, IoMessage *m)
{
    DriverConnector *dc = ep->ctx;
    FioHeader h;
    if (m->nbytes < sizeof h || m->nhandles != 1)
        return;
    memcpy(&h, m->bytes, sizeof h);
    if (h.ordinal != DEVICE_OP_CONNECT)
        return;
    zx_handle_t ch = m->handles[0];
    m->handles[0] = ZX_HANDLE_INVALID;
    io_loop_add(loop, ch, dc->on_device, NULL, dc->state);
}

static void driver_run(IoMessageFn on_device, void *state)
{
    zx_handle_t connector = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    IoLoop *loop = io_loop_new();
    DriverConnector dc = {on_device, state};
    if (!loop || connector == ZX_HANDLE_INVALID)
        zx_process_exit(1);
    io_loop_add(loop, connector, driver_connector, NULL, &dc);
    io_loop_run(loop);
    zx_process_exit(0);
}

void fb_driver_program(uintptr_t arg, uintptr_t unused)
{
    const FbDriverConfig *cfg = (const FbDriverConfig *)arg;
    FbDriver fb = {.width = cfg->width, .height = cfg->height};
    if (zx_vmo_create((uint64_t)fb.width * fb.height * 4u, 0, &fb.vmo) != ZX_OK)
        zx_process_exit(1);
    zx_object_set_property(fb.vmo, ZX_PROP_NAME, "framebuffer", 11);
    driver_run(fb_message, &fb);
}

void input_driver_program(uintptr_t arg, uintptr_t unused)
{
    InputDriver in = {0};
    driver_run(input_message, &in);
}
