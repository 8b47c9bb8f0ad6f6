"""Licence names as the sources spell them, normalised, and whether they are open.

A licence is *open* when it is OSI-approved (code, weights) or an open-data / open-content
licence (CC-BY, CC0, ODC-By, CDLA-Permissive) with no restriction on who may use the work or
for what. *Restricted* licences let you download the weights but limit use: Llama and Gemma
community terms, RAIL licences (use-based restrictions), non-commercial (NC) and research-only
licences, bespoke "model licence agreements". Anything else is unknown: never guessed.
"""

from __future__ import annotations

import re

# normalised key -> SPDX-like display name
_OPEN = {
    "apache20": "Apache-2.0",
    "apachelicense20": "Apache-2.0",
    "apache2": "Apache-2.0",
    "mit": "MIT",
    "mitlicense": "MIT",
    "bsd3": "BSD-3-Clause",
    "bsd3clause": "BSD-3-Clause",
    "bsd2clause": "BSD-2-Clause",
    "bsd2": "BSD-2-Clause",
    "ccby40": "CC-BY-4.0",
    "ccbysa40": "CC-BY-SA-4.0",
    "cc040": "CC0-1.0",
    "cc010": "CC0-1.0",
    "cc0": "CC0-1.0",
    "odcby": "ODC-By-1.0",
    "odcby10": "ODC-By-1.0",
    "cdlapermissive20": "CDLA-Permissive-2.0",
    "gpl30": "GPL-3.0",
    "agpl30": "AGPL-3.0",
    "lgpl30": "LGPL-3.0",
    "mpl20": "MPL-2.0",
    "unlicense": "Unlicense",
    "isc": "ISC",
    "openmdw10": "OpenMDW-1.0",
}

_RESTRICTED_WORDS = (
    "llama",
    "gemma",
    "rail",
    "noncommercial",
    "nc40",
    "ccbync",
    "research",
    "qwenlicense",
    "tongyi",
    "deepseeklicense",
    "falcon",
    "nvidiaopenmodel",
    "databricks",
    "communitylicense",
    "modellicense",
    "telechat",
    "evaluationlicense",
    "proprietary",
    "aisweden",
    "bespoke",
)

# "Unclear", "other", "various": the source does not say which licence: unknown, never guessed
_UNKNOWN = {"", "none", "null", "unlicensed", "license", "other", "otherlicense", "unknown", "unclear", "various", "na", "tbd"}
# restricted licences spelled many ways -> one display name (no SPDX id exists for these)
_NAMED = (
    (r"(meta)?llama(2|v2)(community)?(license)?(agreement)?", "Llama 2 Community License"),
    (r"(meta)?llama3(community)?(license)?(agreement)?", "Llama 3 Community License"),
    (r"(meta)?llama31(community)?(license)?(agreement)?", "Llama 3.1 Community License"),
    (r"(meta)?llama32(community)?(license)?(agreement)?", "Llama 3.2 Community License"),
    (r"(meta)?llama33(community)?(license)?(agreement)?", "Llama 3.3 Community License"),
    (r"(meta)?llama4(community)?(license)?(agreement)?", "Llama 4 Community License"),
    (r"gemma(termsofuse|license)?", "Gemma Terms of Use"),
    (r"deepseek(model)?license(agreement)?", "DeepSeek License Agreement"),  # the licence's own title
    (r"bigsciencebloomrail10", "BigScience-BLOOM-RAIL-1.0"),
    (r"ccbync40", "CC-BY-NC-4.0"),
    (r"ccbyncsa40", "CC-BY-NC-SA-4.0"),
)

_CLOSED_WORDS = ("proprietary", "undisclosed", "closed", "notreleased")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def normalise(name: str | None) -> str | None:
    """A display name for a licence string, or None when the string says nothing."""
    if name is None:
        return None
    name = str(name).strip().strip("'\"")
    key = _key(name)
    if not name or key in _UNKNOWN or key.startswith("unknown") or key.startswith("unclear"):
        return None
    if key in _OPEN:
        return _OPEN[key]
    for pattern, display in _NAMED:
        if re.fullmatch(pattern, key):
            return display
    return name


def is_open(name: str | None) -> bool | None:
    """True: open licence; False: restricts use (or proprietary); None: unknown."""
    if name is None:
        return None
    key = _key(name)
    if key in _OPEN:
        return True
    for display in _OPEN.values():
        if key == _key(display):
            return True
    if any(word in key for word in _RESTRICTED_WORDS):
        return False
    return None


def is_closed(name: str | None) -> bool:
    return name is not None and any(word in _key(name) for word in _CLOSED_WORDS)
