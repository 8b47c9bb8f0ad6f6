"""Where whichai keeps its files: the user's data and config directories (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    override = os.environ.get("WHICHAI_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("whichai", appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("WHICHAI_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("whichai", appauthor=False)


def default_db_path() -> Path:
    return data_dir() / "whichai.db"
