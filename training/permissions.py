"""Who may keep and read Local Authority training records: a predicate and a queryset, side by side.

Designated teachers keep their own school's records; trust administrators keep every school's; the
executive head reads every school's (oversight). Outside scope: 404.
"""

from trust.access import has_role, own_school_ids, school_ids_for
from trust.enums import Role

from .models import LocalAuthorityTraining

KEEPERS = (Role.DESIGNATED_TEACHER, Role.TRUST_ADMIN)
READERS = (*KEEPERS, Role.EXECUTIVE_HEAD)


def la_schools_kept_by(user):
    """School ids whose records the person keeps; None means every school."""
    if has_role(user, Role.TRUST_ADMIN):
        return None
    return own_school_ids(user, (Role.DESIGNATED_TEACHER,))


def la_schools_read_by(user):
    return school_ids_for(user, *READERS)


def can_use_la_training(user) -> bool:
    return has_role(user, *READERS)


def can_keep_la_training(user, school=None) -> bool:
    ids = la_schools_kept_by(user)
    if ids is None:
        return True
    if school is None:
        return bool(ids)
    return getattr(school, "pk", school) in ids


def can_read_la_record(user, record) -> bool:
    ids = la_schools_read_by(user)
    return ids is None or record.school_id in ids


def la_records_for(user):
    return LocalAuthorityTraining.objects.for_schools(la_schools_read_by(user)).select_related("school", "attendee")
