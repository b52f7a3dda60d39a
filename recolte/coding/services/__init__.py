"""Every write of the coding room, one module per aggregate, named `<noun>_<verb>`.

`codings` (codings, undo, quotes, memos), `codebook` (the code tree and its JSON exchange),
`agreement` (assignment rounds, settling), `training` (the suggestion model: train, store,
refresh), `suggestions` (a person's decisions on suggested codes), `quotes` (on quotations
found in text). Views, commands and tasks import from here.
"""

from recolte.coding.services.agreement import assignments_add, disagreement_settle
from recolte.coding.services.codebook import (
    CodebookImportReport,
    DeletionImpact,
    check_colour,
    code_add,
    code_delete,
    code_merge,
    code_move,
    code_update,
    codebook_export,
    codebook_import,
    codebook_parse,
)
from recolte.coding.services.codings import (
    codepoints_to_utf16,
    coding_adjust,
    coding_create,
    coding_delete,
    coding_memo_save,
    memo_add,
    quote_defaults,
    quote_mark,
    quote_unmark,
    undo_last,
    utf16_to_codepoints,
)
from recolte.coding.services.quotes import quote_confirm, quote_dismiss
from recolte.coding.services.suggestions import (
    passage_reject,
    suggestion_accept,
    suggestion_pick,
    suggestion_reject,
)
from recolte.coding.services.training import model_request, model_train, suggestions_refresh

__all__ = [
    "CodebookImportReport",
    "DeletionImpact",
    "assignments_add",
    "check_colour",
    "code_add",
    "code_delete",
    "code_merge",
    "code_move",
    "code_update",
    "codebook_export",
    "codebook_import",
    "codebook_parse",
    "codepoints_to_utf16",
    "coding_adjust",
    "coding_create",
    "coding_delete",
    "coding_memo_save",
    "disagreement_settle",
    "memo_add",
    "model_request",
    "model_train",
    "passage_reject",
    "quote_confirm",
    "quote_defaults",
    "quote_dismiss",
    "quote_mark",
    "quote_unmark",
    "suggestion_accept",
    "suggestion_pick",
    "suggestion_reject",
    "suggestions_refresh",
    "undo_last",
    "utf16_to_codepoints",
]
