"""Audit log of access to personal data. Other apps call `spro.audit.record(user, action, obj, ...)`."""

from __future__ import annotations

from typing import Any


def record(user: Any, action: str, obj: Any, structure: Any = None, detail: str = "") -> Any:
    """Append one event: `user` (None for the system) did `action` on `obj` (a model instance, or a
    `(object_type, object_id)` pair). `structure` defaults to `obj.structure` when the object has one."""
    from spro.audit.models import AuditEvent

    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        object_type, object_id = obj._meta.label_lower, obj.pk
        if structure is None:
            structure = getattr(obj, "structure", None)
    if not action or len(action) > 50:
        raise ValueError("action : un code court est attendu")
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        user=actor,
        action=action,
        object_type=str(object_type)[:100],
        object_id=str(object_id)[:64],
        structure=structure,
        detail=(detail or "")[:500],
    )
