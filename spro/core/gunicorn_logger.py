"""gunicorn's access log without the secret tokens of some paths (see spro.core.logging_filters).

Use it with `gunicorn spro.wsgi --logger-class spro.core.gunicorn_logger.MaskingLogger` (docs/deploy.md): the
request line, path, query string and referrer of each access-log line are masked, whatever the log format.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from spro.core.logging_filters import mask_secrets


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_secrets(value) if isinstance(value, str) else value for key, value in atoms.items()}
