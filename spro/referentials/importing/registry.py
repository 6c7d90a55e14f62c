"""The list of importable datasets, in dependency order."""

from __future__ import annotations

from importlib import import_module

from spro.referentials.importing.base import Dataset

# Modules that define a `DATASETS` list of Dataset subclasses.
DATASET_MODULES = [
    "spro.referentials.geo.importers",
    "spro.directory.importers",
    "spro.referentials.rome.importers",
    "spro.referentials.certifications.importers",
    "spro.referentials.formations.importers",
    "spro.referentials.offers.importers",
    "spro.referentials.labour.importers",
]


def all_datasets() -> dict[str, type[Dataset]]:
    found: dict[str, type[Dataset]] = {}
    for module_name in DATASET_MODULES:
        module = import_module(module_name)
        for dataset in getattr(module, "DATASETS", []):
            found[dataset.name] = dataset
    return found


def in_dependency_order(names: list[str] | None = None) -> list[type[Dataset]]:
    datasets = all_datasets()
    wanted = list(datasets) if names is None else names
    ordered: list[type[Dataset]] = []
    seen: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in seen:
            return
        if name in trail:
            raise ValueError(f"dependency cycle: {' -> '.join((*trail, name))}")
        for dependency in datasets[name].depends_on:
            visit(dependency, (*trail, name))
        seen.add(name)
        ordered.append(datasets[name])

    for name in wanted:
        visit(name, ())
    return ordered
