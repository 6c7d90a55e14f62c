from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """« Pilotage »: indicators declared as data, rollups kept in step with the sources, queries and exports."""

    name = "spro.monitoring"
    label = "monitoring"
    verbose_name = "Pilotage"

    def ready(self) -> None:
        # The contacts and referrals apps (lower layer) announce their writes in their own transaction; the rollups
        # follow them there.
        from spro.contacts.signals import first_contacts_recorded
        from spro.monitoring import rollups
        from spro.referrals.signals import referral_changed

        first_contacts_recorded.connect(rollups.on_first_contacts, dispatch_uid="monitoring-first-contacts")
        referral_changed.connect(rollups.on_referral_changed, dispatch_uid="monitoring-referrals")

        from spro.dropouts import signals as dropouts_signals
        from spro.events import signals as events_signals
        from spro.explorer.signals import questionnaire_counted
        from spro.monitoring.sources import dropouts, events, exploration

        questionnaire_counted.connect(
            exploration.on_questionnaire_counted, dispatch_uid="monitoring-exploration"
        )
        dropouts_signals.work_changing.connect(
            dropouts.on_work_changing, dispatch_uid="monitoring-dropouts-before"
        )
        dropouts_signals.work_changed.connect(
            dropouts.on_work_changed, dispatch_uid="monitoring-dropouts-after"
        )
        dropouts_signals.lists_changed.connect(
            dropouts.on_lists_changed, dispatch_uid="monitoring-dropouts-lists"
        )
        events_signals.registrations_changing.connect(
            events.on_changing, dispatch_uid="monitoring-events-before"
        )
        events_signals.registrations_changed.connect(
            events.on_changed, dispatch_uid="monitoring-events-after"
        )

        from spro.accompaniment.signals import accompaniment_changed
        from spro.answer.signals import answer_recorded
        from spro.feedback.signals import outcome_recorded, satisfaction_recorded
        from spro.monitoring.sources import accompaniments, answers, feedback

        answer_recorded.connect(answers.on_answer_recorded, dispatch_uid="monitoring-answers")
        accompaniment_changed.connect(
            accompaniments.on_accompaniment_changed, dispatch_uid="monitoring-accompaniments"
        )
        satisfaction_recorded.connect(feedback.on_satisfaction, dispatch_uid="monitoring-satisfaction")
        outcome_recorded.connect(feedback.on_outcome, dispatch_uid="monitoring-follow-up")
