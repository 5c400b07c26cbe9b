from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs) -> None:
    # post_migrate fires once per app: act on the last one, when every permission the roles
    # name exists, and only once (a test flush runs this too).
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return
    from clearline.accounts.roles import ensure_roles

    ensure_roles()


class AccountsConfig(AppConfig):
    name = "clearline.accounts"
    label = "accounts"

    def ready(self) -> None:
        post_migrate.connect(_ensure_roles, dispatch_uid="clearline.ensure_roles")
