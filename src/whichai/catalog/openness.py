"""The openness rule: open source / open weights / closed, and the dimensions that decided it.

The rule follows the OSI Open Source AI Definition (OSAID 1.0): a model is *open source* when
its weights, its code and information about its training data are available under terms that
let anyone use, study, modify and share it. In whichai's terms, with evidence from the sources:

1. **weights**: downloadable (MOF "Model parameters (Final)" released, osai-index end-model
   weights linked or open, models.dev ``open_weights``). Not downloadable -> **closed**.
2. **licence**: the weights' licence is open (OSI-approved or open-content, no use restrictions;
   see :mod:`whichai.catalog.licenses`). Llama, Gemma, RAIL, non-commercial -> not open.
3. **code**: training or inference / architecture code released under an open licence
   (MOF components; osai-index ``trainingcode`` open).
4. **data information**: training datasets or a data card / datasheet published (MOF "Datasets",
   "Data card"; osai-index ``datasources_basemodel`` / ``datasheet`` open or partial).

All four -> **open source**; weights downloadable but any of 2-4 missing or unknown ->
**open weights** (unknown is never counted as open, and the reason names what is unknown).
Weights not downloadable *with positive evidence* (an API-only model of a lab that publishes no
weights for it, an auditor's "closed" rating) -> **closed**; no evidence either way -> **unknown**
(decide scores it as unknown, never as closed). Each fact is three-valued: True (yes, with the
evidence), False (no, with the evidence) or None (unknown). The MOF class (I open science, II open
tooling, III open model) is computed from the MOF components and shown alongside.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Evidence:
    """Facts about one model's openness, each with the source that states it."""

    weights: bool | None = None
    weights_src: str = ""
    license: str | None = None
    license_open: bool | None = None
    license_src: str = ""
    code: bool | None = None
    code_src: str = ""
    data: bool | None = None
    data_src: str = ""
    mof_class: str | None = None
    notes: list[str] = field(default_factory=list)


def _yes(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


def classify(ev: Evidence) -> tuple[str, str, dict[str, str]]:
    """Return (openness, reason, deciding dimensions)."""
    dims = {
        "weights_downloadable": f"{_yes(ev.weights)}" + (f" ({ev.weights_src})" if ev.weights_src else ""),
        "license_open": f"{_yes(ev.license_open)}: {ev.license or 'licence unknown'}"
        + (f" ({ev.license_src})" if ev.license_src else ""),
        "code_open": f"{_yes(ev.code)}" + (f" ({ev.code_src})" if ev.code_src else ""),
        "data_information": f"{_yes(ev.data)}" + (f" ({ev.data_src})" if ev.data_src else ""),
    }
    if ev.mof_class:
        dims["mof_class"] = ev.mof_class
    if ev.weights is False:
        return "closed", "closed: weights are not downloadable" + (f" ({ev.weights_src})" if ev.weights_src else ""), dims
    if ev.weights is None:
        return "unknown", "unknown: no source says whether the weights are downloadable" + (f" ({ev.weights_src})" if ev.weights_src else ""), dims
    missing = []
    if ev.license_open is not True:
        if ev.license_open is False and ev.license and ev.license_src.startswith("inherits"):
            missing.append(f"licence restricts use: {ev.license}, but it {ev.license_src}")
        else:
            missing.append(
                f"licence {ev.license} restricts use" if ev.license_open is False and ev.license else "licence not shown to be open"
            )
    if ev.code is not True:
        missing.append("no open training or inference code documented" if ev.code is None else "code not released openly")
    if ev.data is not True:
        missing.append("no training-data information documented" if ev.data is None else "training data information withheld")
    if not missing:
        return (
            "open-source",
            f"open source: weights under an open licence ({ev.license}), open code and training-data information (OSAID)",
            dims,
        )
    return "open-weights", "open weights: downloadable, but " + "; ".join(missing), dims
