"""Code-aware precision: PII look-alikes that source code is full of.

Presidio sees a phone in a version number or a timestamp, an address in
``noreply@example.com``, a card in the test numbers of payment SDK docs. Each check
here gets the value, the text around it and the policy's allow-lists, and says
whether the value is a look-alike. Lists a policy can change live in PiiSettings.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from leakguard.detectors.valueshape import is_uuid
from leakguard.lazyre import lazy_compile
from leakguard.policy.model import PiiSettings

if TYPE_CHECKING:
    import ipaddress

    IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Test card numbers published in payment providers' docs (Stripe, Adyen, Braintree,
# PayPal): they pass Luhn but are nobody's card.
TEST_CARDS = frozenset(
    {
        "4242424242424242", "4000056655665556", "4111111111111111", "4012888888881881",
        "4222222222222", "4000000000000002", "4000000000009995", "4000000000000077",
        "4000002500003155", "5555555555554444", "5200828282828210", "5105105105105100",
        "2223003122003222", "378282246310005", "371449635398431", "378734493671000",
        "6011111111111117", "6011000990139424", "3056930009020004", "36227206271667",
        "30569309025904", "38520000023237", "3566002020360505", "3530111333300000",
        "6200000000000005", "4917610000000000", "5425233430109903", "2222400070000005",
    }
)
# Local parts of addresses that are machines or placeholders, not people.
ROLE_LOCAL_PARTS = frozenset(
    {
        "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply",
        "mailer-daemon", "postmaster", "git", "nobody", "root", "user", "username",
        "your.name", "yourname", "your-email", "youremail", "email", "name",
    }
)
# A version specifier's operator ("pkg==1.2.3.4", ">=", "~=", "@"), not an assignment's
# single "=": "IP=172.16.254.1" and "host=10.0.0.1" hold addresses.
_VERSION_BEFORE = lazy_compile(r"(?:\bv|version\W{0,5}|(?:[<>~^@!]=?|==)\s*)$", re.IGNORECASE)
_DATE = lazy_compile(r"(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])")
_DATE_DMY = lazy_compile(r"(?:0?[1-9]|[12]\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)\d\d")
_TIME = lazy_compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_HEX_NEIGHBOUR = lazy_compile(r"[0-9A-Fa-f]")
_MINUS_BEFORE = lazy_compile(r"(?:^|[^\w-])-$")  # a minus sign, not a group separator
_TIME_BEFORE = lazy_compile(r"\d:$")
_FRACTION_BEFORE = lazy_compile(r"\d[.,]$")
_FRACTION_AFTER = lazy_compile(r"[.,]\d")
_RESOLVERS = frozenset(
    {"1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4", "9.9.9.9", "4.2.2.1", "4.2.2.2"}
)
# "@jls 8.4.3", "@jvms 4.7.16.1": Javadoc's tags for sections of the Java specifications.
_SECTION_WORDS = ("section", "chapter", "clause", "§", "rfc", "step", "figure", "table",
                  "@jls", "@jvms")
_TEST_WORDS = (
    "test", "sandbox", "example", "sample", "dummy", "fake", "demo", "mock", "fixture",
    "stripe", "braintree", "adyen", "paypal",
)


@dataclass(frozen=True)
class Context:
    """A candidate value and the text around it (same line, a few dozen characters)."""

    value: str
    before: str
    after: str


Check = Callable[[Context, PiiSettings], bool]


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def _inside_token(ctx: Context) -> bool:
    """Part of a longer hex/alphanumeric token: a git SHA, a UUID, a hash, an id."""
    left = ctx.before[-1:] if ctx.before else ""
    right = ctx.after[:1]
    if left.isalnum() or right.isalnum() or left == "_" or right == "_":
        return True
    # A UUID group: digits joined by '-' to hex groups on either side.
    if left == "-" and _HEX_NEIGHBOUR.match(ctx.before[-2:-1] or " "):
        return True
    return right == "-" and bool(_HEX_NEIGHBOUR.match(ctx.after[1:2] or " "))


def _dated(ctx: Context) -> bool:
    return bool(_DATE.search(ctx.value) or _DATE_DMY.search(ctx.value) or _TIME.search(ctx.value))


def _versioned(ctx: Context) -> bool:
    if _VERSION_BEFORE.search(ctx.before[-12:]):
        return True
    # A dotted value continuing with more dotted numbers (an OID, a long version).
    return ctx.after[:1] == "." and ctx.after[1:2].isdigit()


def _part_code(ctx: Context) -> bool:
    """Joined by '-' to letters: a part number or SKU (400-123-4567-X)."""
    return (ctx.after[:1] == "-" and ctx.after[1:2].isalpha()) or (
        ctx.before[-1:] == "-" and ctx.before[-2:-1].isalpha()
    )


def phone_lookalike(ctx: Context, settings: PiiSettings) -> bool:
    return (_inside_token(ctx) or _dated(ctx) or _versioned(ctx) or _part_code(ctx)
            or _continues_number(ctx) or _word_before(ctx) in _SECTION_WORDS or _negative(ctx)
            or (_bare(ctx.value) and (_made_up_digits(_digits(ctx.value))
                                      or _word_before(ctx) in _REFERENCE_WORDS)))


def _bare(value: str) -> bool:
    """Digits alone, no '+' and no groups: '4155552671', '(3600000'."""
    return value.lstrip("(").isdigit()


# Words that put an id, not a phone, right before a bare number: "bug 4530953",
# "(CR 6537912)", "see 6348946", "issue #1234567".
_REFERENCE_WORDS = frozenset(
    {"bug", "bugs", "cr", "see", "issue", "issues", "ticket", "id", "pr", "jdk", "rdar",
     "defect", "case", "changeset", "revision", "rev", "commit", "build", "no", "nos"}
)


def _word_before(ctx: Context) -> str:
    """The word right before the value, lower case, its punctuation gone: 'clause' in
    'Clause 252.227-7013', 'cr' in '(CR 6537912)', 'see' in 'See 6348946'. A section
    or id word a few words earlier does not count: 'Step 2: call 212-555-0199'."""
    words = ctx.before[-16:].lower().rstrip(" .:(#-").split()
    return words[-1].lstrip("(").rstrip(".") if words else ""


def _made_up_digits(digits: str) -> bool:
    """A bare number nobody is called on: round (3600000, 1234000000), one digit
    repeated (999999999), or counting up or down (1234567890, 987654321)."""
    if digits.endswith("0000") or len(set(digits)) == 1:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {9})


def _negative(ctx: Context) -> bool:
    """'min(-2147483648,': a minus sign (not a separator between digit groups) before
    an unseparated number."""
    return ctx.value.isdigit() and _MINUS_BEFORE.search(ctx.before) is not None


def _continues_number(ctx: Context) -> bool:
    """Right after a dot ('[.3309.0020.0002]', a collation weight) or after 'digit:'
    (the seconds of 04:05:06.111111-04:00): the rest of a number, not a phone. A 'tel:'
    prefix is letters, so it stays."""
    return ctx.before[-1:] == "." or _TIME_BEFORE.search(ctx.before) is not None


def ssn_lookalike(ctx: Context, settings: PiiSettings) -> bool:
    return _inside_token(ctx) or _dated(ctx)


def card_lookalike(ctx: Context, settings: PiiSettings) -> bool:
    return (_inside_token(ctx) or is_test_card(ctx) or _in_table(ctx) or _in_number(ctx)
            or _not_a_card_network(ctx) or ctx.before[-1:] in ("/", "#"))  # a path id, #hex


def _not_a_card_network(ctx: Context) -> bool:
    """Payment cards start with 2-6 (Mastercard, Mir; Amex, JCB, Diners; Visa; Mastercard,
    Maestro; Discover, UnionPay). 1, 7, 8, 9 and 0 are airlines, petroleum, health and
    national schemes (ISO/IEC 7812), or just a long number that passes the Luhn check."""
    digits = _digits(ctx.value)
    return not digits or digits[0] not in "23456"


def _in_number(ctx: Context) -> bool:
    """Digits of a longer decimal number: 3.1415926535897931 holds sixteen after its point."""
    return bool(_FRACTION_BEFORE.search(ctx.before) or _FRACTION_AFTER.match(ctx.after))


_GROUP_AFTER = lazy_compile(r"[ \t-][0-9A-Fa-f]{4,6}(?![0-9A-Za-z])")
_GROUP_BEFORE = lazy_compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{4,6}[ \t-]$")


def _in_table(ctx: Context) -> bool:
    """One more group of four to six hex digits on either side: a row of code points or
    a hex dump ("5596 5597 5598 5599 559A", "5417 20BBF"), not a card written alone."""
    return bool(_GROUP_AFTER.match(ctx.after) or _GROUP_BEFORE.search(ctx.before))


def is_test_card(ctx: Context) -> bool:
    """A documented test number where docs or code use it: in quotes or an assignment,
    or near words like "test" or "sandbox". In plain prose it still counts as a card."""
    if _digits(ctx.value) not in TEST_CARDS:
        return False
    if ctx.before.rstrip()[-1:] in ("'", '"', "`", "="):
        return True
    around = (ctx.before + " " + ctx.after).lower()
    return any(word in around for word in _TEST_WORDS)


def _numbered_section(ctx: Context) -> bool:
    """A section word shortly before ('section 8.1.2.2', '@jvms 4.7.16.1'): dotted
    numbers near one are section numbers. Phones ask for the word right before the
    value (``_word_before``): a phone number often follows such a word a few words on."""
    before = ctx.before[-24:].lower()
    return any(word in before for word in _SECTION_WORDS)


def _small_dotted(value: str) -> bool:
    """'2.7.2.2', '7.1.4.34': a version or section number more than an address
    (the well-known resolvers such as 8.8.8.8 and 1.1.1.1 stay addresses)."""
    parts = value.split(".")
    if len(parts) != 4 or not all(p.isdecimal() for p in parts):
        return False
    if value in _RESOLVERS:
        return False
    return all(int(p) < 10 for p in parts[:3])


# X.509 certificate extensions (id-ce, 2.5.29.x: "2.5.29.14" is the subject key id).
_OID_ARCS = ("2.5.29.",)


def _byte_dump(value: str) -> bool:
    """'cb:2d:80:99:5a:69:52:5f': bytes of a certificate serial or fingerprint, valid IPv6
    syntax, but no one writes an address with two hex digits in every group."""
    groups = value.split(":")
    return len(groups) == 8 and all(len(g) == 2 for g in groups)


def ip_lookalike(ctx: Context, settings: PiiSettings) -> bool:
    if _versioned(ctx) or ctx.before[-1:] in (".", "[") or ctx.after[:1] in (".", "-"):
        return True
    if _numbered_section(ctx) or ctx.value.lower().startswith(("255.", "ffff:ffff:")):
        return True  # spec sections, netmasks
    if _small_dotted(ctx.value) or ctx.value.startswith(_OID_ARCS) or _byte_dump(ctx.value):
        return True
    if ":" in ctx.value and len([g for g in ctx.value.split(":") if g]) < 3:
        return True  # '::5' in a slice, 'a::b': too short to be anyone's address
    import ipaddress  # only when an address-shaped value is found

    try:
        address = ipaddress.ip_address(ctx.value.strip("[]"))
    except ValueError:
        return True  # Presidio's looser shapes ("1.2.3.999"): not an address
    return any(address in network for network in networks(settings.allow_networks))


@functools.lru_cache(maxsize=8)
def networks(cidrs: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    """Parsed once per allow-list (a pure memo of the policy's value)."""
    import ipaddress

    parsed: list[IpNetwork] = []
    for cidr in cidrs:
        try:
            parsed.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError:
            continue  # a bad entry must not crash a scan; it simply allows nothing
    return tuple(parsed)


def email_lookalike(ctx: Context, settings: PiiSettings) -> bool:
    local, _, domain = ctx.value.rpartition("@")
    domain = domain.lower().rstrip(".")
    for allowed in settings.allow_domains:
        allowed = allowed.lower().lstrip("*.")
        if domain == allowed or domain.endswith("." + allowed):
            return True
    lowered = local.lower()
    return (lowered in ROLE_LOCAL_PARTS or lowered.startswith(("noreply", "no-reply"))
            or is_uuid(lowered) or _HEX_ID.fullmatch(lowered) is not None)


# A Message-ID or a generated address: a UUID or sixteen or more hex digits before the
# '@' (<f30c0419-f549-4218-848f-d7d0131da931@host>). Not digits alone: QQ addresses and
# SMS gateways (12345678@qq.com, 15551234567@txt.att.net) are people's.
_HEX_ID = lazy_compile(r"(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,}")


CHECKS: dict[str, Check] = {
    "PHONE_NUMBER": phone_lookalike,
    "US_SSN": ssn_lookalike,
    "CREDIT_CARD": card_lookalike,
    "IP_ADDRESS": ip_lookalike,
    "EMAIL_ADDRESS": email_lookalike,
    "IBAN_CODE": lambda ctx, settings: _inside_token(ctx),
}


def allowed_value(value: str, settings: PiiSettings, patterns: tuple[re.Pattern[str], ...]) -> bool:
    """The policy's exact values and whole-value patterns."""
    return value in settings.allow or any(p.fullmatch(value) for p in patterns)


def is_lookalike(entity: str, ctx: Context, settings: PiiSettings) -> bool:
    check = CHECKS.get(entity)
    return check is not None and check(ctx, settings)
