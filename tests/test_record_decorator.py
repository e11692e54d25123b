"""``@record``: a frozen dataclass that compiles nothing and does not import
``dataclasses``, yet answers every dataclass question the same way.

(tests/test_records.py holds each record equal to a generated frozen dataclass; here,
the rules a class body can break and the dataclass view built on demand.)
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys
from typing import Any, ClassVar

import pytest

from leakguard.record import Record, field, record, replace


@record
class Sample(Record):
    """A record with each kind of field."""

    name: str
    count: int = 0
    tags: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    secret: str = field(default="", repr=False, compare=False)
    cache: list[int] = field(default_factory=list, init=False, compare=False)
    limit: ClassVar[int] = 5


@record
class Derived(Sample):
    extra: int = 1
    count: int = 7  # re-declared: keeps its place, takes the new default


def test_binding_defaults_and_factories() -> None:
    one = Sample("a", 2, ("x",), {"k": 1}, "s")
    assert (one.name, one.count, one.tags, one.meta, one.secret, one.cache) == (
        "a", 2, ("x",), {"k": 1}, "s", [])
    two, three = Sample("b"), Sample("b")
    assert two.meta == {} and two.meta is not three.meta  # a factory per instance
    assert two.cache is not three.cache
    assert Sample(count=3, name="c").count == 3
    assert Sample.limit == 5 and "limit" not in Sample.__match_args__
    assert Sample.__match_args__ == ("name", "count", "tags", "meta", "secret")


@pytest.mark.parametrize(("call", "message"), [
    (lambda: Sample(), "missing 1 required argument(s): 'name'"),  # type: ignore[call-arg]
    (lambda: Sample("a", 1, (), {}, "", 6), "takes 6 positional arguments but 7"),  # type: ignore[call-arg]
    (lambda: Sample("a", name="b"), "multiple values for argument 'name'"),  # type: ignore[misc]
    (lambda: Sample("a", nope=1), "unexpected keyword argument 'nope'"),  # type: ignore[call-arg]
    (lambda: Sample("a", cache=[1]), "unexpected keyword argument 'cache'"),  # type: ignore[call-arg]
])
def test_wrong_calls_raise_as_a_dataclass_would(call: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_frozen_equal_hashable_and_shown_like_a_dataclass() -> None:
    one = Sample("a", tags=("x",), secret="p")
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.other = 1  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del one.name  # type: ignore[misc]
    assert one == Sample("a", tags=("x",), secret="q")  # secret is not compared
    assert repr(one) == "Sample(name='a', count=0, tags=('x',), meta={}, cache=[])"
    with pytest.raises(TypeError, match="unhashable"):
        hash(one)  # meta is a dict, as a generated __hash__ would find
    assert one != Derived("a", tags=("x",))


def test_inherited_fields_come_first_and_keep_their_place() -> None:
    names = [f.name for f in dataclasses.fields(Derived)]
    assert names == ["name", "count", "tags", "meta", "secret", "cache", "extra"]
    assert Derived("a").count == 7 and Derived("a", 1).count == 1


def test_replace_builds_through_init() -> None:
    one = Sample("a", 2, meta={"k": 1})
    two = replace(one, count=3)
    assert (two.name, two.count, two.meta) == ("a", 3, {"k": 1}) and one.count == 2
    assert two.cache is not one.cache  # init=False factories run again, as in dataclasses
    assert dataclasses.replace(one, count=3) == two
    with pytest.raises(ValueError, match="init=False"):
        replace(one, cache=[1])
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        replace(one, nope=1)


def test_the_dataclass_view() -> None:
    one = Sample("a")
    assert dataclasses.is_dataclass(Sample) and dataclasses.is_dataclass(one)
    assert not dataclasses.is_dataclass(Record)
    params = Sample.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen and params.init and not params.eq and not params.repr
    secret = next(f for f in dataclasses.fields(Sample) if f.name == "secret")
    assert (secret.repr, secret.compare, secret.default) == (False, False, "")
    assert dataclasses.asdict(one) == {"name": "a", "count": 0, "tags": (), "meta": {},
                                       "secret": "", "cache": []}
    assert pickle.loads(pickle.dumps(one)) == one and copy.deepcopy(one) == one


@pytest.mark.parametrize(("body", "error", "message"), [
    ("x: list[int] = []", ValueError, "mutable default"),
    ("x: int = 1\n    y: int", TypeError, "non-default argument 'y'"),
    ("x = field(default=1)", TypeError, "no type annotation"),
    ("x: InitVar[int]", TypeError, "does not support InitVar"),
    ("__slots__ = ('x',)\n    x: int", TypeError, "no __slots__"),
    ("x: int\n    def __post_init__(self) -> None: ...", TypeError, "no __post_init__"),
])
def test_bodies_a_dataclass_refuses(body: str, error: type[Exception], message: str) -> None:
    source = f"@record\nclass Bad(Record):\n    {body}\n"
    with pytest.raises(error, match=message):
        exec(source, {"record": record, "Record": Record, "field": field,
                      "__name__": __name__})


def test_needs_the_record_base() -> None:
    with pytest.raises(TypeError, match="Record base"):
        record(type("Plain", (), {"__annotations__": {"x": "int"}}))


def test_records_load_without_dataclasses() -> None:
    code = ("import sys\nfrom leakguard.record import Record, field, record, replace\n"
            "@record\nclass A(Record):\n    x: int\n    y: dict = field(default_factory=dict)\n"
            "a = replace(A(1), x=2)\nassert a == A(2) and repr(a) == 'A(x=2, y={})'\n"
            "print('dataclasses' in sys.modules, 'inspect' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.split() == ["False", "False"]
