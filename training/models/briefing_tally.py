from django.db import models


class BriefingVersionTally(models.Model):
    """How many `BriefingCompletion` rows there are for one version of one page, and the latest done_at.

    Kept by database triggers on `BriefingCompletion` (training/briefing_tallies.py), so no request makes a
    query for it. The briefing's growth chart reads `BriefingWeekTally` instead of every completion when this
    count says the week tally holds every row (and the report's own count says every row is counted there).
    `page_id` is a plain number, not a foreign key: the rows follow the completions' own inserts and deletes.
    """

    page_id = models.IntegerField()
    version_number = models.PositiveIntegerField()
    done = models.IntegerField(default=0)
    last_done_at = models.DateTimeField(null=True)  # only ever raised: an upper bound after a delete

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page_id", "version_number"], name="one_briefing_tally_per_version"),
        ]

    def __str__(self):
        return f"{self.done} did version {self.version_number} of page {self.page_id}"


class BriefingWeekTally(models.Model):
    """How many `BriefingCompletion` rows of one policy version were done in each week since `since` (the
    publication that started the version number when the row was counted), kept by the same triggers."""

    page_id = models.IntegerField()
    version_number = models.PositiveIntegerField()
    since = models.DateTimeField()
    week = models.IntegerField()  # whole weeks from since to done_at, as briefing_growth counts them
    done = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page_id", "version_number", "since", "week"], name="one_briefing_tally_per_week"
            ),
        ]

    def __str__(self):
        return f"{self.done} did version {self.version_number} of page {self.page_id} in week {self.week}"
