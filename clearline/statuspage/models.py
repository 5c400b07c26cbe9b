from django.db import models


class SnapshotState(models.Model):
    """One row: how far the public snapshot is behind the database, and why, if it is.

    `version` goes up in the same transaction as every change the public can see, so it commits
    or rolls back with the change; the snapshot folder records the version its files show.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)
    # Set while the files cannot be written (a read-only or full disk); admins see it on the desk.
    failing_since = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        verbose_name = "snapshot state"

    def __str__(self) -> str:
        return f"public change {self.version}"
