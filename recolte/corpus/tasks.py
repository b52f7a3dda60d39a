"""Background work: each stored resource version is processed by a task worker."""

from django_tasks import task

from recolte.collection.models import ResourceVersion

from .runs import execute, start_run, takeover


@task()
def process_version_task(version_id: int) -> int:
    """Process one version inside a run of its own, so its progress shows on the pages."""
    version = ResourceVersion.objects.select_related("resource__programme").get(pk=version_id)
    run = start_run(
        [version_id],
        programme=version.resource.programme,
        label=f"resource {version.resource_id} v{version.number}",
    )
    passages = execute(run).passages
    # A worker killed mid-run left its run behind: the next task of the programme finishes it.
    for left in takeover(programme=version.resource.programme):
        passages += execute(left).passages
    return passages


def on_version_stored(sender, version: ResourceVersion, **kwargs) -> None:
    process_version_task.enqueue(version.pk)
