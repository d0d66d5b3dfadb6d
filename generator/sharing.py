"""Values alike in many tasks' outputs, kept once (issue 15, memory).

A national corpus shows the same plan label, agency mention, criterion or address in 150,000 tasks' projections
and views; made again for each task, the copies were a tenth of the build's peak of memory. A ``Shared`` keeps
one of each: ``same(value)`` gives the kept value equal to ``value``; ``made(key, make, *args)`` gives what
``make(*args)`` made the first time it was asked for ``key``. What is kept is only read, never changed.
Whoever owns a ``Shared`` clears it when the values are no longer needed (``clear``).
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

V = TypeVar("V", bound=Hashable)


class Shared:
    def __init__(self) -> None:
        self._same: dict[Any, Any] = {}
        self._made: dict[Hashable, Any] = {}

    def same(self, value: V) -> V:
        return self._same.setdefault(value, value)

    def made(self, key: Hashable, make: Callable[..., Any], *args: Any) -> Any:
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = make(*args)
        return found

    def clear(self) -> None:
        self._same.clear()
        self._made.clear()
