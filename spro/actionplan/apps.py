"""The shared action plan annexed to the CPRDFOP (axes → objectives → actions → indicators), its versions and approvals;
the CREFOP and its commissions: sessions, attendance, minutes, decisions that become follow-up actions (issue 18)."""

from django.apps import AppConfig


class ActionplanConfig(AppConfig):
    name = "spro.actionplan"
    label = "actionplan"
    verbose_name = "Plan d’action partagé et instances (CREFOP)"
