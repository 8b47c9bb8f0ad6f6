"""The profiles the dashboard may read and write: built-in ones and the ones saved through it, by name.

A name is letters, digits, ``-`` and ``_`` (at most 64 characters), never a path: the dashboard reads
no file a request names. Saved profiles live in ``<user data dir>/profiles/NAME.yaml`` (a directory
whichai owns; ``WHICHAI_DATA_DIR`` moves it). A saved file is opened without following links and
without blocking, and read only when it is a regular file of at most :data:`MAX_BYTES`, so a link
to ``/etc/shadow``, a FIFO or ``/dev/zero`` planted there is refused without being read. A name that
is invalid or unknown gets the same answer whether or not a file of that name exists anywhere.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from whichai.errors import InputError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
MAX_BYTES = 64 * 1024


def profiles_dir() -> Path:
    from whichai.paths import data_dir

    return data_dir() / "profiles"


def valid_name(name: str) -> bool:
    return bool(NAME.fullmatch(name or ""))


def check_name(name: str) -> str:
    if not valid_name(name):
        raise InputError(
            "a profile is chosen by name: letters, digits, '-' and '_', at most 64 characters (never a path). "
            "Fix: pick a profile from the list, or save the form under such a name."
        )
    return name


def builtin_names() -> list[str]:
    from whichai.decide.profile import example_names

    return example_names()


def saved_names() -> list[str]:
    folder = profiles_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if valid_name(p.stem) and p.stem not in builtin_names() and _loadable(p))


def _loadable(path: Path) -> bool:
    """A regular file (not a link, FIFO or device) small enough to be read (lstat only: nothing is opened)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size <= MAX_BYTES


def names() -> list[str]:
    """Every profile the dashboard can load: default, the built-in ones, then the saved ones."""
    return ["default", *builtin_names(), *saved_names()]


def _unknown(name: str) -> InputError:
    return InputError(f"no profile named {name!r}. Fix: choose one of: {', '.join(names())}.")


def read_regular(path: Path, limit: int = MAX_BYTES) -> str | None:
    """The text of ``path`` when it is a regular file (no link) of at most ``limit`` bytes, else None.
    Opened with O_NOFOLLOW and O_NONBLOCK, checked with fstat before reading a byte."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = os.read(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def load(name: str | None) -> Any:
    """The profile called ``name`` (None or "default": the default profile). InputError otherwise."""
    from whichai.decide.profile import PROFILES_DIR, Profile, load_profile_file, parse_profile

    if name is None or name == "" or name == "default":
        return Profile()
    check_name(name)
    if name in builtin_names():
        return load_profile_file(PROFILES_DIR / f"{name}.yaml")
    text = read_regular(profiles_dir() / f"{name}.yaml")
    if text is None:
        raise _unknown(name)
    return parse_profile(text, f"saved profile {name!r}")


def save(profile: Any, name: str) -> Path:
    """Write ``profile`` as ``<profiles dir>/NAME.yaml`` (its name set to NAME); return the path.
    Built-in names are refused; an existing saved profile of that name is replaced atomically."""
    from whichai.decide.profile import dump_profile

    check_name(name)
    if name == "default" or name in builtin_names():
        raise InputError(f"{name!r} is a built-in profile. Fix: save under another name.")
    folder = profiles_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{name}.yaml"
    text = dump_profile(profile.model_copy(update={"name": name}))
    tmp = folder / f".{name}.yaml.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return path
