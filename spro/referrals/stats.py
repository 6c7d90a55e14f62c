"""Counts for the pilots: referrals per structure and status, with no personal data and no row-level access."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from spro.referrals.models import Referral, Status


def counts(structures: QuerySet | None = None) -> list[dict]:
    """One line per structure: its id and name, and the number of referrals in each status (all statuses listed)."""
    rows = Referral.objects.all()
    if structures is not None:
        rows = rows.filter(structure__in=structures)
    table: dict[int, dict] = {}
    for row in (
        rows.values("structure_id", "structure__di_id", "structure__nom", "status")
        .annotate(n=Count("id"))
        .order_by("structure__nom", "structure_id")
    ):
        line = table.setdefault(
            row["structure_id"],
            {
                "structure": row["structure__di_id"],
                "nom": row["structure__nom"],
                "statuts": dict.fromkeys(Status.values, 0),
                "total": 0,
            },
        )
        line["statuts"][row["status"]] = row["n"]
        line["total"] += row["n"]
    return list(table.values())
