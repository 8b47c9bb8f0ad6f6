"""The gateway: live requests routed the way the decision says (``whichai gateway``).

- :mod:`whichai.gateway.sensitive`: personal data in a request, or the client's own mark.
- :mod:`whichai.gateway.policy`: routes, which may receive personal data, fallbacks, the policy file.
- :mod:`whichai.gateway.server`: the OpenAI-compatible server (aiohttp), one pooled client per upstream.
- :mod:`whichai.gateway.log`: the request log in SQLite (no prompt or answer unless asked) and its stats.
"""
