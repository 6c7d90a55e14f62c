from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "spro.referrals"
    label = "referrals"
    verbose_name = "Mises en relation"

    def ready(self) -> None:
        from spro.core.mail import set_outbox
        from spro.referrals.outbox import enqueue

        set_outbox(enqueue)  # other apps queue e-mails through spro.core.mail (docs/architecture.md)
