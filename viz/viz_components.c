/* viz_components.c — components in snapshots.
 *
 * What it models: a component (a package launched by the component
 * manager into a sandbox) as a node of the capability graph, named by its
 * package, with MEMBER edges to the job it runs in and to its process.
 * Views draw the job's cluster as the component's sandbox; the analysis
 * takes "component:NAME" as the processes of that component.
 * The namespace entries themselves need nothing from here: export.c reads
 * them from each process's runtime (fdio's table or the startup handles).
 *
 * Invariants: components are added in launch order (deterministic); a
 * refused launch has no job and no node.
 * Left out: environments (their jobs appear as plain jobs).
 * Read next: viz_view.c (how clusters are drawn).
 */
#include <stdio.h>

#include "component_manager.h"
#include "export.h"
#include "job.h"
#include "process.h"
#include "viz_components.h"

static void viz_components_contribute(Kernel *k, ExportSink *sink, void *ctx)
{
    CmSystem *cm = ctx;
    for (size_t i = 0; i < cm_component_count(cm); i++) {
        CmComponent *c = cm_component_at(cm, i);
        KJob *job = cm_component_job(c);
        KProcess *p = cm_component_process(c);
        if (cm_component_refusal(c) || !job)
            continue;
        char url[256];
        snprintf(url, sizeof url, "fuchsia-pkg://capsim/%s", cm_component_package(c));
        uint64_t id = export_add_component(sink, cm_component_package(c), url);
        export_add_member(sink, id, job->base.koid);
        if (p)
            export_add_member(sink, id, p->base.koid);
    }
}

int viz_components_watch(CmSystem *cm)
{
    return export_set_contributor(cm_kernel(cm), viz_components_contribute, cm);
}

void viz_components_forget(CmSystem *cm)
{
    export_set_contributor(cm_kernel(cm), NULL, NULL);
}
