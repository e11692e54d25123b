"""PII through Presidio: the only importer of presidio_analyzer.

cheap prefilter (pii_prefilter) -> small windows -> Presidio pattern recognizers
(and NER when the policy names a spaCy pipeline) -> code-aware look-alike checks and
the policy's allow-lists (pii_validators) -> Finding.

Presidio is imported and its engine built on the first fragment with a candidate, so
a clean scan never pays for it. It runs offline: a blank spaCy English pipeline (no
model download), pattern recognizers restricted to the policy's entities, and the
e-mail validator's public-suffix list taken from tldextract's bundled snapshot.
"""

from __future__ import annotations

import _thread
import re
from pathlib import Path
from typing import Any

from leakguard.detectors.pii_phone import PHONE_RUN, phone_in
from leakguard.detectors.pii_prefilter import (
    CHUNK,
    PATTERN_ENTITIES,
    Prefilter,
    Window,
    batches,
    build_prefilter,
    line_chunks,
    to_original,
)
from leakguard.errors import ConfigError
from leakguard.models import Category, Finding, Fragment, Severity
from leakguard.policy.model import PiiSettings
from leakguard.record import Record, record

NER_ENTITIES = ("PERSON", "LOCATION", "ORGANIZATION", "NRP")
_SEVERE = frozenset({"CREDIT_CARD", "US_SSN", "IBAN_CODE"})
_KIND_ENTITIES = {
    "email": frozenset({"EMAIL_ADDRESS"}),
    "digits": frozenset({"PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"}),
    "ip": frozenset({"IP_ADDRESS"}),
}
_CONTEXT_CHARS = 40


@record
class Hit(Record):
    """One accepted Presidio result, offsets into the fragment's text."""

    entity: str
    start: int
    end: int
    score: float


def rule_id(entity: str) -> str:
    return "pii-" + entity.lower().replace("_", "-")


class PiiDetector:
    """PII findings in a fragment; the Presidio engine is built on first need."""

    name = "pii"

    def __init__(self, settings: PiiSettings, key: bytes | None = None) -> None:
        self.settings = settings
        self._key = key
        self._prefilter: Prefilter = build_prefilter(settings)
        self._allow = tuple(_compile(p, "pii.allow_patterns") for p in settings.allow_patterns)
        self._ner = settings.ner_model is not None
        if settings.ner_model is not None:
            check_ner_model(settings.ner_model)
        self._engine: Any = None
        # The proxy scans in threads: build once. (_thread: threading costs start-up.)
        self._building = _thread.allocate_lock()
        self._entities = analysed_entities(settings)

    # -- windows -----------------------------------------------------------------
    def _windows(self, text: str) -> list[Window]:
        if self._ner:
            return line_chunks(text, CHUNK) if text.strip() else []
        return self._prefilter.windows(text, self._worth_analysing)

    def _worth_analysing(self, kind: str, text: str, start: int, end: int) -> bool:
        """False for candidates the allow-lists settle without Presidio (127.0.0.1,
        noreply@example.com, 4242 4242 4242 4242): common in code, and each would
        otherwise cost the Presidio import."""
        entity = {"email": "EMAIL_ADDRESS", "ip": "IP_ADDRESS", "digits": "CREDIT_CARD"}.get(kind)
        if entity is None:
            return True
        # Here, not at the top: a text without candidates never needs the checks.
        from leakguard.detectors.pii_validators import Context, is_lookalike, is_test_card

        ctx = Context(
            text[start:end],
            text[max(0, start - _CONTEXT_CHARS) : start],
            text[end : end + _CONTEXT_CHARS],
        )
        if entity == "CREDIT_CARD":
            return not is_test_card(ctx)
        return not is_lookalike(entity, ctx, self.settings)

    def hits(self, text: str) -> list[Hit]:
        """Accepted PII spans in ``text``, overlaps resolved (higher score, then longer)."""
        windows = self._windows(text)
        if not windows:
            return []
        if self._engine is None:
            with self._building:
                if self._engine is None:
                    self._engine = build_analyzer(self.settings, self._entities)
        found: list[Hit] = []
        for joined, offsets, kinds in batches(text, windows):
            results = self._engine.analyze(
                joined, language="en", entities=self._entities_for(kinds),
                score_threshold=self.settings.min_score,
            )
            for result in results:
                start = to_original(result.start, offsets)
                if start is None:
                    continue
                end = start + (result.end - result.start)
                hit = Hit(result.entity_type, start, end, float(result.score))
                if self._accept(text, hit):
                    found.append(hit)
        return _resolve(found)

    def _entities_for(self, kinds: frozenset[str]) -> list[str]:
        """Only the recognizers a batch's candidates call for (one for an e-mail...)."""
        if "all" in kinds:
            return list(self._entities)
        wanted: set[str] = set()
        for kind in kinds:
            wanted |= _KIND_ENTITIES.get(kind, frozenset())
        if "term" in kinds:
            wanted |= set(self.settings.deny_lists)
        if "custom" in kinds:
            wanted |= {r.entity for r in self.settings.recognizers}
        return [e for e in self._entities if e in wanted]

    def _accept(self, text: str, hit: Hit) -> bool:
        from leakguard.detectors.pii_validators import Context, allowed_value, is_lookalike

        value = text[hit.start : hit.end]
        if not value.strip() or allowed_value(value, self.settings, self._allow):
            return False
        ctx = Context(
            value=value,
            before=text[max(0, hit.start - _CONTEXT_CHARS) : hit.start],
            after=text[hit.end : hit.end + _CONTEXT_CHARS],
        )
        return not is_lookalike(hit.entity, ctx, self.settings)

    def detect(self, fragment: Fragment) -> list[Finding]:
        text = fragment.text
        hits = self.hits(text)
        if not hits:
            return []
        from leakguard.detectors.finding import span_finding  # with the first hit only
        from leakguard.textpos import LineIndex

        lines = LineIndex(text, fragment.line_start)
        findings = []
        for hit in hits:
            finding = span_finding(
                fragment, lines, hit.start, hit.end, rule_id=rule_id(hit.entity),
                category=Category.PII,
                severity=Severity.HIGH if hit.entity in _SEVERE else Severity.MEDIUM,
                message=f"PII: {hit.entity}", key=self._key, entity=hit.entity,
                confidence=round(hit.score, 3),
            )
            if finding is not None:
                findings.append(finding)
        return findings


def analysed_entities(settings: PiiSettings) -> tuple[str, ...]:
    """Entities asked of Presidio: patterns, deny lists, custom recognizers, NER."""
    names = [e for e in settings.entities if e in PATTERN_ENTITIES]
    names += [e for e in settings.deny_lists if e not in names]
    names += [r.entity for r in settings.recognizers if r.entity not in names]
    if settings.ner_model is not None:
        ner = [e for e in NER_ENTITIES if e in settings.entities] or list(NER_ENTITIES[:3])
        names += [e for e in ner if e not in names]
    return tuple(names)


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: {pattern!r} is not a valid regex: {exc}") from None


def _resolve(hits: list[Hit]) -> list[Hit]:
    ranked = sorted(hits, key=lambda h: (h.score, h.end - h.start, -h.start), reverse=True)
    kept: list[Hit] = []
    for hit in ranked:
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: (h.start, h.end))


# -- the Presidio engine (built once per detector, on first need) ------------------

def build_analyzer(settings: PiiSettings, entities: tuple[str, ...]) -> Any:
    """An AnalyzerEngine with only the recognizers the policy asks for, offline."""
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    nlp = _load_pipeline(settings.ner_model)
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in _pattern_recognizers(entities):
        registry.add_recognizer(recognizer)
    for entity, terms in settings.deny_lists.items():
        if terms:
            registry.add_recognizer(
                PatternRecognizer(supported_entity=entity, deny_list=list(terms),
                                  name=f"deny-{entity}")
            )
    for index, custom in enumerate(settings.recognizers):
        registry.add_recognizer(
            PatternRecognizer(
                supported_entity=custom.entity,
                name=f"policy-{index}-{custom.entity}",
                patterns=[Pattern(f"policy-{custom.entity}", custom.pattern, custom.score)],
                context=list(custom.context),
                global_regex_flags=re.MULTILINE,
            )
        )
    ner = [e for e in entities if e in NER_ENTITIES]
    if ner:
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer

        registry.add_recognizer(SpacyRecognizer(supported_entities=ner))
    # A context word ("phone:", "SSN") lifts a weak match to at least min_score.
    enhancer = LemmaContextAwareEnhancer(
        context_similarity_factor=0.35,
        min_score_with_context_similarity=max(settings.min_score, 0.4),
    )
    return AnalyzerEngine(
        registry=registry, nlp_engine=_nlp_engine(nlp), supported_languages=["en"],
        context_aware_enhancer=enhancer,
    )


def check_ner_model(ner_model: str) -> None:
    """A named model must be a pipeline folder or an installed package; checked
    without importing spaCy, so a policy error shows before any scanning."""
    if Path(ner_model).expanduser().is_dir():
        return
    import importlib.util

    try:
        installed = importlib.util.find_spec(ner_model) is not None
    except (ImportError, ValueError):
        installed = False
    if not installed:
        raise ConfigError(
            f"pii.ner_model {ner_model!r} is not installed: install it with "
            f"`python -m spacy download {ner_model}`, point pii.ner_model at a spaCy "
            "pipeline folder, or remove it to use pattern recognizers only"
        )


def _load_pipeline(ner_model: str | None) -> Any:
    import spacy

    if ner_model is None:
        return spacy.blank("en")
    check_ner_model(ner_model)
    folder = Path(ner_model).expanduser()
    return spacy.load(folder if folder.is_dir() else ner_model)


def _nlp_engine(nlp: Any) -> Any:
    from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

    class GivenSpacyEngine(SpacyNlpEngine):
        """Presidio's spaCy engine over an already loaded pipeline: never downloads."""

        def __init__(self) -> None:
            super().__init__(
                models=[{"lang_code": "en", "model_name": nlp.meta.get("name", "blank")}],
                ner_model_configuration=NerModelConfiguration(low_score_entity_names=[]),
            )

        def load(self) -> None:
            self.nlp = {"en": nlp}  # type: ignore[assignment]

        def _doc_to_nlp_artifact(self, doc: Any, language: str) -> Any:
            # One pass over the tokens. A blank pipeline has no lemmatizer, so Presidio's
            # context words ("phone", "ssn") would never match: lower-cased tokens stand
            # in for missing lemmas, and keywords come from spaCy's own token flags.
            lemmas: list[str] = []
            indices: list[int] = []
            keywords: list[str] = []
            for token in doc:
                lemma = token.lemma_ or token.lower_
                lemmas.append(lemma)
                indices.append(token.idx)
                if not (token.is_stop or token.is_punct) and lemma not in ("-PRON-", "be"):
                    keywords.extend(lemma.lower().split(":"))
            entities, scores = self._get_updated_entities(
                self._get_entities(doc), self._get_scores_for_entities(doc)
            )
            artifacts = NlpArtifacts(
                entities=entities, tokens=doc, tokens_indices=indices, lemmas=lemmas,
                nlp_engine=None, language=language, scores=scores,
            )
            artifacts.nlp_engine = self
            artifacts.keywords = keywords
            return artifacts

    engine = GivenSpacyEngine()
    engine.load()
    return engine


# Presidio's weak card shape, by network prefix: Visa 4, Mastercard 51-55 and 2221-2720,
# Mir 2200-2204, Amex, Diners and JCB 3, Discover, UnionPay and Maestro 6. The Luhn
# check follows (Presidio's validate_result).
_CARD_PATTERN = (
    r"\b(4\d{3}|5[0-5]\d{2}|2[2-7]\d{2}|6\d{3}|3\d{3})"
    r"[- ]?(\d{3,4})[- ]?(\d{3,4})[- ]?(\d{3,5})\b"
)


def _pattern_recognizers(entities: tuple[str, ...]) -> list[Any]:
    import tldextract
    from presidio_analyzer import RecognizerResult
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        PhoneRecognizer,
        UsSsnRecognizer,
    )

    # The bundled public-suffix snapshot only: no download, no cache writes.
    suffixes = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    class CardRecognizer(CreditCardRecognizer):
        """Presidio's card recognizer with the networks as they are now: Mastercard's
        2-series (2221-2720, issued since 2017) and Mir (2200-2204) added, UATP's 1
        left out (an airline scheme; long numbers starting with 1 are data)."""

        def __init__(self) -> None:
            from presidio_analyzer import Pattern

            super().__init__(patterns=[Pattern("All Credit Cards (weak)", _CARD_PATTERN, 0.3)])

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return bool(suffixes(pattern_text.rpartition("@")[2]).suffix)

    class PhoneRunRecognizer(PhoneRecognizer):
        """Presidio's phone recognizer, run on digit runs instead of the whole text.

        python-phonenumbers' matcher over a whole window for eight regions dominated
        the cost; on a short run it is cheap. Separated numbers score 0.5, bare digit
        runs 0.4 (reported only with a context word such as "phone" or "call").
        """

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            results: list[Any] = []
            for run in PHONE_RUN.finditer(text):
                span = phone_in(run.group(), self.supported_regions)
                if span is None:
                    continue
                start, end = run.start() + span[0], run.start() + span[1]
                bare = text[start:end].isdigit()
                results.append(
                    RecognizerResult(
                        self.supported_entities[0], start, end, 0.4 if bare else 0.5,
                        analysis_explanation=self._get_analysis_explanation(  # type: ignore[no-untyped-call]
                            "run"
                        ),
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: getattr(self, "name", ""),
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
            return results

    available = {
        "EMAIL_ADDRESS": OfflineEmailRecognizer,
        "PHONE_NUMBER": PhoneRunRecognizer,
        "CREDIT_CARD": CardRecognizer,
        "IBAN_CODE": IbanRecognizer,
        "US_SSN": UsSsnRecognizer,
        "IP_ADDRESS": IpRecognizer,
    }
    return [available[e]() for e in entities if e in available]
