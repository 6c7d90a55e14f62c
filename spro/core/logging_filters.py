"""Keep secret tokens that open personal data out of logs and error reports.

A follow link (`/suivi/<token>`) opens a person's first name, contact and the actions withdraw / delete; an
invitation link (`/pro/invitation/<token>`) opens an account; a kept pathway's link (`/parcours/<token>`), the
person's data export and a private calendar feed open the same kind of data. Access logs (runserver's
`django.server`, gunicorn's `gunicorn.access` through `spro.core.gunicorn_logger`), Django's request logging
(`django.request`: « Not Found: /suivi/… ») and error reports (e-mails to ADMINS, the debug page) show the path with
its token masked, and any `token=`, `jeton=`, `cle=` or `key=` query value masked. The answer's address
(`/question/reponse?…`) carries a person's needs (`handicap` among them), age band and commune: its whole query is
masked too, so an access log never ties them to an IP address. Wired in settings.LOGGING and
DEFAULT_EXCEPTION_REPORTER.
"""

from __future__ import annotations

import logging
import re

from django.views.debug import ExceptionReporter

MASK = "[masqué]"
#: Path segments that are secrets: what follows them, up to the next "/", "?", "#", quote or space.
#: A kept pathway's private link (`/parcours/<token>`, docs/parcours.md) opens the person's whole pathway; the
#: person's data export (`/accompagnements/mes-donnees/<token>`) their accompaniments; a conventions calendar feed
#: (`/conventions/calendrier/<token>.ics`) the Region's dates without a login.
SECRET_PATH_PREFIXES = (
    "/suivi/",
    "/pro/invitation/",
    "/parcours/",
    "/accompagnements/mes-donnees/",
    "/conventions/calendrier/",
)
SECRET_QUERY_NAMES = ("token", "jeton", "cle", "key")
#: Paths whose whole query string is personal (codes of needs, age band, commune; the interest explorer's answers,
#: a person's profile: docs/explorer.md).
PERSONAL_QUERY_PATHS = (
    "/question/reponse",
    "/explorer/resultats",
    "/explorer/resume",
    "/conseil-en-evolution-professionnelle",  # an employed person's commune, asking about a career change
)

_PATH = re.compile("(" + "|".join(re.escape(prefix) for prefix in SECRET_PATH_PREFIXES) + r")[^/?#\s\"'<>&]+")
_PERSONAL_QUERY = re.compile(
    "((?:" + "|".join(re.escape(path) for path in PERSONAL_QUERY_PATHS) + r")/?\?)[^#\s\"'<>]+"
)
_QUERY = re.compile(r"((?:^|[?&;\s])(?:" + "|".join(SECRET_QUERY_NAMES) + r")=)[^&#\s\"'<>]+", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """`/suivi/AbC…/retirer?token=xyz` → `/suivi/[masqué]/retirer?token=[masqué]`."""
    if "/" not in text and "=" not in text:
        return text
    text = _PERSONAL_QUERY.sub(rf"\g<1>{MASK}", text)
    return _QUERY.sub(rf"\g<1>{MASK}", _PATH.sub(rf"\g<1>{MASK}", text))


def mask_secrets_everywhere(text: str) -> str:
    """Mask the secrets found in paths and queries, then every other occurrence of the same values (a variable of
    a view holding the token, in an error report)."""
    secrets = {match.group(0)[len(match.group(1)) :] for match in _PATH.finditer(text)}
    secrets |= {match.group(0)[len(match.group(1)) :] for match in _QUERY.finditer(text)}
    text = mask_secrets(text)
    for secret in sorted((s for s in secrets if len(s) >= 8), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def _mask_value(value: object) -> object:
    return mask_secrets(value) if isinstance(value, str) else value


class MaskPersonalTokens(logging.Filter):
    """Rewrites a record's message and string arguments with the tokens masked (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_mask_value(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _mask_value(value) for key, value in record.args.items()}
        return True


class MaskingExceptionReporter(ExceptionReporter):
    """Error reports (the e-mail to ADMINS, the DEBUG page) with the same tokens masked."""

    # Django types these as SafeString; the masked copy is a plain str, which its callers (the error e-mail, the
    # DEBUG page's response) take as well.
    def get_traceback_text(self) -> str:  # type: ignore[override]
        return mask_secrets_everywhere(super().get_traceback_text())

    def get_traceback_html(self) -> str:  # type: ignore[override]
        return mask_secrets_everywhere(super().get_traceback_html())
