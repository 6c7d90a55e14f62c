"""Models of spro.events (see the app's docstring in apps.py)."""
