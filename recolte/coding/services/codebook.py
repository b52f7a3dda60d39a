"""Codebook verbs: add, update, move, merge, delete (after seeing what goes), JSON import/export.

The exchange format is the one of the reference codebook: a `codes` list whose items carry `id`
(our `key`), `label` (our `name`), `parent` (a key), `kind`, `questions` (a list) and any other
field, which we keep in `Code.extra` so that a round trip gives the file back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from recolte.coding.models import Code, Coding, Memo, Quote
from recolte.coding.selectors import descendants, tree
from recolte.registry.models import Axis, Programme

PALETTE = [
    "#e6a532",
    "#4f9bd9",
    "#d9534f",
    "#5cb85c",
    "#9b6bcc",
    "#e07b39",
    "#2fa3a3",
    "#c2487f",
    "#8a9b2f",
    "#6d7fcc",
    "#b0793d",
    "#3d9970",
]
# Fields computed from the tree on export rather than stored.
_DERIVED = {
    "id",
    "label",
    "parent",
    "kind",
    "questions",
    "description",
    "colour",
    "codable",
    "children",
    "level",
    "is_leaf",
    "order",
}
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def check_colour(colour: str) -> None:
    """Empty (a colour is then chosen) or #rrggbb; anything else would reach the page's CSS."""
    if colour and not _COLOUR.fullmatch(colour):
        raise ValidationError(
            _("The colour %(colour)s is not of the form #rrggbb.") % {"colour": colour[:20]}
        )


def _unique_key(programme: Programme, base: str) -> str:
    key, n = base, 2
    while Code.objects.filter(programme=programme, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


def _next_order(programme: Programme, parent: Code | None) -> int:
    top = Code.objects.filter(programme=programme, parent=parent).aggregate(m=Max("order"))["m"]
    return 0 if top is None else top + 1


def code_add(
    *,
    programme: Programme,
    name: str,
    parent: Code | None = None,
    kind: str = Code.Kind.OTHER,
    description: str = "",
    questions: str = "",
    colour: str = "",
    codable: bool = True,
    key: str = "",
) -> Code:
    name = name.strip()
    if not name:
        raise ValidationError(_("A code needs a name."))
    if parent is not None and parent.programme_id != programme.pk:
        raise ValidationError(_("The parent code belongs to another programme."))
    if not key:
        stem = slugify(name)[:40] or "code"
        key = _unique_key(programme, f"{parent.key}.{stem}" if parent else stem)
    elif Code.objects.filter(programme=programme, key=key).exists():
        raise ValidationError(_("Another code already uses this key."))
    check_colour(colour)
    if not colour:
        colour = (
            parent.colour
            if parent and parent.colour
            else PALETTE[
                Code.objects.filter(programme=programme, parent=None).count() % len(PALETTE)
            ]
        )
    return Code.objects.create(
        programme=programme,
        parent=parent,
        key=key,
        name=name,
        kind=kind,
        description=description,
        questions=questions,
        colour=colour,
        codable=codable,
        order=_next_order(programme, parent),
    )


def code_update(
    *,
    code: Code,
    name: str,
    kind: str,
    description: str,
    questions: str,
    colour: str,
    codable: bool,
) -> Code:
    name = name.strip()
    if not name:
        raise ValidationError(_("A code needs a name."))
    check_colour(colour)
    code.name, code.kind, code.codable = name, kind, codable
    code.description, code.questions, code.colour = description, questions, colour
    code.save()
    return code


def code_move(*, code: Code, parent: Code | None, order: int | None = None) -> Code:
    """Put `code` under `parent` (None: at the root); refuse to make a cycle."""
    if parent is not None:
        if parent.programme_id != code.programme_id:
            raise ValidationError(_("The new parent belongs to another programme."))
        if parent.pk == code.pk or parent.pk in {c.pk for c in descendants(code)}:
            raise ValidationError(_("A code cannot be moved under itself or one of its children."))
    code.parent = parent
    code.order = _next_order(code.programme, parent) if order is None else order
    code.save(update_fields=["parent", "order"])
    return code


@transaction.atomic
def code_merge(*, source: Code, target: Code) -> int:
    """Fold `source` into `target`: its codings, memos and children move; returns codings moved.

    A moved coding identical to one the target already has (same span and coder) collapses into
    it, keeping its quote if the kept one has none.
    """
    if source.pk == target.pk or source.programme_id != target.programme_id:
        raise ValidationError(_("Choose another code of the same programme to merge into."))
    if target.pk in {c.pk for c in descendants(source)}:
        raise ValidationError(_("A code cannot be merged into one of its own children."))
    existing = {
        (c.version_id, c.start, c.end, c.coder_id): c
        for c in Coding.objects.filter(code=target).select_related("quote")
    }
    moved = 0
    for coding in Coding.objects.filter(code=source).select_related("quote"):
        twin = existing.get((coding.version_id, coding.start, coding.end, coding.coder_id))
        if twin is None:
            coding.code = target
            coding.save(update_fields=["code"])
            existing[(coding.version_id, coding.start, coding.end, coding.coder_id)] = coding
        else:
            quote = getattr(coding, "quote", None)
            if quote is not None and not hasattr(twin, "quote"):
                Quote.objects.filter(pk=quote.pk).update(coding=twin)
            if coding.memo:
                twin.memo = "\n\n".join(filter(None, [twin.memo, coding.memo]))
                twin.save(update_fields=["memo"])
            coding.delete()
        moved += 1
    Memo.objects.filter(code=source).update(code=target)
    Code.objects.filter(parent=source).update(parent=target)
    source.delete()
    return moved


@dataclass
class DeletionImpact:
    codes: list[Code]  # the code itself first, then everything under it
    codings: int
    quotes: int
    memos: int
    deleted: bool = False


def code_delete(*, code: Code, confirm: bool = False) -> DeletionImpact:
    """What deleting `code` would take with it; deletes only when `confirm` is true."""
    codes = [code, *descendants(code)]
    ids = [c.pk for c in codes]
    codings = Coding.objects.filter(code_id__in=ids)
    impact = DeletionImpact(
        codes=codes,
        codings=codings.count(),
        quotes=Quote.objects.filter(coding__in=codings).count(),
        memos=Memo.objects.filter(code_id__in=ids).count() + codings.exclude(memo="").count(),
    )
    if confirm:
        code.delete()  # the tree, codings, quotes and memos cascade
        impact.deleted = True
    return impact


# --- JSON exchange ---------------------------------------------------------------------------


@dataclass
class CodebookImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _text(value) -> str:
    """A JSON scalar as text (12 gives "12"); null, booleans, lists and objects give ""."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value).strip()


def _lines(value) -> str:
    if isinstance(value, list):
        return "\n".join(filter(None, map(_text, value)))
    return _text(value)


def _axis_for(programme: Programme, item: dict) -> Axis | None:
    number = _text(item.get("number"))
    if _text(item.get("kind")) != Code.Kind.AXIS or not number.isascii() or not number.isdigit():
        return None
    return Axis.objects.filter(
        programme=programme, kind=Axis.Kind.PROGRAMME, number=int(number)
    ).first()


def codebook_parse(raw: bytes) -> dict:
    """The JSON object of a codebook file, or ValidationError if the file holds none."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # RecursionError: thousands of nested brackets
        raise ValidationError(_("This file is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise ValidationError(_("The file has no 'codes' list."))
    return data


@transaction.atomic
def codebook_import(*, programme: Programme, data: dict) -> CodebookImportReport:
    """Create or update codes by key; codes absent from the file are left alone.

    The file is hostile until checked: every item must be an object with a text or number
    `id`; other fields of the wrong type are read as empty rather than trusted."""
    report = CodebookImportReport()
    items = data.get("codes") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValidationError(_("The file has no 'codes' list."))
    if not all(isinstance(item, dict) for item in items):
        raise ValidationError(_("Every code needs an 'id'."))
    keys = [_text(item.get("id"))[:200] for item in items]  # the column's length
    if not all(keys):
        raise ValidationError(_("Every code needs an 'id'."))
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Two codes share the same 'id'."))
    parents = [_text(item.get("parent"))[:200] for item in items]
    known = set(keys) | set(Code.objects.filter(programme=programme).values_list("key", flat=True))
    for key, parent in zip(keys, parents, strict=True):
        if parent and parent not in known:
            raise ValidationError(
                _("Code %(id)s has an unknown parent %(parent)s.") % {"id": key, "parent": parent}
            )
    kinds = set(Code.Kind.values)
    by_key = {c.key: c for c in Code.objects.filter(programme=programme)}
    explicit: set[str] = set()
    fresh: set[str] = set()
    for position, (key, item) in enumerate(zip(keys, items, strict=True)):
        kind, order = _text(item.get("kind")), item.get("order")
        values = {
            "name": (_text(item.get("label")) or key)[:300],
            "kind": kind if kind in kinds else Code.Kind.OTHER,
            "questions": _lines(item.get("questions")),
            "description": _lines(item.get("description")),
            "codable": bool(item.get("codable", True)),
            "order": order if type(order) is int and 0 <= order < 2**31 else position,
            "extra": {k: v for k, v in item.items() if k not in _DERIVED},
        }
        if colour := _text(item.get("colour")):
            try:
                check_colour(colour)
            except ValidationError as error:
                raise ValidationError(
                    _("Code %(id)s: %(error)s") % {"id": key, "error": error.messages[0]}
                ) from None
            values["colour"] = colour
            explicit.add(key)
        axis = _axis_for(programme, item)
        if axis is not None:
            values["axis"] = axis
        code = by_key.get(key)
        if code is None:
            by_key[key] = Code.objects.create(programme=programme, key=key, **values)
            fresh.add(key)
            report.created += 1
        else:
            for name, value in values.items():
                setattr(code, name, value)
            code.save()
            report.updated += 1
    # Parents last: a parent may come after its child in the file.
    for key, parent_key in zip(keys, parents, strict=True):
        code, parent = by_key[key], by_key.get(parent_key)
        if code.parent_id != (parent.pk if parent else None):
            if parent is not None and parent.pk in {c.pk for c in descendants(code)} | {code.pk}:
                message = _("The file's tree has a cycle at %(id)s.") % {"id": code.key}
                raise ValidationError(message)
            code.parent = parent
            code.save(update_fields=["parent"])
    _colour_new(programme, fresh - explicit)
    return report


def _colour_new(programme: Programme, keys: set[str]) -> None:
    """New codes without a colour take their root's, so that a branch reads as one family."""
    codes = {c.pk: c for c in Code.objects.filter(programme=programme)}
    roots = [c for c in codes.values() if c.parent_id is None]
    for n, root in enumerate(sorted(roots, key=lambda c: (c.order, c.pk))):
        if root.key in keys:
            root.colour = PALETTE[n % len(PALETTE)]
            root.save(update_fields=["colour"])
    for code in codes.values():
        if code.key in keys and code.parent_id:
            top = code
            while top.parent_id:
                top = codes[top.parent_id]
            code.colour = top.colour
            code.save(update_fields=["colour"])


def codebook_export(programme: Programme) -> dict:
    rows = tree(programme)
    children: dict[int, list[str]] = {}
    for code, _depth in rows:
        if code.parent_id:
            children.setdefault(code.parent_id, []).append(code.key)
    keys = {code.pk: code.key for code, _depth in rows}
    codes = []
    for code, depth in rows:
        item = {
            "id": code.key,
            "label": code.name,
            "parent": keys.get(code.parent_id),
            "level": depth,
            "kind": code.kind,
            "questions": code.question_list(),
            "description": code.description,
            "colour": code.colour,
            "codable": code.codable,
            "is_leaf": code.pk not in children,
            "children": children.get(code.pk, []),
        }
        item.update({k: v for k, v in code.extra.items() if k not in item})
        codes.append(item)
    return {"programme": programme.slug, "title": programme.name, "codes": codes}
