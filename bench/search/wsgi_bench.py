"""WSGI wrapper used only by bench/search/http.py: the product plus a baseline endpoint, never deployed.

`/bench/icontains?q=` answers the `icontains` baseline of common.py as JSON through the same Django stack
(middleware, database connection), so that the HTTP ratio compares search work, not framework overhead.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")

from django.core.wsgi import get_wsgi_application

django_app = get_wsgi_application()

from bench.search import common  # noqa: E402


def application(environ, start_response):  # WSGI signature
    if environ.get("PATH_INFO") != "/bench/icontains":
        return django_app(environ, start_response)
    from django.db import close_old_connections

    close_old_connections()
    params = parse_qs(environ.get("QUERY_STRING", ""))
    q = params.get("q", [""])[0]
    type_ = params.get("type", [None])[0]
    hits = common.baseline_search(q, type=type_)
    body = json.dumps(
        {"q": q, "resultats": [{"type": h.type, "code": h.code, "titre": h.titre} for h in hits]},
        ensure_ascii=False,
    ).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
