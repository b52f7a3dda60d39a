"""Document ingestion: bytes of an uploaded file → normalised text and metadata.

Pure functions with no database access; the collection models and commands build on them.
"""

from .core import MAX_BYTES, extract
from .errors import IngestError
from .formats import FORMATS, sniff
from .model import Attachment, Cue, Extracted, Message, Note

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "Attachment",
    "Cue",
    "Extracted",
    "IngestError",
    "Message",
    "Note",
    "extract",
    "sniff",
]
