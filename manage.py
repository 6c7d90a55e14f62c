#!/usr/bin/env python
"""Convenience entry point; `spro` (the console script) is the same thing."""

from spro.manage import main

if __name__ == "__main__":
    main()
