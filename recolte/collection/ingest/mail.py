"""E-mail: EML through `email` (policy.default) and MBOX through `mailbox` on a temp file.

Each message becomes a section "From/To/Date/Subject" + body; attachments are returned as
bytes and never opened here (the caller may ingest them as documents of their own).
"""

from __future__ import annotations

import email
import mailbox
import os
import tempfile
from email import policy
from email.message import EmailMessage

from .errors import PARSER_ERRORS, corrupt
from .markup import html_to_text
from .model import Attachment, Extracted, Message
from .text import normalise


def _date(msg: EmailMessage) -> str | None:
    try:
        header = msg["date"]
        return header.datetime.isoformat() if header is not None and header.datetime else None
    except (TypeError, ValueError, AttributeError):
        return None


def _header(msg: EmailMessage, name: str) -> str:
    try:
        return " ".join(str(msg[name] or "").split())
    except (TypeError, ValueError, IndexError):  # badly encoded words in legacy mail
        return " ".join(str(msg.get_all(name, [""])[0]).split())


def _content(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, KeyError, ValueError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    return content if isinstance(content, str) else ""


def _attachments(msg: EmailMessage) -> list[Attachment]:
    found = []
    for index, part in enumerate(msg.iter_attachments(), start=1):
        data = part.get_payload(decode=True)
        if data is None:  # message/rfc822 and other containers: keep the raw message
            inner = part.get_payload()
            data = inner[0].as_bytes() if isinstance(inner, list) and inner else b""
        found.append(Attachment(part.get_filename() or f"attachment-{index}", data))
    return found


def to_message(msg: EmailMessage) -> Message:
    body = ""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is not None:
        body = _content(part)
        if part.get_content_subtype() == "html":
            body = html_to_text(body)
    return Message(
        sender=_header(msg, "from"),
        to=_header(msg, "to"),
        subject=_header(msg, "subject"),
        date=_date(msg),
        body=normalise(body),
        attachments=_attachments(msg) if msg.is_multipart() else [],
    )


def _section(message: Message) -> str:
    fields = (
        ("From", message.sender),
        ("To", message.to),
        ("Date", message.date),
        ("Subject", message.subject),
    )
    head = "\n".join(f"{name}: {value}" for name, value in fields if value)
    return normalise(f"{head}\n\n{message.body}")


def _assemble(messages: list[Message], fmt: str) -> Extracted:
    sections = []
    offset = 0
    messages = [m for m in messages if _section(m)]  # nothing to show, nothing to point at
    for message in messages:
        section = _section(message)
        if sections:
            offset += 2
        message.start_offset, message.end_offset = offset, offset + len(section)
        offset += len(section)
        sections.append(section)
    return Extracted(
        text="\n\n".join(sections),
        format=fmt,
        sha256="",
        title=messages[0].subject if messages and fmt == "eml" else "",
        messages=messages,
        attachments=[a for m in messages for a in m.attachments],
    )


def read_eml(data: bytes) -> Extracted:
    msg = email.message_from_bytes(data, policy=policy.default)
    if not msg.keys():
        raise corrupt("eml", "no e-mail headers found")
    return _assemble([to_message(msg)], "eml")


def mbox_messages(data: bytes) -> list[bytes]:
    """The raw bytes of each message of an mbox, cut at its "From " lines."""
    # mailbox only reads from a path; the file lives as long as this call.
    with tempfile.TemporaryDirectory(prefix="recolte-mbox-") as folder:
        path = os.path.join(folder, "in.mbox")
        with open(path, "wb") as handle:
            handle.write(data)
        box = mailbox.mbox(path, create=False)
        try:
            return [box.get_bytes(key) for key in box.iterkeys()]
        finally:
            box.close()


def read_mbox(data: bytes) -> Extracted:
    messages, skipped = [], []
    for number, raw in enumerate(mbox_messages(data), start=1):
        try:
            messages.append(to_message(email.message_from_bytes(raw, policy=policy.default)))
        except PARSER_ERRORS:  # one damaged message should not lose the whole mailbox
            skipped.append(str(number))
    if not messages:
        raise corrupt("mbox", "no readable message found")
    result = _assemble(messages, "mbox")
    if skipped:
        result.warnings.append(f"Unreadable messages skipped: {', '.join(skipped)}.")
    return result
