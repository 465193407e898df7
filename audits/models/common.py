"""The text limits and the answer scales every model of the app shares."""

from django.db import models

TEXT_LIMIT = 5000  # characters in any free-text answer or evidence box
SHORT_TEXT_LIMIT = 1000


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class YesPartlyNo(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
