"""The command line's reading of a `--commune` option: the one resolver, INSEE-compatible like the API.

Why: `spro recherche --commune` and `spro analyse --commune` took only INSEE codes, while people (and partners'
scripts) write « Brest », « 29200 » or « Lorient 56100 ». A valid INSEE code still wins (the options were documented
as INSEE codes); a commune that cannot be settled is one `code: detail` line on stderr followed by the choices,
each with the INSEE code to pass instead, and the commands exit with code 2 like any other bad input.
"""

from __future__ import annotations

from spro.referentials.geo.api import AMBIGUOUS, UNKNOWN, choices_payload
from spro.referentials.geo.resolver import CommuneResolution, resolve


class CommuneNotSettled(Exception):
    """A `--commune` value that names no commune in force, or several."""

    def __init__(self, resolution: CommuneResolution) -> None:
        super().__init__(resolution.message)
        self.resolution = resolution
        self.code = AMBIGUOUS if resolution.ambiguous else UNKNOWN
        self.detail = resolution.message

    def lines(self) -> list[str]:
        """What stderr shows: the error, then one line per choice, its INSEE code first (what to pass instead):
        « 93066  Saint-Denis (93200, Seine-Saint-Denis) »."""
        return [f"{self.code}: {self.detail}"] + [
            f"  {ref.code_insee}  {ref.description}" for ref in self.resolution.choices
        ]

    def as_dict(self) -> dict[str, object]:
        """The error as the API gives it (`detail`, `code`, `choix` when ambiguous), for JSON batch lines."""
        data: dict[str, object] = {"detail": self.detail, "code": self.code}
        if self.resolution.ambiguous:
            data["choix"] = choices_payload(self.resolution)
        return data


def command_line_commune(value: object) -> CommuneResolution:
    """The commune of a command-line option (INSEE code first, else name, postal code or both).

    Raises `CommuneNotSettled` when nothing or several communes fit.
    """
    resolution = resolve(value, insee_first=True)
    if resolution.commune is None:
        raise CommuneNotSettled(resolution)
    return resolution
