"""Files that hold records (exports, backups, their manifests): the owner's only, whatever the
umask. Opened 0600 from the start (never readable for a moment) and set 0600 if they existed."""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def open_private(path: str | os.PathLike, mode: str = "w", **kw):
    """Like open(path, "w"/"wb"), but the file is 0600 before anything is written."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return os.fdopen(fd, mode, **kw)


def write_private_text(path: str | os.PathLike, text: str) -> None:
    with open_private(path, "w") as f:
        f.write(text)


def private_dir(path: str | os.PathLike) -> Path:
    path = Path(path)
    old = os.umask(0o077)
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    finally:
        os.umask(old)
    try:
        os.chmod(path, DIR_MODE)
    except PermissionError:  # a folder someone else owns is left as it is
        pass
    return path
