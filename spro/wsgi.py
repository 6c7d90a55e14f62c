"""WSGI entry point for gunicorn (`gunicorn spro.wsgi`).

Each worker builds the first answer's in-memory indexes (ROME appellations, commune names: a few seconds) when it
starts, so that no person waits for them; SPRO_WARM_ON_START=0 skips it. A failure (an empty database before the
first import, say) is logged and the indexes are built at the first question instead.
"""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")
application = get_wsgi_application()

if os.environ.get("SPRO_WARM_ON_START", "1") == "1":
    try:
        from spro.answer import facts, metiers

        metiers.warm()
        facts.commune_index()
    except Exception:  # noqa: BLE001 - never keep a worker from starting; the first question builds them
        logging.getLogger(__name__).warning("answer indexes not built at start", exc_info=True)
