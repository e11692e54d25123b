"""Which lexer a text gets: a fast regex profile by extension, Pygments for the rest."""

from __future__ import annotations

from dataclasses import dataclass, field

from leakguard.fingerprint import pygments_lexer
from leakguard.fingerprint.normalize import TokenStream
from leakguard.fingerprint.profiles import PROFILES, profile_for_path
from leakguard.fingerprint.tokenizer import Tokenizer


def profile_for(path: str) -> str | None:
    """The lexer profile of a file name; ``None`` when it is not a code file we know."""
    return profile_for_path(path) or pygments_lexer.profile_for_path(path)


@dataclass
class Lexers:
    """Tokenizes text with a named profile, keeping one memoizing tokenizer per profile."""

    _tokenizers: dict[str, Tokenizer] = field(default_factory=dict)

    def tokenize(
        self, profile: str, text: str, fenced: bool = True, telling: bool = True
    ) -> TokenStream:
        """``fenced``: the text may hold markdown-fenced blocks (a prompt, not a file);
        ``telling=False`` when only hashes are needed (``Tokenizer.tokenize``)."""
        if profile.startswith(pygments_lexer.PREFIX):
            return pygments_lexer.tokenize(profile, text)
        tokenizer = self._tokenizers.get(profile)
        if tokenizer is None:
            tokenizer = self._tokenizers[profile] = Tokenizer(PROFILES[profile])
        return tokenizer.tokenize(text, fenced, telling)
