"""The lean wire client's server-sent-event parsing (providers/openai_compat.py, issue 24): the events of each
read from the network parsed once, a line split across reads joined, the stream's end and its bounds kept."""

from __future__ import annotations

import asyncio
import json

import pytest

from whichai.errors import ProviderError, RetryableError
from whichai.providers import openai_compat
from whichai.providers.openai_compat import WireClient


def _feed(reads: list[bytes]) -> tuple[list[list[dict]], bool]:
    """The event lists the wire client yields for these reads (b"" is the body's end), and whether it was done."""

    async def go() -> tuple[list[list[dict]], bool]:
        client = WireClient("http://127.0.0.1:9/v1/", "k")
        try:
            out, rest, done = [], b"", False
            for data in reads:
                events, rest, done = client._parse(rest + data, last=not data)
                if events:
                    out.append(events)
                if done:
                    break
            return out, done
        finally:
            await client.close()

    return asyncio.run(go())


def _data(event: dict) -> bytes:
    return b"data: " + json.dumps(event).encode() + b"\n\n"


def test_events_of_one_read_come_together_and_done_ends_the_stream():
    reads = [_data({"a": 1}) + b": a comment\r\nevent: x\r\n" + _data({"b": "é"}) + b"data: [DONE]\n\n" + _data({"c": 3})]
    assert _feed(reads) == ([[{"a": 1}, {"b": "é"}]], True)


def test_a_line_split_across_reads_is_parsed_once_whole():
    line = _data({"text": "Jakarta"})
    reads = [line[:3], line[3:11], line[11:] + b"data:{\"n\":2}\r\n", b"data: [DONE]", b""]
    assert _feed(reads) == ([[{"text": "Jakarta"}, {"n": 2}]], True)


def test_an_unfinished_last_line_is_read_at_the_end_of_the_body():
    assert _feed([b'data: {"n": 1}', b""]) == ([[{"n": 1}]], True)
    assert _feed([b"", b""]) == ([], True)


def test_invalid_json_is_a_retryable_invalid_response_naming_the_server():
    with pytest.raises(RetryableError) as caught:
        _feed([b"data: {not json\n\n"])
    assert caught.value.error_class == "invalid_response"
    assert str(caught.value) == "invalid response at http://127.0.0.1:9/v1/: not valid JSON"


@pytest.mark.parametrize("whole", [False, True])
def test_a_line_over_the_cap_is_an_error_of_the_call(monkeypatch, whole):
    monkeypatch.setattr(openai_compat, "MAX_EVENT_BYTES", 64)
    reads = [b"data: " + b"x" * 100 + (b"\n" if whole else b"")]
    with pytest.raises(ProviderError) as caught:
        _feed(reads)
    assert caught.value.error_class == "invalid_response" and "longer than" in str(caught.value)
    assert _feed([b"data: " + json.dumps({"t": "y" * 40}).encode() + b"\n"] * 3) == ([[{"t": "y" * 40}]] * 3, False)
