/* viz_components.h — components and sandboxes in capability graphs: a
 * contributor that adds, for every component the component manager
 * launched, a component node and its membership (its job and process), so
 * pictures cluster them and the analysis can take "component:NAME" as a
 * principal. Flat header. Read next: viz_components.c.
 */
#ifndef CAPSIM_VIZ_COMPONENTS_H
#define CAPSIM_VIZ_COMPONENTS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct CmSystem CmSystem;

/* Add cm's components to every later snapshot of its kernel (0), or -1
 * when too many kernels have contributors. viz_components_forget before
 * cm_free. */
int viz_components_watch(CmSystem *cm);
void viz_components_forget(CmSystem *cm);

#ifdef __cplusplus
}
#endif
#endif
