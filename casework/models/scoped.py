from django.db import models

from trust.access import own_school_ids


class ScopedQuerySet(models.QuerySet):
    """`for_user`: the records of children in schools where the person is designated teacher. Default deny."""

    school_path = "child__school_id"

    def for_user(self, user):
        ids = own_school_ids(user)
        if not ids:
            return self.none()
        return self.filter(**{f"{self.school_path}__in": ids})


class ChildScopedQuerySet(ScopedQuerySet):
    school_path = "school_id"
