/* syscall_xmacro.h — expands the one syscall table
 * (<zircon/syscalls/definitions.inc>) into whatever the includer needs.
 *
 * The table's lines are ZX_SYSCALLn(name, ret, type1, arg1, ..., typen, argn)
 * and ZX_SYSCALL_NORETURNn(...). Before including this file define exactly
 * one of:
 *   ZX_SYSCALL_OP(name)                      -> one token per syscall
 *   ZX_SYSCALL_DECL(name, ret, ctxparams)    -> handler prototypes
 *   ZX_SYSCALL_CASE(name, ret, ctxargs, noret) -> dispatch switch cases
 *   ZX_SYSCALL_STUB(name, ret, params, pack, noreturn) -> app-side stubs
 * The file undefines everything it defines, so it can be included again.
 * Written once by hand from a template; arity 0..8.
 */

#define ZX_SYSCALL0(name, ret) \
    ZX_SYSCALL_EXPAND_(name, ret, 0, (void), (SysCtx *c), \
        (c), \
        {  })
#define ZX_SYSCALL1(name, ret, t1, a1) \
    ZX_SYSCALL_EXPAND_(name, ret, 0, (t1 a1), (SysCtx *c, t1 a1), \
        (c, (t1)(uintptr_t)q->a[0]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); })
#define ZX_SYSCALL2(name, ret, t1, a1, t2, a2) \
    ZX_SYSCALL_EXPAND_(name, ret, 0, (t1 a1, t2 a2), (SysCtx *c, t1 a1, t2 a2), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); })
#define ZX_SYSCALL3(name, ret, t1, a1, t2, a2, t3, a3) \
    ZX_SYSCALL_EXPAND_(name, ret, 0, (t1 a1, t2 a2, t3 a3), (SysCtx *c, t1 a1, t2 a2, t3 a3), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); })
#define ZX_SYSCALL4(name, ret, t1, a1, t2, a2, t3, a3, t4, a4) \
    ZX_SYSCALL_EXPAND_(name, ret, 0, (t1 a1, t2 a2, t3 a3, t4 a4), (SysCtx *c, t1 a1, t2 a2, t3 a3, t4 a4), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2], (t4)(uintptr_t)q->a[3]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); q.a[3] = (uint64_t)(uintptr_t)(a4); })
#define ZX_SYSCALL5(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
    ZX_SYSCALL_EXPAND_(name, ret, 0, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5), (SysCtx *c, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2], (t4)(uintptr_t)q->a[3], (t5)(uintptr_t)q->a[4]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); q.a[3] = (uint64_t)(uintptr_t)(a4); q.a[4] = (uint64_t)(uintptr_t)(a5); })
#define ZX_SYSCALL6(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
    ZX_SYSCALL_EXPAND_(name, ret, 0, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6), (SysCtx *c, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2], (t4)(uintptr_t)q->a[3], (t5)(uintptr_t)q->a[4], (t6)(uintptr_t)q->a[5]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); q.a[3] = (uint64_t)(uintptr_t)(a4); q.a[4] = (uint64_t)(uintptr_t)(a5); q.a[5] = (uint64_t)(uintptr_t)(a6); })
#define ZX_SYSCALL7(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7) \
    ZX_SYSCALL_EXPAND_(name, ret, 0, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7), (SysCtx *c, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2], (t4)(uintptr_t)q->a[3], (t5)(uintptr_t)q->a[4], (t6)(uintptr_t)q->a[5], (t7)(uintptr_t)q->a[6]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); q.a[3] = (uint64_t)(uintptr_t)(a4); q.a[4] = (uint64_t)(uintptr_t)(a5); q.a[5] = (uint64_t)(uintptr_t)(a6); q.a[6] = (uint64_t)(uintptr_t)(a7); })
#define ZX_SYSCALL8(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8) \
    ZX_SYSCALL_EXPAND_(name, ret, 0, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8), (SysCtx *c, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2], (t4)(uintptr_t)q->a[3], (t5)(uintptr_t)q->a[4], (t6)(uintptr_t)q->a[5], (t7)(uintptr_t)q->a[6], (t8)(uintptr_t)q->a[7]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); q.a[3] = (uint64_t)(uintptr_t)(a4); q.a[4] = (uint64_t)(uintptr_t)(a5); q.a[5] = (uint64_t)(uintptr_t)(a6); q.a[6] = (uint64_t)(uintptr_t)(a7); q.a[7] = (uint64_t)(uintptr_t)(a8); })
#define ZX_SYSCALL_NORETURN0(name, ret) \
    ZX_SYSCALL_EXPAND_(name, ret, 1, (void), (SysCtx *c), \
        (c), \
        {  })
#define ZX_SYSCALL_NORETURN1(name, ret, t1, a1) \
    ZX_SYSCALL_EXPAND_(name, ret, 1, (t1 a1), (SysCtx *c, t1 a1), \
        (c, (t1)(uintptr_t)q->a[0]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); })
#define ZX_SYSCALL_NORETURN2(name, ret, t1, a1, t2, a2) \
    ZX_SYSCALL_EXPAND_(name, ret, 1, (t1 a1, t2 a2), (SysCtx *c, t1 a1, t2 a2), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); })
#define ZX_SYSCALL_NORETURN3(name, ret, t1, a1, t2, a2, t3, a3) \
    ZX_SYSCALL_EXPAND_(name, ret, 1, (t1 a1, t2 a2, t3 a3), (SysCtx *c, t1 a1, t2 a2, t3 a3), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); })
#define ZX_SYSCALL_NORETURN4(name, ret, t1, a1, t2, a2, t3, a3, t4, a4) \
    ZX_SYSCALL_EXPAND_(name, ret, 1, (t1 a1, t2 a2, t3 a3, t4 a4), (SysCtx *c, t1 a1, t2 a2, t3 a3, t4 a4), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2], (t4)(uintptr_t)q->a[3]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); q.a[3] = (uint64_t)(uintptr_t)(a4); })
#define ZX_SYSCALL_NORETURN5(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
    ZX_SYSCALL_EXPAND_(name, ret, 1, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5), (SysCtx *c, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2], (t4)(uintptr_t)q->a[3], (t5)(uintptr_t)q->a[4]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); q.a[3] = (uint64_t)(uintptr_t)(a4); q.a[4] = (uint64_t)(uintptr_t)(a5); })
#define ZX_SYSCALL_NORETURN6(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
    ZX_SYSCALL_EXPAND_(name, ret, 1, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6), (SysCtx *c, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2], (t4)(uintptr_t)q->a[3], (t5)(uintptr_t)q->a[4], (t6)(uintptr_t)q->a[5]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); q.a[3] = (uint64_t)(uintptr_t)(a4); q.a[4] = (uint64_t)(uintptr_t)(a5); q.a[5] = (uint64_t)(uintptr_t)(a6); })
#define ZX_SYSCALL_NORETURN7(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7) \
    ZX_SYSCALL_EXPAND_(name, ret, 1, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7), (SysCtx *c, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2], (t4)(uintptr_t)q->a[3], (t5)(uintptr_t)q->a[4], (t6)(uintptr_t)q->a[5], (t7)(uintptr_t)q->a[6]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); q.a[3] = (uint64_t)(uintptr_t)(a4); q.a[4] = (uint64_t)(uintptr_t)(a5); q.a[5] = (uint64_t)(uintptr_t)(a6); q.a[6] = (uint64_t)(uintptr_t)(a7); })
#define ZX_SYSCALL_NORETURN8(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8) \
    ZX_SYSCALL_EXPAND_(name, ret, 1, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8), (SysCtx *c, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8), \
        (c, (t1)(uintptr_t)q->a[0], (t2)(uintptr_t)q->a[1], (t3)(uintptr_t)q->a[2], (t4)(uintptr_t)q->a[3], (t5)(uintptr_t)q->a[4], (t6)(uintptr_t)q->a[5], (t7)(uintptr_t)q->a[6], (t8)(uintptr_t)q->a[7]), \
        { q.a[0] = (uint64_t)(uintptr_t)(a1); q.a[1] = (uint64_t)(uintptr_t)(a2); q.a[2] = (uint64_t)(uintptr_t)(a3); q.a[3] = (uint64_t)(uintptr_t)(a4); q.a[4] = (uint64_t)(uintptr_t)(a5); q.a[5] = (uint64_t)(uintptr_t)(a6); q.a[6] = (uint64_t)(uintptr_t)(a7); q.a[7] = (uint64_t)(uintptr_t)(a8); })

#if defined(ZX_SYSCALL_OP)
#define ZX_SYSCALL_EXPAND_(name, ret, noret, params, ctxparams, ctxargs, pack) ZX_SYSCALL_OP(name)
#elif defined(ZX_SYSCALL_DECL)
#define ZX_SYSCALL_EXPAND_(name, ret, noret, params, ctxparams, ctxargs, pack) ZX_SYSCALL_DECL(name, ret, ctxparams)
#elif defined(ZX_SYSCALL_CASE)
#define ZX_SYSCALL_EXPAND_(name, ret, noret, params, ctxparams, ctxargs, pack) ZX_SYSCALL_CASE(name, ret, ctxargs, noret)
#elif defined(ZX_SYSCALL_STUB)
#define ZX_SYSCALL_EXPAND_(name, ret, noret, params, ctxparams, ctxargs, pack) ZX_SYSCALL_STUB(name, ret, params, pack, noret)
#else
#error "define ZX_SYSCALL_OP, ZX_SYSCALL_DECL, ZX_SYSCALL_CASE or ZX_SYSCALL_STUB before including syscall_xmacro.h"
#endif

#include <zircon/syscalls/definitions.inc>

#undef ZX_SYSCALL0
#undef ZX_SYSCALL1
#undef ZX_SYSCALL2
#undef ZX_SYSCALL3
#undef ZX_SYSCALL4
#undef ZX_SYSCALL5
#undef ZX_SYSCALL6
#undef ZX_SYSCALL7
#undef ZX_SYSCALL8
#undef ZX_SYSCALL_NORETURN0
#undef ZX_SYSCALL_NORETURN1
#undef ZX_SYSCALL_NORETURN2
#undef ZX_SYSCALL_NORETURN3
#undef ZX_SYSCALL_NORETURN4
#undef ZX_SYSCALL_NORETURN5
#undef ZX_SYSCALL_NORETURN6
#undef ZX_SYSCALL_NORETURN7
#undef ZX_SYSCALL_NORETURN8
#undef ZX_SYSCALL_EXPAND_
#undef ZX_SYSCALL_OP
#undef ZX_SYSCALL_DECL
#undef ZX_SYSCALL_CASE
#undef ZX_SYSCALL_STUB
