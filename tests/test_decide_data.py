"""Catalog entries built for the decide tests (inputs, like a user's own catalog file), and checks of them.

Each entry is a real :class:`whichai.catalog.schema.ModelEntry`; facts carry a source as in the
shipped catalog. The set covers the classes and deployment shapes decide must tell apart: an open-
source model small enough for a laptop, an open-source mid-size model, open-weights models with a
restrictive licence (one too big for most hardware), and closed API models with and without an SLA.
"""

from __future__ import annotations

from whichai.catalog.schema import Fact, ModelEntry, Price, Source

SRC = Source(name="curated", url="https://example.org/terms", as_of="2026-07-01")
PRICE_SRC = "models.dev"


def fact(value) -> Fact:
    return Fact(value=value, source=SRC)


def price(inp: float, out: float) -> Price:
    return Price(input=inp, output=out, as_of="2026-07-02", source=PRICE_SRC)


OPEN_FACTS = {"support": fact("community"), "sla": fact(None), "fine_tuning": fact(True), "trains_on_api_data": fact(False)}


def entries() -> list[ModelEntry]:
    return [
        ModelEntry(
            id="local/smollm2-135m-instruct", name="SmolLM2 135M", provider="Hugging Face", openness="open-source",
            license="Apache-2.0", license_restricts_use=False, commercial_use=True, weights_downloadable=True,
            api_available=False, params_b=0.135, languages=["en"], facts=OPEN_FACTS,
        ),
        ModelEntry(
            id="allenai/olmo-2-13b", name="OLMo 2 13B", provider="AI2", openness="open-source",
            license="Apache-2.0", license_restricts_use=False, commercial_use=True, weights_downloadable=True,
            api_available=False, params_b=13.0, facts=OPEN_FACTS,
        ),
        ModelEntry(
            id="meta/llama-3.1-8b-instruct", name="Llama 3.1 8B", provider="Meta", openness="open-weights",
            license="Llama 3.1 Community", license_restricts_use=True, commercial_use=True, weights_downloadable=True,
            api_available=True, price_usd_per_mtok=price(0.05, 0.08), params_b=8.0, facts=OPEN_FACTS,
        ),
        ModelEntry(
            id="meta/llama-3.1-405b-instruct", name="Llama 3.1 405B", provider="Meta", openness="open-weights",
            license="Llama 3.1 Community", license_restricts_use=True, commercial_use=True, weights_downloadable=True,
            api_available=True, price_usd_per_mtok=price(3.0, 3.0), params_b=405.0, facts=OPEN_FACTS,
        ),
        ModelEntry(
            id="research/noncommercial-7b", name="NC 7B", provider="Lab", openness="open-weights",
            license="CC-BY-NC-4.0", license_restricts_use=True, commercial_use=False, weights_downloadable=True,
            api_available=False, params_b=7.0, facts=OPEN_FACTS,
        ),
        ModelEntry(
            id="openai/gpt-4o-mini", name="GPT-4o mini", provider="OpenAI", openness="closed",
            weights_downloadable=False, api_available=True, price_usd_per_mtok=price(0.15, 0.6),
            facts={"sla": fact("99.9% on enterprise tier"), "support": fact("paid"), "trains_on_api_data": fact(False),
                   "zero_retention_available": fact(True), "certifications": fact(["SOC 2"]), "fine_tuning": fact(True)},
        ),
        ModelEntry(
            id="anthropic/claude-x", name="Claude X", provider="Anthropic", openness="closed",
            weights_downloadable=False, api_available=True, price_usd_per_mtok=price(3.0, 15.0),
            facts={"sla": fact(None), "support": fact("paid"), "trains_on_api_data": fact(False)},
        ),
    ]


def test_entries_are_valid_and_distinct() -> None:
    ids = [e.id for e in entries()]
    assert len(ids) == len(set(ids))
    assert {e.openness for e in entries()} == {"open-source", "open-weights", "closed"}


def raw_catalog(extra: dict[str, dict] | None = None):
    """:func:`entries` as a catalog document's raw entries (what decide reads from a loaded catalog),
    with ``extra`` fields merged into the entries of those ids."""
    from types import SimpleNamespace

    raw = []
    for e in entries():
        d = e.model_dump(mode="json")
        d.update((extra or {}).get(e.id, {}))
        raw.append(d)
    return SimpleNamespace(raw=raw)

