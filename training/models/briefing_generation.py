from django.db import models


class BriefingGeneration(models.Model):
    """One row, counting changes to anything the briefing report counts (see training/briefing_cache.py).

    It lives in the database, not the cache, so every app server sees a change at once, with or without
    a shared cache.
    """

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "briefing generation"

    def __str__(self):
        return f"Briefing generation {self.number}"
