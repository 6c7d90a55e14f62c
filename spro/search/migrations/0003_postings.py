"""PostgreSQL only: one row per index token with the sorted ids of the documents holding it, packed as
big-endian 4-byte integers (read by numpy without parsing; stored uncompressed for the same reason).

Why: a GIN index finds the matches of a broad word ("commercial": 46,000 of 335,000 documents) quickly, but
PostgreSQL must then visit every matching row of the wide document table to return their ids (≈ 100 ms).
The posting arrays are derived from the same tsvector (`tsvector_to_array`), so they hold exactly the tokens
the full-text search sees; the backend reads them for broad words and keeps the GIN index for selective
queries (spro/search/backends/postgresql.py). Rebuilt with the index, in the same transaction.
"""

import importlib

from django.db import migrations

_run = importlib.import_module("spro.search.migrations.0002_fulltext")._run

FILL = (
    "INSERT INTO search_posting (token, ids) "
    "SELECT t.token, string_agg(int4send(d.id::integer), ''::bytea ORDER BY d.id) FROM search_searchdocument d, "
    "unnest(tsvector_to_array(d.search_tsv)) AS t(token) GROUP BY t.token"
)

POSTGRES_FORWARD = [
    "CREATE TABLE search_posting (token text PRIMARY KEY, ids bytea NOT NULL)",
    "ALTER TABLE search_posting ALTER COLUMN ids SET STORAGE EXTERNAL",
    FILL,
]
POSTGRES_BACKWARD = ["DROP TABLE IF EXISTS search_posting"]


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD}),
        )
    ]
