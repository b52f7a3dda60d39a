"""Every write of the collection room, one module per aggregate, named `<noun>_<verb>`.

`resources` (resources and versions), `campaigns` (lifecycle), `questions`, `answering`
(drafts and submission), `docx_matching` (answers read from a document), `invitations`
(personal links), `mailing` (invitation and reminder e-mails), `records` (interviews, meetings,
videos and boxed examples), `importing` (files and folders), `inbox` (e-mail replies and the
messages held for review), `uploads` (files read after the request). Views, commands and tasks
import from here; reads shared by pages are in `collection/selectors.py`.
"""

from recolte.collection.services.answering import (
    answer_save,
    check_editable,
    missing_answers,
    response_for,
    response_submit,
    response_text,
)
from recolte.collection.services.campaigns import (
    campaign_close,
    campaign_create,
    campaign_duplicate,
    campaign_open,
    campaign_update,
)
from recolte.collection.services.docx_matching import DocxOutcome, docx_answer_parse
from recolte.collection.services.importing import FileImportReport, files_import
from recolte.collection.services.inbox import (
    mail_import,
    match_organisation,
    pending_mail_assign,
    pending_mail_discard,
)
from recolte.collection.services.invitations import (
    InvitationRefused,
    invitation_issue,
    invitation_open,
    invitation_revoke,
    invitation_token,
)
from recolte.collection.services.mailing import (
    InvitationsSentReport,
    invitation_link,
    invitation_send,
    invitations_send,
    reminders_send_due,
)
from recolte.collection.services.questions import (
    question_add,
    question_delete,
    question_move,
    question_update,
)
from recolte.collection.services.records import (
    RecordText,
    box_create,
    main_resource,
    record_save,
    video_resource,
)
from recolte.collection.services.resources import (
    Outcome,
    ResourceMeta,
    find_duplicate,
    resource_add_file,
    resource_create,
    resource_describe,
    resource_new_version,
    resource_store_extracted,
)
from recolte.collection.services.uploads import upload_outcomes, upload_read, upload_store

__all__ = [
    "DocxOutcome",
    "FileImportReport",
    "InvitationRefused",
    "InvitationsSentReport",
    "Outcome",
    "RecordText",
    "ResourceMeta",
    "answer_save",
    "box_create",
    "campaign_close",
    "campaign_create",
    "campaign_duplicate",
    "campaign_open",
    "campaign_update",
    "check_editable",
    "docx_answer_parse",
    "files_import",
    "find_duplicate",
    "invitation_issue",
    "invitation_link",
    "invitation_open",
    "invitation_revoke",
    "invitation_send",
    "invitation_token",
    "invitations_send",
    "mail_import",
    "main_resource",
    "match_organisation",
    "missing_answers",
    "pending_mail_assign",
    "pending_mail_discard",
    "question_add",
    "question_delete",
    "question_move",
    "question_update",
    "record_save",
    "reminders_send_due",
    "resource_add_file",
    "resource_create",
    "resource_describe",
    "resource_new_version",
    "resource_store_extracted",
    "response_for",
    "response_submit",
    "response_text",
    "upload_outcomes",
    "upload_read",
    "upload_store",
    "video_resource",
]
