"""The README shows exactly the screenshots that scripts/screenshots.py takes, and they exist."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def script_shots() -> set[str]:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines SHOTS; main() runs only as a script
    return {f"docs/img/{shot.file}" for shot in module.SHOTS}


def readme_images() -> set[str]:
    return set(re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", (ROOT / "README.md").read_text()))


def test_the_readme_references_the_screenshots_the_script_takes():
    assert readme_images() == script_shots()


def test_every_readme_image_is_a_png_in_the_repository():
    for image in readme_images():
        path = ROOT / image
        assert path.is_file(), f"{image} is missing: run make screenshots"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{image} is not a PNG"
