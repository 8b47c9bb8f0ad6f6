"""The profiles the dashboard may read and write: built-in ones and the ones saved through it, by name.

A name is letters, digits, ``-`` and ``_`` (at most 64 characters), never a path: the dashboard reads
no file a request names. Saved profiles live in ``<user data dir>/profiles/NAME.yaml`` (a directory
whichai owns; ``WHICHAI_DATA_DIR`` moves it). A saved file is opened without following links and
without blocking, and read only when it is a regular file of at most ``SAVED_MAX_BYTES``
(:func:`whichai.decide.profile.read_saved_text`, which ``--profile NAME`` uses too), so a link
to ``/etc/shadow``, a FIFO or ``/dev/zero`` planted there is refused without being read. A name that
is invalid or unknown gets the same answer whether or not a file of that name exists anywhere.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from whichai.decide.profile import (
    PROFILES_DIR,
    SAVED_NAME,
    dump_profile,
    example_names,
    load_profile_file,
    parse_profile,
    profile_names,
    read_saved_text,
    saved_profiles_dir,
)
from whichai.errors import InputError


def check_name(name: str) -> str:
    if not SAVED_NAME.fullmatch(name or ""):
        raise InputError(
            "a profile is chosen by name: letters, digits, '-' and '_', at most 64 characters (never a path). "
            "Fix: pick a profile from the list, or save the form under such a name."
        )
    return name


def names() -> list[str]:
    """Every profile the dashboard can load: default, the built-in ones, then the saved ones."""
    return profile_names()


def _unknown(name: str) -> InputError:
    return InputError(f"no profile named {name!r}. Fix: choose one of: {', '.join(names())}.")


def load(name: str | None) -> Any:
    """The profile called ``name`` (None or "default": the default profile). InputError otherwise."""
    from whichai.decide.profile import Profile

    if name is None or name == "" or name == "default":
        return Profile()
    check_name(name)
    if name in example_names():
        return load_profile_file(PROFILES_DIR / f"{name}.yaml")
    text = read_saved_text(name)
    if text is None:
        raise _unknown(name)
    return parse_profile(text, f"saved profile {name!r}")


def save(profile: Any, name: str) -> Path:
    """Write ``profile`` as ``<profiles dir>/NAME.yaml`` (its name set to NAME); return the path.
    Built-in names are refused; an existing saved profile of that name is replaced atomically."""
    check_name(name)
    if name == "default" or name in example_names():
        raise InputError(f"{name!r} is a built-in profile. Fix: save under another name.")
    folder = saved_profiles_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{name}.yaml"
    text = dump_profile(profile.model_copy(update={"name": name}))
    # a new, unpredictable name created exclusively (mode 0600): a planted .tmp symlink is never followed
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.yaml.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
