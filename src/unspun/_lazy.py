"""Package attributes imported on first use (PEP 562).

unspun's command line imports its packages to register commands; most of what they export
(the pydantic data model, the readers, the models) is only needed once a command runs, and
importing it all up front costs more than the start-up budget of ``unspun --help``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports ``name`` from ``exports[name]``
    when it is first read, and keeps it in the package's namespace after that."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(importlib.import_module(package), name, value)
        return value

    return __getattr__
