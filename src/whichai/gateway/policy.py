"""The gateway's policy: which upstream serves which request, and the evidence for each route.

A policy is compiled from a decision document (``whichai.app.gateway``) or read from a file::

    # policy.yaml (or .toml, same keys)
    routes:
      - name: private
        model: mylocal/smollm2          # NAME/model: an OpenAI-compatible server in whichai.toml
        sensitive: true                 # may receive personal data
      - name: public
        model: openai/gpt-5.4-mini
    default: public                     # the route of requests without personal data
    fallback: [private]                 # tried in order when the default route fails
    sensitive_patterns: ['ORD-\\d{6}']  # your own patterns of personal data
    phone_regions: [ID]                 # regions whose national phone numbers are recognised
    log_content: false                  # true stores prompts and answers in the log

Sensitive requests go only to routes marked ``sensitive: true``, in the order listed; if none of them
answers, the request fails (HTTP 503) and never falls back to another route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whichai.errors import FileInputError

KEYS = {"routes", "default", "fallback", "sensitive_patterns", "phone_regions", "log_content", "timeout_s"}
ROUTE_KEYS = {"name", "model", "sensitive", "base_url", "key_env", "upstream_model", "price", "usd_per_request", "evidence"}


@dataclass(frozen=True)
class Upstream:
    """Where a route's requests go: an OpenAI-compatible endpoint and the variable holding its key."""

    base_url: str
    model: str  # the model name the upstream expects
    key_envs: tuple[str, ...] = ()
    self_hosted: bool = False


@dataclass(frozen=True)
class Route:
    name: str
    model: str  # whichai model id (provider/model)
    sensitive: bool  # may receive personal data
    upstream: Upstream
    price: tuple[float, float, str] | None = None  # USD per million input / output tokens, source
    usd_per_request: tuple[float, str] | None = None  # a self-hosted route's cost per request, source
    evidence: tuple[str, ...] = ()  # why this route: lines from the decision


@dataclass(frozen=True)
class Policy:
    routes: tuple[Route, ...]
    default: str
    fallback: tuple[str, ...] = ()
    sensitive_patterns: tuple[str, ...] = ()
    phone_regions: tuple[str, ...] = ("ID",)
    log_content: bool = False
    timeout_s: float = 120.0
    source: str = ""  # the decision or file it was compiled from
    decision: dict[str, Any] = field(default_factory=dict)  # verdict, profile, run: shown with stats

    def route(self, name: str) -> Route:
        return next(r for r in self.routes if r.name == name)

    def sensitive_routes(self) -> list[Route]:
        return [r for r in self.routes if r.sensitive]

    def public_order(self) -> list[Route]:
        """The routes a request without personal data tries, in order: the default, then the fallbacks."""
        names = [self.default, *[n for n in self.fallback if n != self.default]]
        return [self.route(n) for n in names]

    def explain(self) -> dict[str, Any]:
        """The compiled policy as a document (``whichai gateway --explain``): no key values, ever."""
        return {
            "source": self.source, "decision": self.decision, "default": self.default, "fallback": list(self.fallback),
            "sensitive_routes": [r.name for r in self.sensitive_routes()],
            "sensitive_patterns": list(self.sensitive_patterns), "phone_regions": list(self.phone_regions),
            "log_content": self.log_content,
            "routes": [{"name": r.name, "model": r.model, "sensitive": r.sensitive, "base_url": r.upstream.base_url,
                        "upstream_model": r.upstream.model, "self_hosted": r.upstream.self_hosted,
                        "key_env": list(r.upstream.key_envs), "price": list(r.price) if r.price else None,
                        "usd_per_request": list(r.usd_per_request) if r.usd_per_request else None,
                        "evidence": list(r.evidence)} for r in self.routes],
        }


def check(policy: Policy, where: str) -> Policy:
    """Refuse a policy that cannot be run safely (exit 2, naming the fix)."""
    names = [r.name for r in policy.routes]
    if not names:
        raise FileInputError(where, "the policy has no route.", "name at least one route with its model.")
    if len(set(names)) != len(names):
        raise FileInputError(where, "two routes have the same name.", "give each route its own name.")
    for name in [policy.default, *policy.fallback]:
        if name not in names:
            raise FileInputError(where, f"route {name!r} is not defined.", f"use one of: {', '.join(names)}.")
    for pattern in policy.sensitive_patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise FileInputError(where, f"sensitive pattern {pattern!r} is not a regular expression ({exc}).",
                                 "fix or remove the pattern.") from None
    return policy


@dataclass(frozen=True)
class RouteEntry:
    """A route as a policy file writes it (its upstream is resolved from ``model`` and whichai.toml)."""

    name: str
    model: str
    sensitive: bool = False
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyFile:
    """A policy file's settings (``default`` None: the first route that is not sensitive)."""

    routes: tuple[RouteEntry, ...]
    default: str | None
    fallback: tuple[str, ...]
    sensitive_patterns: tuple[str, ...]
    phone_regions: tuple[str, ...]
    log_content: bool
    timeout_s: float


def read_policy_file(path: Path) -> PolicyFile:
    """The policy file (YAML or TOML), size-capped, with unknown keys refused."""
    from whichai import safeyaml

    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            data = tomllib.loads(safeyaml.read_capped(path, 1_000_000, "policy file").decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise FileInputError(path, f"not valid TOML ({exc}).", "see the policy example in docs/gateway.md.") from None
    else:
        data, _ = safeyaml.load_file(path, "policy file")
    if not isinstance(data, dict):
        raise FileInputError(path, "a policy is a mapping with `routes:`.", "see the policy example in docs/gateway.md.")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise FileInputError(path, f"unknown key {unknown[0]!r}.", f"the keys are: {', '.join(sorted(KEYS))}.")
    for i, route in enumerate(data.get("routes") or []):
        if not isinstance(route, dict) or not route.get("name") or not route.get("model"):
            raise FileInputError(path, f"route {i + 1} needs a `name` and a `model`.", "e.g. {name: private, model: mylocal/smollm2}.")
        bad = sorted(set(route) - ROUTE_KEYS)
        if bad:
            raise FileInputError(path, f"route {route['name']!r}: unknown key {bad[0]!r}.", f"the keys are: {', '.join(sorted(ROUTE_KEYS))}.")
    routes = tuple(RouteEntry(str(r["name"]), str(r["model"]), bool(r.get("sensitive", False)),
                              tuple(str(e) for e in r.get("evidence") or ())) for r in data.get("routes") or [])
    return PolicyFile(routes=routes, default=str(data["default"]) if data.get("default") else None,
                      fallback=tuple(str(n) for n in data.get("fallback") or ()),
                      sensitive_patterns=tuple(data.get("sensitive_patterns") or ()),
                      phone_regions=tuple(data.get("phone_regions") or ("ID",)), log_content=bool(data.get("log_content")),
                      timeout_s=float(data.get("timeout_s") or 120))
