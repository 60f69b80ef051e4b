from django.db import models


class ReviewBasis(models.TextChoices):
    DATE = "date", "By a date"
    REGULATIONS = "regulations", "On change of regulations (re-check by the date)"


class AttemptOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    WRONG_ANSWERS = "wrong_answers", "Wrong answers"
    INCOMPLETE = "incomplete", "Incomplete"
    STALE = "stale", "The policy changed while being read"
    ALREADY = "already", "Already acknowledged"


# How many working days a person has to acknowledge, unless the editor says otherwise.
DEFAULT_WORKING_DAYS = 10
# Policies whose review falls within this many days appear in the admin's review panel.
REVIEW_WARNING_DAYS = 28
