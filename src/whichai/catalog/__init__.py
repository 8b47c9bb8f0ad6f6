"""The catalog: what is known about each model before it runs.

Public API::

    from whichai.catalog import load_catalog
    cat = load_catalog()                      # shipped catalog, loaded once per process
    cat = load_catalog("my-models.yaml")      # plus the user's additions / overrides
    cat.entries                               # list[ModelEntry]
    cat.get("groq/llama-3.1-8b-instant")      # ModelEntry | None, by id or alias
    cat.price_for("openai/gpt-4o")            # Price | None, the price of that host
    cat.provider_info("groq")                 # {"name", "env", "api", "doc"} from models.dev
    age(cat)                                  # {"oldest_as_of", "newest_as_of", "age_days", ...}

See ``docs/catalog.md`` for the openness rule and the criterion-score method.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whichai.catalog.catalog import Catalog

# The function, not its submodule: importing the (tiny, stdlib-only) submodule here first means a
# later `import whichai.catalog.age` finds it in sys.modules and no longer rebinds this name.
from whichai.catalog.age import age  # noqa: E402

__all__ = ["load_catalog", "Catalog", "age"]


def load_catalog(user_file: str | Path | None = None) -> Catalog:
    from whichai.catalog.catalog import load_shipped

    catalog = load_shipped()
    if user_file is None:
        return catalog
    from whichai.catalog.userfile import merge_user_file

    return merge_user_file(catalog, user_file)


def __getattr__(name: str) -> type[Catalog]:
    if name == "Catalog":
        from whichai.catalog.catalog import Catalog

        return Catalog
    raise AttributeError(name)
