"""Full-text structures that Django's ORM cannot declare, created per database vendor.

SQLite: an external-content FTS5 table over the normalised title and text (rowid = SearchDocument.id),
filled by `INSERT INTO search_fts(search_fts) VALUES('rebuild')` after each index rebuild.
PostgreSQL: a stored generated tsvector column over the SAME normalised text with the 'simple'
configuration (title weight A, text weight B) and a GIN index. The text is normalised in Python, so no
dictionary, `unaccent` or `pg_trgm` extension is needed.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "titre_norm, texte_norm, content='search_searchdocument', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES_FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(titre_norm, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(texte_norm, '')), 'B')) STORED",
    "CREATE INDEX search_doc_tsv_gin ON search_searchdocument USING gin (search_tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_doc_tsv_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_tsv",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
