from django.db import models


class BriefingDoneSlot(models.Model):
    """Which bit of the people's done masks stands for which page, and the version whose completions set it.

    Written only by the briefing rebuild (training/briefing_done.py) when the requirements' pages or current
    versions change; read by the triggers on `BriefingCompletion` that keep `BriefingDoneMask`.
    """

    slot = models.IntegerField(primary_key=True)  # bit slot % 62 of group slot // 62
    page_id = models.IntegerField(unique=True)  # a plain number: the rows follow the rebuild, not page deletes
    version_number = models.PositiveIntegerField()

    def __str__(self):
        return f"slot {self.slot}: version {self.version_number} of page {self.page_id}"


class BriefingDoneMask(models.Model):
    """One person's done mask for one group of slots: bit s set when they have a `BriefingCompletion` of the
    version slot `62 * bit_group + s` stands for. Kept by database triggers as completions come and go, and
    renewed for a slot when its page or version changes, so the rebuild reads one row a person and group."""

    user_id = models.IntegerField()  # a plain number, as the completions' triggers write it
    bit_group = models.IntegerField()
    done = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_id", "bit_group"], name="one_briefing_done_mask_per_group"),
        ]

    def __str__(self):
        return f"{self.user_id} group {self.bit_group}: {self.done:#x}"
