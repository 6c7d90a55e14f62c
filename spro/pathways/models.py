"""Models of spro.pathways (see the app's docstring in apps.py)."""
