"""Problems found while reading or checking a registry file."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an imported file, with where to find it.

    ``sheet`` is the workbook sheet or JSON section, ``line`` the spreadsheet row or the
    1-based position in a JSON list (None when the section is not a list).
    """

    sheet: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        line = "-" if self.line is None else str(self.line)
        return f"{self.sheet}:{line}:{self.field}: {self.message}"


class RegistryImportError(Exception):
    """Raised when a file cannot be imported; nothing has been written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            _("%(count)d problem(s) found; nothing was imported.") % {"count": len(problems)}
        )
