"""Provider adapters, an explicit registry: name -> adapter, first match wins."""

from __future__ import annotations

from leakguard.proxy.providers.base import Provider

# Filled by the adapter modules' authors; order matters only if paths overlap.
PROVIDERS: dict[str, Provider] = {}


def for_request(method: str, path: str) -> Provider | None:
    """The adapter that understands this request, or None (not an API we know)."""
    for provider in PROVIDERS.values():
        if provider.matches(method, path):
            return provider
    return None
