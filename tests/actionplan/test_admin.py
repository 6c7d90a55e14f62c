"""The Django admin lists plans, versions, approvals, bodies and follow-ups; versions and approvals are read-only."""

from __future__ import annotations

from spro.actionplan import access, plans


def test_the_admin_lists_and_never_edits_a_version_or_an_approval(world, client):
    users = world["users"]
    version = plans.record_version(world["plan"], users["pilote_region"])
    approval = plans.approve(version, users["pilote_etat"], access.STATE)
    client.force_login(users["platform_admin"])
    for model in ("actionplan", "planversion", "approval", "body", "session", "followup"):
        assert client.get(f"/admin/actionplan/{model}/").status_code == 200, model
    assert client.get("/admin/actionplan/planversion/add/").status_code == 403
    before = version.sha256
    response = client.post(f"/admin/actionplan/planversion/{version.pk}/change/", {"note": "changée"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert (version.sha256, version.note) == (before, "")
    assert (
        client.post(f"/admin/actionplan/approval/{approval.pk}/delete/", {"post": "yes"}).status_code == 403
    )
