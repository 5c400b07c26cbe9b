class ClearlineError(Exception):
    """The one application error: a message for people and, where it applies, the field at fault.

    Views turn it into a form error, the API into {"detail": ..., "errors": [...]} with status 400
    (409 for conflicts, 403 for permissions), the CLI into a message and exit code 2.
    """

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class PermissionDenied(ClearlineError):
    status = 403

    def __init__(
        self, message: str = "You do not have permission to do that.", *, field: str | None = None
    ):
        super().__init__(message, field=field, code="forbidden")


class Conflict(ClearlineError):
    status = 409
