"""Provider adapters, an explicit registry: name -> adapter, first match wins."""

from __future__ import annotations

from leakguard.proxy.providers.anthropic import Anthropic
from leakguard.proxy.providers.base import Provider
from leakguard.proxy.providers.gemini import Gemini
from leakguard.proxy.providers.openai_chat import OpenAIChat
from leakguard.proxy.providers.openai_responses import OpenAIResponses

# Order matters only if paths overlap (they do not: each matches its own suffix).
PROVIDERS: dict[str, Provider] = {
    "anthropic": Anthropic(),
    "openai-chat": OpenAIChat(),
    "openai-responses": OpenAIResponses(),
    "gemini": Gemini(),
}


def for_request(method: str, path: str) -> Provider | None:
    """The adapter that understands this request, or None (not an API we know)."""
    for provider in PROVIDERS.values():
        if provider.matches(method, path):
            return provider
    return None
