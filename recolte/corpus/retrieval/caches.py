"""Per-programme in-process caches, bounded: least recently used programmes are evicted whole."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, Protocol, TypeVar

from . import tuning


class Tokened(Protocol):
    token: str  # the IndexState token the value was built from


V = TypeVar("V", bound=Tokened)
_all: list[ProgrammeCache] = []


class ProgrammeCache(Generic[V]):
    """Values by programme id, each valid while its token is the programme's current one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: OrderedDict[int, V] = OrderedDict()
        _all.append(self)

    def get(self, programme_id: int, token: str | None = None) -> V | None:
        """The programme's value if it was built from `token` (any token when None)."""
        with self._lock:
            value = self._values.get(programme_id)
            if value is None or (token is not None and value.token != token):
                return None
            self._values.move_to_end(programme_id)
            return value

    def put(self, programme_id: int, value: V) -> V:
        with self._lock:
            self._values[programme_id] = value
            self._values.move_to_end(programme_id)
            while len(self._values) > tuning.CACHED_PROGRAMMES:
                self._values.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def clear_all() -> None:
    for cache in _all:
        cache.clear()
