"""Models of this referential (to be written)."""
