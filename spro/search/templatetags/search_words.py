"""Words of the sources said so that a young reader understands them (docs/design.md, « Words for young readers »)."""

from __future__ import annotations

import re

from django import template

register = template.Library()

#: Certif Info's types (« Autre titre inscrit sur demande au RNCP (niveau 6) ») and ONISEP's levels (« non inscrit
#: au RNCP ») name the register by its acronym alone: its words come first, the acronym stays in brackets.
_RNCP = re.compile(r"\bau RNCP\b")
_RNCP_WORDS = "au répertoire national des certifications professionnelles (RNCP)"


@register.filter
def spelled_out(value: object) -> str:
    """The text with the register's acronym spelled out (escaped as usual by the template)."""
    return _RNCP.sub(_RNCP_WORDS, str(value or ""))
