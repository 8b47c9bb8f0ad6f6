"""Capacity under load: ``whichai load`` sweeps concurrency against an OpenAI-compatible server.

- :mod:`whichai.measure.load.target`: which server and model a model id points at (never the in-process model).
- :mod:`whichai.measure.load.prompts`: the requests sent (a task's cases, or synthetic prompts of a given size).
- :mod:`whichai.measure.load.client`: a lean streaming client that times every delta as it arrives.
- :mod:`whichai.measure.load.point`: one point of the sweep (a closed loop at one concurrency) and its statistics.
- :mod:`whichai.measure.load.sweep`: the sweep (1, doubling, then bisection around saturation and the SLO).
- :mod:`whichai.measure.load.store`: sweeps in SQLite; ``load_results`` and ``capacity_entries`` for decide.
"""
