/* wx.h — the actors of the wx_memory scenario (one app, wx_memory.so; the
 * role is --role=NAME or the process name):
 *
 *   launcher.c  makes a sandbox job with the variant's job policy and
 *               starts the sandbox in it (what a scenario script may do
 *               itself: the sandbox does not care who set the policy);
 *   sandbox.c   a program that wants to run code it generates: it marks a
 *               fresh VMO executable without a VMEX resource, then tries a
 *               writable+executable mapping and a writable/executable
 *               alias pair, and calls the code it wrote through each.
 *
 * Variants (the sandbox job's policy): vulnerable (none), wx_only
 * (ZX_POL_VMAR_WX denied), mitigated (ZX_POL_VMAR_WX and
 * ZX_POL_AMBIENT_MARK_VMO_EXEC denied). Read next: sandbox.c.
 */
#ifndef CAPSIM_ATTACK_WX_H
#define CAPSIM_ATTACK_WX_H

/* What the generated code returns through each method. */
#define WX_RESULT_WX 42
#define WX_RESULT_ALIAS 43

int wx_sandbox_main(int argc, char **argv);

#endif
