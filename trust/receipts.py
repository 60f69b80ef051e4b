"""The append-only receipt, written once for every kind of receipt: a read receipt (`policy.ReadReceipt`) and a
training completion (`training.TrainingCompletion`) each inherit `AppendOnlyReceipt`.

A receipt is evidence: the model refuses to change or delete one (its save, delete and queryset), and on
PostgreSQL the database refuses too, whoever asks (`append_only_evidence`, trust/evidence_db.py). Each receipt
is sealed when written (trust/evidence_seal.py): the seal covers the receipt's `seal_fields`, in that order,
under its `seal_kind`. Both are fixed for good: receipts already sealed must keep matching, and the
migrations that sealed the older rows (policy.0004, training.0008) keep frozen copies of them.
"""

from django.db import models, router

from .compiled_sql import compiled_insert
from .evidence_seal import seal_matches, seal_of


class AppendOnlyError(Exception):
    """A receipt is evidence: once written it is never changed or removed."""


def _refusal(model, what: str) -> str:
    return f"{str(model._meta.verbose_name_plural).capitalize()} cannot be {what}."


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(_refusal(self.model, "changed"))

    def delete(self):
        raise AppendOnlyError(_refusal(self.model, "deleted"))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for receipt in objs:
            receipt.seal = receipt.compute_seal()
        return super().bulk_create(objs, *args, **kwargs)


class AppendOnlyReceipt(models.Model):
    """A receipt written once, sealed, and never changed or deleted. A subclass declares `seal_kind` and
    `seal_fields` (attribute names, e.g. "user_id")."""

    AppendOnly = AppendOnlyError  # so a caller may catch `ReadReceipt.AppendOnly`

    seal_kind: str
    seal_fields: tuple[str, ...]

    seal = models.CharField(
        max_length=64, editable=False, help_text="HMAC-SHA256 of the receipt under the evidence key, set once."
    )

    objects = AppendOnlyQuerySet.as_manager()
    append_only_evidence = True  # the database refuses UPDATE, DELETE and TRUNCATE too (trust/evidence_db.py)

    class Meta:
        abstract = True

    def save(self, *args, force_insert=False, using=None, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(_refusal(type(self), "changed"))
        self.seal = self.compute_seal()
        if args or kwargs:
            return super().save(*args, force_insert=force_insert, using=using, **kwargs)
        # A new receipt is always an INSERT, made many times a minute on an INSET morning: its SQL compiled once.
        compiled_insert(type(self)).save_new(self, using or router.db_for_write(type(self), instance=self))

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_refusal(type(self), "deleted"))

    def seal_values(self) -> list:
        """What the seal covers, in its fixed order."""
        return [getattr(self, name) for name in self.seal_fields]

    def compute_seal(self) -> str:
        return seal_of(self.seal_kind, self.seal_values())

    def has_valid_seal(self) -> bool:
        return seal_matches(self.seal, self.seal_kind, self.seal_values())
