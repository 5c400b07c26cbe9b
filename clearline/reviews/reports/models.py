"""Which edition of the incident report an update of kind `report` is.

The words, their approval and their publication live in the `Update` (so the one publish path
and its checks serve reports as they serve updates); this row says who the text is written for.
"""

from django.db import models
from django.db.models import Q

from clearline.core.ids import new_public_id
from clearline.incidents.models import Incident
from clearline.updates.models import Update


class Edition(models.TextChoices):
    INTERNAL = "internal", "Internal technical report"
    PLAIN = "plain", "Customer report (plain language)"
    TECHNICAL = "technical", "Customer report (technical)"


EXTERNAL = (Edition.PLAIN, Edition.TECHNICAL)


class Report(models.Model):
    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reports")
    edition = models.CharField(max_length=10, choices=Edition.choices)
    update = models.OneToOneField(Update, on_delete=models.CASCADE, related_name="report")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["incident", "edition"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "edition"], name="one_report_per_edition"),
            models.CheckConstraint(
                condition=Q(edition__in=Edition.values), name="report_edition_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_edition_display()} on {self.incident}"

    @property
    def is_external(self) -> bool:
        return self.edition in EXTERNAL
