"""Importers of this referential (to be written)."""

DATASETS: list = []
