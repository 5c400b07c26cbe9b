from django.conf import settings
from django.db import models


class WrittenText(models.Model):
    """Customer text a second person approves: its author and its last editor may not."""

    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last changed the text; like the author, they may not approve it.",
    )

    class Meta:
        abstract = True

    @property
    def writer_ids(self) -> tuple:
        """The people whose words these are: none of them approves them."""
        return (self.author_id, self.edited_by_id)


class AuditEntry(models.Model):
    """One row per change to anything clearline keeps; written by the service functions."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
