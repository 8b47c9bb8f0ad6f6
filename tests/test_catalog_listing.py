"""catalog/listing.py: the selection ``whichai models`` lists, as typed rows built from the raw entries."""

from __future__ import annotations

import textwrap

import pytest

from whichai.catalog import load_catalog
from whichai.catalog.hardware import fits
from whichai.catalog.lifecycle import entry_status
from whichai.catalog.listing import ListingFilter, ListingRow, list_models


@pytest.fixture(scope="module")
def mine(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("listing") / "mine.yaml"
    path.write_text(textwrap.dedent("""\
        as_of: 2026-11-01
        models:
          - id: acme/small-7b
            name: Small 7B
            provider: ACME
            openness: open-weights
            params_b: 7
            license: apache-2.0
            price_usd_per_mtok: {input: 1, output: 2.5, as_of: 2026-11-01, source: user}
          - id: acme/big-700b
            name: Big 700B
            provider: ACME
            openness: open-weights
            params_b: 700
          - id: acme/secret
            name: Secret
            provider: ACME
            openness: closed
        """), encoding="utf-8")
    return load_catalog(path)


def _ids(rows: list[ListingRow]) -> list[str]:
    return [r.id for r in rows if r.id.startswith("acme/")]


def test_no_filter_lists_every_entry_in_the_catalog_order(mine) -> None:
    rows = list_models(mine, ListingFilter())
    assert [r.id for r in rows] == [raw["id"] for raw in mine.raw]
    assert all(r.status == entry_status(raw) for r, raw in zip(rows, mine.raw))


def test_a_row_keeps_the_values_as_the_entry_states_them(mine) -> None:
    (row,) = list_models(mine, ListingFilter(search="small acme"))
    assert (row.id, row.openness, row.license, row.params_b, row.fit) == ("acme/small-7b", "open-weights", "apache-2.0", 7, None)
    assert isinstance(row.params_b, int)  # the --json list prints 7, not 7.0
    assert row.price is not None and (row.price.input, row.price.output, row.price.source) == (1, 2.5, "user")
    assert row.status == "active" and row.shutdown_date is None


def test_openness_search_and_fit_select(mine) -> None:
    assert _ids(list_models(mine, ListingFilter(search="acme"))) == ["acme/small-7b", "acme/big-700b", "acme/secret"]
    assert _ids(list_models(mine, ListingFilter(openness=frozenset({"closed"}), search="acme"))) == ["acme/secret"]
    assert _ids(list_models(mine, ListingFilter(search="  "))) == ["acme/small-7b", "acme/big-700b", "acme/secret"]
    fitting = list_models(mine, ListingFilter(search="acme", ram_gb=16))
    assert _ids(fitting) == ["acme/small-7b"]
    assert fitting[0].fit == fits(mine.find_raw("acme/small-7b"), 16, None)[1]
    on_gpus = list_models(mine, ListingFilter(search="acme", gpus=(80.0,) * 8, bits=4.5))
    assert _ids(on_gpus) == ["acme/small-7b", "acme/big-700b"] and "8 GPUs" in (on_gpus[1].fit or "")


def test_status_keeps_the_entries_with_that_status_today(mine) -> None:
    for status in ("active", "deprecated", "retired"):
        rows = list_models(mine, ListingFilter(status=status))
        assert rows and {r.status for r in rows} == {status}
        assert len(rows) == sum(entry_status(raw) == status for raw in mine.raw)
    lifecycle = {raw["id"]: raw.get("lifecycle") or {} for raw in mine.raw}
    dated = [r for r in list_models(mine, ListingFilter(status="deprecated")) if r.shutdown_date]
    assert dated and all(r.shutdown_date == lifecycle[r.id]["shutdown_date"] for r in dated)
