"""The demo programme's codebook: our own grid built on the reference programme's axes."""

import json
from pathlib import Path

from recolte.coding.services import CodebookImportReport, codebook_import
from recolte.registry.models import Programme

DEMO_CODEBOOK = Path(__file__).resolve().parent / "data" / "demo_codebook.json"


def load_demo_codebook(programme: Programme) -> CodebookImportReport:
    """Create or refresh the demo codebook (keys are stable: running it twice changes nothing)."""
    return codebook_import(programme=programme, data=json.loads(DEMO_CODEBOOK.read_text()))
