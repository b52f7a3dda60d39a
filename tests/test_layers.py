"""Imports run one way, down the flow of the data; the access policy stands beside the rooms.

A room may import itself, the rooms below it, `recolte.access` and the package's leaf modules
(`recolte/<name>.py` importing no room, such as `safezip`); `recolte.access` may import only the
registry. Test modules are exempt (they build worlds across rooms).
"""

import ast
from pathlib import Path

import recolte

ROOT = Path(recolte.__file__).parent
# Higher numbers stand further down the flow; a room imports only rooms of a lower or equal rank
# (equal rank: the same room, since rooms of one rank never import each other).
RANK = {
    "registry": 0,
    "collection": 1,
    "corpus": 2,
    "coding": 3,
    "synthesis": 4,
    "outcomes": 4,
    "exchange": 4,
    "portal": 5,
    "privacy": 5,
}
BESIDE = "access"


def _imported_rooms(path: Path) -> set[str]:
    rooms = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module == "recolte":
            names = [f"recolte.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "recolte" and len(parts) > 1:
                rooms.add(parts[1])
    return rooms


def _production_modules(room: str):
    for path in sorted((ROOT / room).rglob("*.py")):
        if "tests" in path.relative_to(ROOT).parts or path.name.startswith("test_"):
            continue
        yield path


def _leaves() -> set[str]:
    """Modules at the package's root that import no room: shared tools any room may use."""
    return {
        path.stem
        for path in ROOT.glob("*.py")
        if not _imported_rooms(path) and path.stem != "__init__"
    }


def test_every_room_has_a_rank():
    rooms = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert rooms - {BESIDE} <= set(RANK), rooms - {BESIDE} - set(RANK)


def test_imports_run_down_the_flow():
    upward = []
    allowed = _leaves() | {BESIDE}
    for room, rank in RANK.items():
        for path in _production_modules(room):
            for other in _imported_rooms(path) - {room} - allowed:
                if other not in RANK or RANK[other] >= rank:
                    upward.append(f"{path.relative_to(ROOT)} imports recolte.{other}")
    assert upward == []


def test_access_policy_depends_only_on_the_registry():
    wrong = [
        f"{path.relative_to(ROOT)} imports recolte.{other}"
        for path in _production_modules(BESIDE)
        for other in _imported_rooms(path) - {BESIDE, "registry"} - _leaves()
    ]
    assert wrong == []
