"""The first personalised answer: analyse an anonymous request, route the person to the best-placed structures."""
