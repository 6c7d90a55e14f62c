"""Models of spro.governance (see the app's docstring in apps.py)."""
