"""Models of spro.actionplan (see the app's docstring in apps.py)."""
