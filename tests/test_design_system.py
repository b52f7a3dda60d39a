"""Every button of every template wears a class of the design system (`recolte/app.css`), a
button that deletes, withdraws or rejects wears the destructive one, and one that publishes or
unpublishes asks first."""

import re
from pathlib import Path

import recolte

ROOT = Path(recolte.__file__).parent
DESIGN = {"primary", "secondary", "danger", "link-like"}
# The first word of an English label that removes, withdraws or cannot be undone.
DESTRUCTIVE_VERBS = {
    "Delete",
    "Remove",
    "Unpublish",
    "Withdraw",
    "Reject",
    "Erase",
    "Discard",
    "Revoke",
}
# Values a button sends to a view that withdraws or rejects, whatever its label says.
DESTRUCTIVE_VALUES = {"unpublish", "reject", "discard", "delete", "ignore_all"}
# What puts material on the public portal or takes it off asks first (`confirm.js`).
PUBLIC_VERBS = {"Publish", "Unpublish"}
PUBLIC_VALUES = {"publish", "unpublish"}

# A tag runs to the first ">" outside template tags and quoted values.
TAG = re.compile(r"<(button|input)\b((?:\{%.*?%\}|\{\{.*?\}\}|\"[^\"]*\"|'[^']*'|[^>])*)>", re.S)
LABEL = re.compile(r"""\{%\s*(?:translate|blocktranslate)\s*(?:["']([^"']*)["'])?[^%]*%\}([^{]*)""")


def _attr(attrs: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', attrs)
    return found.group(1) if found else ""


def buttons(text: str) -> list[tuple[set[str], str, str, bool]]:
    """(classes, English label, value, asks first) of each button and submit input."""
    found = []
    for match in TAG.finditer(text):
        kind, attrs = match.groups()
        if kind == "input" and _attr(attrs, "type") not in ("submit", "button"):
            continue
        label = ""
        if kind == "button":
            inner = text[match.end() : text.find("</button>", match.end())]
            words = LABEL.search(inner)
            label = (words.group(1) or words.group(2)).strip() if words else inner.strip()
        classes = set(re.sub(r"\{%.*?%\}", " ", _attr(attrs, "class")).split())
        found.append((classes, label, _attr(attrs, "value"), "data-confirm=" in attrs))
    return found


def problems(path: Path) -> list[str]:
    found = []
    for classes, label, value, asks in buttons(path.read_text(encoding="utf-8")):
        where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}: {label!r}"
        if not classes & DESIGN:
            found.append(f"{where} has none of {sorted(DESIGN)}")
        destructive = label.split(" ", 1)[0] in DESTRUCTIVE_VERBS or value in DESTRUCTIVE_VALUES
        if destructive and "danger" not in classes:
            found.append(f"{where} removes or withdraws: it needs the class danger")
        public = label.split(" ", 1)[0] in PUBLIC_VERBS or value in PUBLIC_VALUES
        if public and not asks:
            found.append(f"{where} changes the public portal: it needs data-confirm")
    return found


def _templates():
    return sorted(p for p in ROOT.rglob("*.html") if "templates" in p.parts)


def test_every_button_uses_the_design_system():
    assert len(_templates()) > 80  # the walk finds the templates
    found = [problem for path in _templates() for problem in problems(path)]
    assert not found, "\n".join(found)


def test_the_check_sees_unstyled_and_mislabelled_buttons(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<button type="submit">{% translate "Save" %}</button>\n'
        '<button class="primary" type="submit">{% translate "Delete for good" %}</button>\n'
        '<button class="secondary" name="verb" value="unpublish">{% translate "Stop" %}</button>\n'
        '<input type="submit" value="Go">\n'
        '<button class="link-like{% if on %} current{% endif %}">{{ n }}</button>\n'
        '<button class="danger" type="submit">{% translate "Withdraw" %}</button>\n'
        '<button class="primary" name="verb" value="publish">{% translate "Publish" %}</button>\n',
        encoding="utf-8",
    )
    found = problems(page)
    assert [line.split(":", 1)[1].strip() for line in found] == [
        "'Save' has none of ['danger', 'link-like', 'primary', 'secondary']",
        "'Delete for good' removes or withdraws: it needs the class danger",
        "'Stop' removes or withdraws: it needs the class danger",
        "'Stop' changes the public portal: it needs data-confirm",
        "'' has none of ['danger', 'link-like', 'primary', 'secondary']",
        "'Publish' changes the public portal: it needs data-confirm",
    ]
