"""Measuring: the runner (the async core), its policy and what it measures.

- :mod:`whichai.measure.runner`: cases x models, concurrently, each result stored as it completes.
- :mod:`whichai.measure.adaptive`: the adaptive concurrency limit (AIMD).
- :mod:`whichai.measure.judge`: the judge scorer.
- :mod:`whichai.measure.metrics`, :mod:`whichai.measure.repeats`, :mod:`whichai.measure.comparisons`:
  pass rates and their intervals, repeated runs, paired comparisons.
- :mod:`whichai.measure.spend`: what a run's paid calls may cost, before any call.
- :mod:`whichai.measure.candidates`: which models to measure next.
- :mod:`whichai.measure.load`: capacity under load (``whichai load``).
"""
