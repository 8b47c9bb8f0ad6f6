"""Load sweeps in SQLite (their tables: ``_m002_load_sweeps`` in :mod:`whichai.store.migrations`).

:func:`load_results` returns stored sweeps (:class:`~whichai.measure.load.sweep.LoadSweep`, the document
of ``whichai load --json``); :func:`capacity_entries` turns the newest sweep per model and hardware into
decide's capacity entries (:class:`CapacityEntry`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal, cast

from whichai.measure.load.sweep import AtSlo, Headline, LoadPoint, LoadSweep, PlanJson, Workload, headline

if TYPE_CHECKING:
    from whichai.store import Store

POINT_COLUMNS = (
    "concurrency", "requests", "errors", "requests_per_s", "output_tokens_per_s", "ttft_p50_s", "ttft_p95_s",
    "itl_p50_s", "latency_p50_s", "latency_p95_s", "input_tokens_per_s", "tokens_per_s", "tpot_p50_s",
)


def save_sweep(store: Store, document: LoadSweep) -> None:
    """Store one sweep (the ``whichai load --json`` document) in one transaction."""
    db = store.db
    with db:
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO load_sweeps (id, created_at, model, server, serves, hardware, workload, plan, saturated,"
            " saturation_concurrency, max_output_tokens_per_s, at_slo, whichai_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (document.id, document.created_at, document.model, document.server, document.serves, document.hardware,
             json.dumps(document.workload), json.dumps(document.plan), int(document.saturated),
             document.saturation_concurrency, document.max_output_tokens_per_s,
             None if document.at_slo is None else json.dumps(document.at_slo), document.whichai_version),
        )
        for point in document.points:
            values = dict(point)
            extra = {k: v for k, v in values.items() if k not in POINT_COLUMNS}
            db.execute(
                f"INSERT INTO load_points (sweep_id, {', '.join(POINT_COLUMNS)}, extra)"
                f" VALUES (?, {', '.join('?' for _ in POINT_COLUMNS)}, ?)",
                (document.id, *(values[k] for k in POINT_COLUMNS), json.dumps(extra)),
            )


def load_results(store: Store, model: str | None = None) -> list[LoadSweep]:
    """Stored sweeps, newest first."""
    query = "SELECT * FROM load_sweeps" + (" WHERE model = ?" if model else "") + " ORDER BY created_at DESC, rowid DESC"
    sweeps = store.db.execute(query, (model,) if model else ()).fetchall()
    documents = []
    for row in sweeps:
        points = []
        for p in store.db.execute("SELECT * FROM load_points WHERE sweep_id = ? ORDER BY concurrency", (row["id"],)):
            point = {k: p[k] for k in POINT_COLUMNS}
            point.update(json.loads(p["extra"]))
            points.append(cast(LoadPoint, point))  # the rows save_sweep wrote
        top = max(points, key=lambda p: p["output_tokens_per_s"]) if points else None
        saturation = next((p for p in points if p["concurrency"] == row["saturation_concurrency"]), None)
        documents.append(LoadSweep(
            id=row["id"], created_at=row["created_at"], model=row["model"], server=row["server"], serves=row["serves"],
            hardware=row["hardware"], workload=cast(Workload, json.loads(row["workload"])),
            plan=cast(PlanJson, json.loads(row["plan"])),
            points=points, max_output_tokens_per_s=row["max_output_tokens_per_s"],
            max_at_concurrency=top["concurrency"] if top else None, saturated=bool(row["saturated"]),
            saturation_concurrency=row["saturation_concurrency"],
            at_saturation=headline(saturation) if saturation else None,
            at_slo=None if row["at_slo"] is None else cast(AtSlo, json.loads(row["at_slo"])),
            whichai_version=row["whichai_version"],
        ))
    return documents


@dataclass(frozen=True)
class CapacityEntry:
    """Measured throughput of a model on some hardware, for decide (``origin`` measured)."""

    model: str
    serves: str | None
    tokens_per_s: float  # input + output
    hardware: str
    source: str  # which sweep, when, against which server, at which point
    origin: Literal["measured"]
    concurrency: int
    sweep_id: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def capacity_of(document: LoadSweep) -> CapacityEntry | None:
    """Decide's capacity entry for one sweep: input+output tokens/s at the SLO (when one was given and
    met), else at saturation, else at the highest throughput measured (then a lower bound, said so)."""
    slo = document.at_slo
    point: AtSlo | Headline | LoadPoint
    if slo and slo.get("met") and slo.get("tokens_per_s"):
        point, where = slo, f"at the SLO (p95 TTFT ≤ {slo['slo_ttft_s']} s, p95 latency ≤ {slo['slo_latency_s']} s)"
    elif document.at_saturation and document.at_saturation.get("tokens_per_s"):
        point, where = document.at_saturation, "at saturation"
    else:
        measured = [p for p in document.points if p.get("tokens_per_s")]
        if not measured:
            return None
        point = max(measured, key=lambda p: p["tokens_per_s"] or 0.0)
        where = f"highest measured, not saturated up to concurrency {document.plan.get('max_concurrency')} (a lower bound)"
    tokens_per_s, concurrency = point["tokens_per_s"], point["concurrency"]
    assert tokens_per_s is not None and concurrency is not None  # the point was chosen for its tokens/s
    return CapacityEntry(
        model=document.model, serves=document.serves, tokens_per_s=tokens_per_s, hardware=document.hardware,
        source=f"whichai load {document.id} on {document.created_at[:10]} against {document.server}, "
               f"{where}, concurrency {concurrency}",
        origin="measured", concurrency=concurrency, sweep_id=document.id,
    )


def capacity_entries(store: Store) -> list[CapacityEntry]:
    """Decide capacity entries: the newest sweep for each (model, hardware)."""
    seen: set[tuple[str, str]] = set()
    entries = []
    for document in load_results(store):
        key = (document.model, document.hardware)
        if key in seen:
            continue
        seen.add(key)
        entry = capacity_of(document)
        if entry is not None:
            entries.append(entry)
    return entries
