from django_tasks import task

from .audit import anchor_verified


@task()
def anchor_case_audit() -> int | None:
    """`manage.py anchor_case_audit` as a background task (django-tasks): checks the case audit log, then
    anchors its head. A broken log raises ChainBroken, so the task is recorded as failed, with the reason."""
    anchor = anchor_verified()
    return anchor.event_id if anchor is not None else None
