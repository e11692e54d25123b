"""Which API a request is for, where it goes, and which policy destination that is.

Clients are pointed at ``http://127.0.0.1:PORT/<family>`` (``/anthropic``, ``/openai``,
``/gemini``), so the family is known even for paths no adapter understands; requests
without a prefix are recognised by their API path. The upstream for a family is the
policy's ``proxy.upstreams``, else that family's destination ``upstream``, else the
official endpoint; the destination is the one whose upstream has the same host and
port (``unknown`` when none does).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from leakguard.policy.model import OFFICIAL_UPSTREAMS, UNKNOWN_DESTINATION, Policy
from leakguard.proxy.providers import for_request

FAMILIES = tuple(OFFICIAL_UPSTREAMS)
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Route:
    family: str  # anthropic | openai | gemini
    upstream: str  # base URL requests are forwarded to, no trailing slash
    path: str  # the API path, after the family prefix (e.g. /v1/messages)
    destination: str  # the policy destination the upstream belongs to


def upstream_for(policy: Policy, family: str) -> str:
    configured = policy.proxy.upstreams.get(family)
    if configured is None:
        dest = policy.destinations.get(family)
        configured = dest.upstream if dest is not None and dest.upstream else None
    return (configured or OFFICIAL_UPSTREAMS[family]).rstrip("/")


def host_key(url: str) -> tuple[str, int | None]:
    """(host, port) with the scheme's default port filled in."""
    parts = urlsplit(url)
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    return (parts.hostname or "").lower(), port


def destination_for_upstream(policy: Policy, family: str, upstream: str) -> str:
    key = host_key(upstream)
    named = policy.destinations.get(family)
    if named is not None and named.upstream and host_key(named.upstream) == key:
        return family
    for name, dest in policy.destinations.items():
        if dest.upstream and host_key(dest.upstream) == key:
            return name
    return UNKNOWN_DESTINATION


def split_family(path: str) -> tuple[str | None, str]:
    """('anthropic', '/v1/messages') for '/anthropic/v1/messages'; (None, path) without."""
    head, _, rest = path.lstrip("/").partition("/")
    if head in FAMILIES:
        return head, "/" + rest
    return None, path


def route(policy: Policy, method: str, path: str) -> Route | None:
    """The route for a request path, or None when the family cannot be told."""
    family, api_path = split_family(path)
    if family is None:
        provider = for_request(method, api_path)
        if provider is None:
            return None
        family = provider.name
    upstream = upstream_for(policy, family)
    return Route(family, upstream, api_path, destination_for_upstream(policy, family, upstream))
