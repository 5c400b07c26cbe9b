from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs) -> None:
    from clearline.accounts.roles import ensure_roles

    ensure_roles()


class AccountsConfig(AppConfig):
    name = "clearline.accounts"
    label = "accounts"

    def ready(self) -> None:
        # After the last app migrates, so every permission the roles name exists.
        post_migrate.connect(_ensure_roles, dispatch_uid="clearline.ensure_roles")
