from django_tasks import task

from .audit import anchor_verified


@task()
def anchor_case_audit() -> int | None:
    """`manage.py anchor_case_audit` as a background task (django-tasks): checks the case audit log, then
    anchors its head. A broken log raises ChainBroken, so the task is recorded as failed, with the reason."""
    anchor = anchor_verified()
    return anchor.event_id if anchor is not None else None


@task()
def apply_retention() -> str:
    """`manage.py apply_retention --delete` as a scheduled background task (django-tasks): deletes what each
    record's own retention basis says may go. A record storage would not let go fails the task, with the reason."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("apply_retention", "--delete", stdout=out, stderr=out)
    return out.getvalue()
