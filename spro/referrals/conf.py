"""The referral settings, with their defaults (each one can be set in the environment, see spro/settings.py)."""

from __future__ import annotations

from django.conf import settings

from spro.core import conf


def expiry_days() -> int:
    """Days after which a referral nobody answered (nouvelle or vue) expires."""
    return conf.positive_int("SPRO_REFERRAL_EXPIRY_DAYS", 30)


def retention_months() -> int:
    """Months after which the personal data of a referral are erased, whatever its status."""
    return conf.positive_int("SPRO_REFERRAL_RETENTION_MONTHS", 24)


def follow_link_days() -> int:
    """Days during which the follow-up link works (by default as long as the data are kept)."""
    return conf.positive_int("SPRO_REFERRAL_LINK_DAYS", retention_months() * 31)


def rate_limit() -> str:
    """Referrals one client may create per period (`N/minute|hour|day`); empty turns the limit off."""
    return getattr(settings, "SPRO_REFERRAL_RATE_LIMIT", "10/hour")


def site_url() -> str:
    """The public address used in e-mails (they are written outside any request, e.g. by `spro referrals expire`)."""
    return (getattr(settings, "SPRO_SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
