"""Where a command's output goes: a file checked before any work starts, and written so that
a failure (a full disk, a folder gone) is a coded error, never a traceback."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from unspun.errors import OutputError


def check_output(path: Path) -> None:
    """Raise E501 unless ``path`` can be written: its folder exists and is writable, and
    it is not itself a folder. Called before any article is read."""
    if path.is_dir():
        raise OutputError("E501", f"{path} is a folder; give a file path to -o")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError("E501", f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError("E501", f"{path}: not writable")


def output_error(path: Path | str, err: OSError) -> OutputError:
    """E501 for a write to ``path`` that failed part-way."""
    reason = "the disk is full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
    return OutputError("E501", f"{path}: {reason}")


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8), or raise E501."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise output_error(path, err) from err


__all__ = ["check_output", "output_error", "write_output"]
