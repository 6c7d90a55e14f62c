"""Conventions of the SPRO (framework, annexes, particular conventions, avenants) and their computed life; the network
of SPRO actors, its charter and memberships (issue 18)."""

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "spro.governance"
    label = "governance"
    verbose_name = "Gouvernance : conventions et réseau des acteurs du SPRO"
