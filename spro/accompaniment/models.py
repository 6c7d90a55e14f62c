"""Models of spro.accompaniment (see the app's docstring in apps.py)."""
