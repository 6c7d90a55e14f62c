"""The LHÉO dataset: continuing-education offers in LHÉO 2.3 (Carif-Oref exchange format), 2.2 mapped to it.

The file is never parsed whole: `chunks.Splitter` cuts its raw bytes into chunks of `batch_size`
<formation> elements, which are parsed, validated against the XSD, hashed and read into rows by
`chunks.ChunkProcessor` — in this process for small files, in worker processes for big ones — and written by
`writer.Writer` in file order: memory stays flat whatever the file size. Each formation's digest covers its
bytes, the mapping version and the known communes and ROME fiches (`chunks.Fingerprint`); a chunk only loads
the keys and digests of its own formations, so an unchanged offer costs one dict lookup and writes nothing.
The whole import runs in the one transaction of `run_dataset`: a malformed file or a schema violation
anywhere rolls everything back. The modules: `lheo` (file, version, XSD), `tags` (element names), `reader`
(element → records), `records` (the records that cross modules), `chunks` (cutting, digests, workers),
`writer` (rows → database), this one (the dataset: files, order, failures). docs/imports.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections, reset_queries, router
from lxml import etree

from spro.referentials.geo.models import Commune
from spro.referentials.importing import Dataset, ImportContext, ImportFailure
from spro.referentials.offers import chunks, lheo
from spro.referentials.offers.lheo import (
    LheoStream,
    SchemaProblem,
    load_schema,
    open_lheo,
    validate,
    validate_file,
    xml_parser,
)
from spro.referentials.offers.models import Formation
from spro.referentials.offers.writer import Writer


def _nothing() -> None:
    pass


_PARSER = xml_parser()


# --------------------------------------------------------------------------------------------------- dataset


class LheoDataset(Dataset):
    name = "lheo"
    title = "Offres de formation continue (LHÉO 2.3) : organismes, formations, actions, sessions"
    folder = "offers"
    files = {"offres": "exemple-bts-onisep.lheo-2.3.xml", "schema": "lheo-2.3.xsd"}
    main_file = "offres"
    depends_on = ("geo", "rome")
    publisher = "Réseau des Carif-Oref (langage LHÉO) ; offre d'exemple : Onisep"
    licence = "Standard d'échange public LHÉO (Réseau des Carif-Oref)"
    version = "LHÉO 2.3"
    attribution = "LHÉO 2.3, Réseau des Carif-Oref ; exemple « BTS négociation et relation client » : Onisep"

    #: formations per chunk and write batch (≈ 0.75 MB of XML, ≈ 10 MB as lxml trees): bounds each worker's
    #: memory, so that the importer and its two workers stay under 300 MB together (docs/performance.md)
    batch_size = 50
    #: from this size on, the chunks are parsed, validated and read by worker processes (one per core)
    parallel_validation_min_bytes = 8 * 1024 * 1024

    def load(self, ctx: ImportContext) -> None:
        path, schema_path = ctx.path("offres"), ctx.path("schema")
        load_schema(schema_path)  # a broken XSD fails here, before anything else
        size = path.stat().st_size
        stream = open_lheo(path)  # fails fast on a file that is not LHÉO 2.2/2.3
        workers = self._workers(size)
        # Started first: their start-up (Django, the XSD) overlaps the loading of the code sets below.
        pool = chunks.WorkerPool(workers, path) if workers else None
        restore_cache = _nothing
        results = None
        try:
            communes = set(Commune.objects.values_list("code_insee", flat=True))
            fiches = self._fiches()
            config = {
                "schema": str(schema_path),
                "path": str(path),
                "prefix": chunks.Fingerprint(communes, fiches).prefix,
                "communes": sorted(communes),
                "fiches": sorted(fiches),
                "known": self._known_digests(),
            }
            ctx.log(
                f"lheo: {path.name}, LHÉO {stream.version}, {size / 1e6:.1f} MB, "
                + (f"read by {workers} worker processes" if workers else "read in process")
            )
            if stream.version == "2.2":
                ctx.warn(
                    "LHÉO 2.2 namespace: read as LHÉO 2.3 (same structure) and validated against the 2.3 "
                    "schema",
                    source=path,
                    line=1,
                    field="lheo",
                )
            writer = Writer(ctx, path, communes, fiches)
            splitter = chunks.Splitter(stream.stream, self.batch_size)
            restore_cache = self._grow_sqlite_cache()
            results = pool.run(splitter, config) if pool is not None else self._in_process(splitter, config)
            for chunk, result in results:
                if result[0] != "ok":
                    raise self._failure(schema_path, path, result)
                writer.flush(chunk, splitter.header, result[1])
                reset_queries()  # under DEBUG, Django keeps up to 9 000 queries: keep memory flat
                self._progress(ctx, stream, size)
            self._check_trailer(schema_path, path, splitter)
        finally:
            if pool is not None:
                pool.stop()
            if results is not None:
                results.close()
            stream.close()
            restore_cache()
        ctx.log(f"lheo: {writer.formations_read} formations read")
        writer.finish()

    @staticmethod
    def _known_digests() -> bytes:
        """The digests of the active stored offers, sorted, 20 bytes each (flat: 20 MB per million offers)."""
        out = bytearray()
        digests = (
            Formation.objects.filter(is_active=True)
            .order_by("content_hash")
            .values_list("content_hash", flat=True)
            .iterator(chunk_size=10_000)
        )
        for digest in digests:
            if len(digest) == 40:
                try:
                    out += bytes.fromhex(digest)
                except ValueError:  # pragma: no cover - not one of ours
                    continue
        return bytes(out)

    def _workers(self, size: int) -> int:
        """Worker processes for a file of this size: none under the threshold, else one per core (≤ 4)."""
        if size < self.parallel_validation_min_bytes:
            return 0
        return max(1, min(4, os.cpu_count() or 1))

    @staticmethod
    def _in_process(
        splitter: chunks.Splitter, config: dict[str, Any]
    ) -> Iterator[tuple[chunks.Chunk, tuple]]:
        processor = None
        for chunk in splitter:
            if processor is None:
                processor = chunks.ChunkProcessor({**config, "header": splitter.header})
            yield chunk, processor.process(chunk.data, chunk.line_offset)

    @staticmethod
    def _failure(schema_path: Path, path: Path, result: tuple) -> ImportFailure:
        """A chunk's failure. Malformed XML and a wrong skeleton are reported as the streaming validator sees
        them (it reads the file from the start: same message and line whatever the chunk boundaries)."""
        _, kind, message, line, field_name = result
        if kind == "schema":
            return SchemaProblem(line, field_name, message).failure(path)
        if kind == "read":
            return ImportFailure(message, source=path, line=line, field=field_name)
        return LheoDataset._serial_failure(
            schema_path, path, ImportFailure(message, source=path, line=line, field=field_name)
        )

    @staticmethod
    def _serial_failure(schema_path: Path, path: Path, fallback: ImportFailure) -> ImportFailure:
        try:
            problem = validate_file(schema_path, path)
        except ImportFailure as exc:
            return exc
        return problem.failure(path) if problem else fallback

    @staticmethod
    def _check_trailer(schema_path: Path, path: Path, splitter: chunks.Splitter) -> None:
        """What follows the last </formation>: </offres>, then <extras> only (validated), then </lheo>."""
        xsd = load_schema(schema_path)
        ok = bool(splitter.header)
        if ok:
            try:
                root = etree.fromstring(splitter.header + splitter.trailer, _PARSER)
            except etree.XMLSyntaxError:
                ok = False
            else:
                children = list(root)
                ok = (
                    root.tag == lheo.LHEO
                    and bool(children)
                    and children[0].tag == lheo.OFFRES
                    and len(children[0]) == 0
                    and all(c.tag == lheo.EXTRAS and not validate(xsd, c) for c in children[1:])
                )
        if not ok:
            raise LheoDataset._serial_failure(
                schema_path, path, ImportFailure("unexpected content after the last <formation>", source=path)
            )

    @staticmethod
    def _grow_sqlite_cache() -> Any:
        """SQLite's default 2 MB page cache makes each unique-index insert re-read pages during one long
        transaction; 16 MB (bounded, whatever the file size) keeps the first import ≈ 2 % faster than 2 MB
        (64 MB, once ≈ 30 % faster, now gains no more and costs 48 MB of the memory budget)."""
        connection = connections[router.db_for_write(Formation)]
        if connection.vendor != "sqlite":
            return lambda: None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            previous = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -16384")

        def restore() -> None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")

        return restore

    @staticmethod
    def _progress(ctx: ImportContext, stream: LheoStream, size: int) -> None:
        ctx.progress(stream.path.name, min(stream.tell(), size), size)

    @staticmethod
    def _fiches() -> set[str]:
        """Known ROME 4.0 fiches; none when the rome app has no FicheMetier (every link is then a warning)."""
        try:
            model = apps.get_model("rome", "FicheMetier")
        except LookupError:  # pragma: no cover - the rome app always defines it once written
            return set()
        return {str(code) for code in model._default_manager.values_list("pk", flat=True)}


DATASETS = [LheoDataset]
