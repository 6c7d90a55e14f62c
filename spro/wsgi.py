"""WSGI entry point for gunicorn (`gunicorn spro.wsgi`).

Each worker builds the in-memory indexes the apps registered (`spro.core.cache.register_warm_up`: ROME
appellations, commune names, a few seconds) when it starts, so that no person waits for them; SPRO_WARM_ON_START=0
skips it. A failure (an empty database before the first import, say) is logged and the index is built at the first
request instead.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")
application = get_wsgi_application()

if os.environ.get("SPRO_WARM_ON_START", "1") == "1":
    from spro.core.cache import warm_up

    warm_up()
