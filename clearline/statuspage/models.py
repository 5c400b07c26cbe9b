from django.db import models


class SnapshotState(models.Model):
    """One row: why the public snapshot cannot be written, while it cannot.

    How far it is behind is the outbox's to say (snapshot_state.public_version).
    """

    # Set while the files cannot be written (a read-only or full disk); admins see it on the desk.
    failing_since = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        verbose_name = "snapshot state"

    def __str__(self) -> str:
        return f"snapshot failing since {self.failing_since}" if self.failing_since else "snapshot"
