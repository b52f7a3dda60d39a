"""Views never write: every change goes through a room's services, which a view, a management
command and a task all call. A view that saves, creates, deletes or updates rows fails here."""

import ast
from pathlib import Path

import recolte

ROOT = Path(recolte.__file__).parent
WRITES = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "add",
    "remove",
    "clear",
    "set",
}


def _view_modules():
    for path in sorted(ROOT.rglob("views*.py")):
        if "tests" not in path.relative_to(ROOT).parts:
            yield path


def _writes(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        verb = node.func.attr
        # QuerySet.update takes keywords (views merge template contexts with `|=` instead).
        queryset_update = verb == "update" and node.keywords and not node.args
        # set.add / list.remove on local collections take one plain value; a related manager's
        # add/remove/set/clear is reached through an attribute chain (obj.members.add(...)).
        on_relation = isinstance(node.func.value, ast.Attribute)
        # form.save(commit=False) builds the instance for a service to save.
        unsaved = verb == "save" and any(
            k.arg == "commit" and getattr(k.value, "value", True) is False for k in node.keywords
        )
        if unsaved:
            continue
        if queryset_update or (
            verb in WRITES and (verb not in {"add", "remove", "clear", "set"} or on_relation)
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} .{verb}()")
    return found


def test_no_view_writes():
    found = [write for path in _view_modules() for write in _writes(path)]
    assert not found, "move these writes into the room's services:\n" + "\n".join(found)


def test_the_check_sees_a_write(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text(
        "def v(r, seen):\n    r.user.profile.save()\n    Code.objects.filter().update(name='x')\n"
        "    r.programme.members.add(r.user)\n    seen.add(1)\n    context = {}\n"
        "    context.update({'a': 1})\n    form.save(commit=False)\n    form.save(commit=True)\n"
    )
    assert sorted(w.split()[1] for w in _writes(sample, tmp_path)) == [
        ".add()",
        ".save()",
        ".save()",
        ".update()",
    ]
