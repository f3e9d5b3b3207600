"""Export targets written whole or not at all: a temporary file (or folder) renamed on success.

An export that fails half-way (a full disk, a store error, an interrupt) leaves the target as it
was and no temporary behind. An existing target is replaced only when asked (``force``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

__all__ = ["ExportError", "atomic_directory", "atomic_file"]


class ExportError(RuntimeError):
    """The export target cannot be used (its folder is missing, it exists); the message says why."""


def _check(target: Path, *, force: bool, kind: str) -> None:
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"{target}: folder {folder} does not exist")
    if target.is_dir() and kind == "file":
        raise ExportError(f"{target}: is a directory; name a file")
    if target.exists() and not target.is_dir() and kind == "directory":
        raise ExportError(f"{target}: is a file; name a directory")
    if target.exists() and not force and not (kind == "directory" and not any(target.iterdir())):
        raise ExportError(f"{target}: already exists; add --force to replace it")


@contextlib.contextmanager
def atomic_file(path: str | Path, *, force: bool = False) -> Iterator[TextIO]:
    """A UTF-8 text stream that becomes ``path`` when the block ends without an error.

    Raises :class:`ExportError` before writing when the folder is missing or the file exists
    (without ``force``); an OSError while writing (disk full) removes the temporary file.
    """
    target = Path(path)
    _check(target, force=force, kind="file")
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with open(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def atomic_directory(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """A new folder, beside ``path``, that becomes ``path`` when the block ends without an error.

    An existing empty folder is taken; a folder with files is replaced only with ``force``
    (the old one is moved aside, then removed, once the new one is in place).
    """
    target = Path(path)
    _check(target, force=force, kind="directory")
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        yield temporary
        old: Path | None = None
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
            os.replace(target, old)
        os.replace(temporary, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
