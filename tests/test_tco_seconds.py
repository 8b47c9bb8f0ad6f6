"""Issue 24: the seconds a request takes on measured hardware equal the measured latency — the time to
first token is inside the measured rate (output tokens over whole-request latency), not added again."""

from __future__ import annotations

from whichai.decide.profile import Profile, Volume
from whichai.decide.tco import _measured_seconds
from whichai.measure.metrics import summarise_results

# Recorded timings of a local model (ttft, latency, output tokens), as the runner stores them.
TIMINGS = [(0.21, 1.92, 48), (0.18, 2.31, 61), (0.25, 1.40, 33), (0.20, 2.05, 52), (0.19, 1.77, 45)]


def test_measured_seconds_per_request_equal_the_measured_latency():
    results = [{"model": "local/m", "case_id": f"c{i}", "status": "ok", "passed": 1, "score": 1.0, "ttft_s": ttft,
                "latency_s": latency, "output_tokens": out, "input_tokens": 20, "cost_usd": 0.0, "price_source": "local"}
               for i, (ttft, latency, out) in enumerate(TIMINGS)]
    measured = summarise_results("local/m", results, len(results)).to_json()  # as decide reads a measurement
    mean_out = sum(t[2] for t in TIMINGS) / len(TIMINGS)
    mean_latency = sum(t[1] for t in TIMINGS) / len(TIMINGS)
    profile = Profile(volume=Volume(output_tokens_per_request=mean_out, input_tokens_per_request=20))
    seconds = _measured_seconds(measured, profile.volume)
    assert abs(seconds - mean_latency) / mean_latency < 0.02, (seconds, mean_latency)
