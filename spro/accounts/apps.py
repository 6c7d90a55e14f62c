from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "spro.accounts"
    label = "accounts"
    verbose_name = "Comptes professionnels"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from spro.accounts.reminders import remind_admins
        from spro.accounts.sessions import stamp_login
        from spro.directory.freshness import stale_structures_found

        stale_structures_found.connect(remind_admins, dispatch_uid="spro.accounts.remind_admins")
        user_logged_in.connect(stamp_login, dispatch_uid="spro.accounts.stamp_login")
