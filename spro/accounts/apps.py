from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "spro.accounts"
    label = "accounts"
    verbose_name = "Comptes professionnels"

    def ready(self) -> None:
        from spro.directory.freshness import stale_structures_found

        from .reminders import remind_admins

        stale_structures_found.connect(remind_admins, dispatch_uid="spro.accounts.remind_admins")
