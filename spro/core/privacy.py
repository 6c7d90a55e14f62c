"""The facts the privacy notice states, read from the settings so that the page says what the platform does.

`core` imports no domain app: the referral durations are read from the settings that `spro.referrals.conf` reads
too (spro/settings.py defines them all), the tile server from the maps' setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class PrivacyFacts:
    controller: str
    dpo_contact: str  # an e-mail address, or "" (requests then go to the site's contact address)
    referral_expiry_days: int
    referral_retention_months: int
    follow_link_days: int
    tile_host: str  # the map's tile server, or "" when the map is drawn from the site's own files
    session_cookie_duration: str
    csrf_cookie_duration: str
    pathway_retention_months: int = 24
    accompaniment_retention_months: int = 24


def duration(seconds: int) -> str:
    """A cookie's lifetime in words: hours under two days, days under two months, else months."""
    hours = round(seconds / 3600)
    if hours < 48:
        return ngettext("%(n)d heure", "%(n)d heures", hours) % {"n": hours}
    days = round(seconds / 86400)
    if days < 60:
        return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
    months = round(days / 30.4)
    return _("%(n)d mois") % {"n": months}


def tile_host(template: str) -> str:
    """The host name of the configured tile URL template (`{s}.` sub-domains dropped), or ""."""
    if not template:
        return ""
    return (urlsplit(template.replace("{s}.", "")).hostname or "").strip()


def facts() -> PrivacyFacts:
    return PrivacyFacts(
        controller=getattr(settings, "SPRO_CONTROLLER_NAME", "") or settings.SPRO_BRAND["publisher"],
        dpo_contact=getattr(settings, "SPRO_DPO_CONTACT", ""),
        referral_expiry_days=int(settings.SPRO_REFERRAL_EXPIRY_DAYS),
        referral_retention_months=int(settings.SPRO_REFERRAL_RETENTION_MONTHS),
        follow_link_days=int(settings.SPRO_REFERRAL_LINK_DAYS),
        tile_host=tile_host(getattr(settings, "SPRO_MAP_TILES_URL", "")),
        session_cookie_duration=duration(int(settings.SESSION_COOKIE_AGE)),
        csrf_cookie_duration=duration(int(settings.CSRF_COOKIE_AGE)),
        pathway_retention_months=int(getattr(settings, "SPRO_PATHWAY_RETENTION_MONTHS", 24)),
        accompaniment_retention_months=int(getattr(settings, "SPRO_ACCOMPANIMENT_RETENTION_MONTHS", 24)),
    )
