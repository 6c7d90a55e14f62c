"""Explore métiers by interests (issue 15, part 1): an anonymous questionnaire scored on ROME 4.0's own dimensions."""
