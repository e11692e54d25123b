"""leakguard's frozen records: dataclasses whose methods are written once, here.

Python compiles each generated dataclass method from source text at import (six per
frozen class), and importing ``dataclasses`` itself loads ``inspect`` and ``ast``:
together about a third of a clean scan's or hook's start-up. Records therefore share
``__eq__``, ``__hash__`` and ``__repr__`` from the ``Record`` base, with the meaning
of the generated ones: fields with ``compare`` take part in equality and hashing
(``hash`` overriding), fields with ``repr`` are shown, recursion shows ``...``.

A class declared ``@record`` on the base compiles nothing and does not import
``dataclasses``: ``__init__`` is one shared function binding arguments by the fields,
assignment raises ``FrozenInstanceError``, and the dataclass view (``fields``,
``asdict``, ``is_dataclass``) is built the first time something asks for it. Use
``field`` and ``replace`` from here. A record may also be declared
``@dataclass(frozen=True, eq=False, repr=False)`` on the base (generated ``__init__``).
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:
    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorated: decorated

_T = TypeVar("_T")
MISSING: Any = type("MISSING", (), {"__repr__": lambda self: "MISSING"})()


class Field:
    """A field of a ``@record`` class (what ``dataclasses.field`` says for a dataclass)."""

    __slots__ = ("compare", "default", "default_factory", "hash", "init", "metadata", "name",
                 "repr", "type")

    def __init__(self, default: Any, default_factory: Any, init: bool, repr: bool,
                 hash: bool | None, compare: bool, metadata: Mapping[Any, Any] | None) -> None:
        self.name, self.type = "", ""
        self.default, self.default_factory = default, default_factory
        self.init, self.repr, self.hash, self.compare = init, repr, hash, compare
        self.metadata = metadata


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] = MISSING,
          init: bool = True, repr: bool = True, hash: bool | None = None, compare: bool = True,
          metadata: Mapping[Any, Any] | None = None) -> Any:
    """``dataclasses.field`` for ``@record`` classes."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, hash, compare, metadata)


class _Layout:
    """Which fields a record's equality, hash and repr read, by name."""

    __slots__ = ("compared", "hashed", "shown")

    def __init__(self, fields: Any) -> None:
        self.compared = tuple(f.name for f in fields if f.compare)
        self.hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
        self.shown = tuple(f.name for f in fields if f.repr)


def _layout(cls: type) -> _Layout:
    layout = cls.__dict__.get("__record_layout__")
    if layout is None:  # a dataclass declared on the base: its fields, once
        import dataclasses

        layout = _Layout(dataclasses.fields(cls))
        type.__setattr__(cls, "__record_layout__", layout)
    return layout


class _DataclassView:
    """``__dataclass_fields__`` / ``__dataclass_params__`` of a ``@record`` class, made
    by ``dataclasses`` from the same fields the first time they are read."""

    def __init__(self, attr: str) -> None:
        self.attr = attr

    def __get__(self, obj: object, owner: type) -> Any:
        if "__record_fields__" not in owner.__dict__:
            raise AttributeError(self.attr)
        import dataclasses

        namespace: dict[str, Any] = {"__annotations__": {}, "__module__": owner.__module__,
                                     "__qualname__": owner.__qualname__}
        for f in owner.__dict__["__record_fields__"]:
            namespace["__annotations__"][f.name] = f.type
            namespace[f.name] = dataclasses.field(
                default=dataclasses.MISSING if f.default is MISSING else f.default,
                default_factory=(dataclasses.MISSING if f.default_factory is MISSING
                                 else f.default_factory),
                init=f.init, repr=f.repr, hash=f.hash, compare=f.compare, metadata=f.metadata)
        twin: Any = dataclasses.dataclass(frozen=True, eq=False, repr=False)(
            type(owner.__name__, (), namespace))
        type.__setattr__(owner, "__dataclass_fields__", twin.__dataclass_fields__)
        type.__setattr__(owner, "__dataclass_params__", twin.__dataclass_params__)
        return owner.__dict__[self.attr]


class Record:
    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = _layout(self.__class__).compared
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in _layout(self.__class__).hashed))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in _layout(self.__class__).shown)
        return f"{self.__class__.__qualname__}({shown})"


# Out of sight of type checkers, which know what a dataclass holds.
setattr(Record, "__dataclass_fields__", _DataclassView("__dataclass_fields__"))  # noqa: B010
setattr(Record, "__dataclass_params__", _DataclassView("__dataclass_params__"))  # noqa: B010


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(f"cannot delete field {name!r}")


@dataclass_transform(frozen_default=True, eq_default=True, field_specifiers=(field,))
def record(cls: type[_T]) -> type[_T]:
    """A frozen dataclass on the Record base with no per-class generated code."""
    from leakguard.recordinit import fields_of, init_for

    name = cls.__qualname__
    if not issubclass(cls, Record) or "__slots__" in cls.__dict__ \
            or hasattr(cls, "__post_init__"):
        raise TypeError(f"@record needs the Record base, no __slots__, no __post_init__: {name}")
    fields = fields_of(cls)
    init_names = tuple(f.name for f in fields if f.init)
    given = {
        "__record_fields__": fields,
        "__record_layout__": _Layout(fields),
        "__match_args__": init_names,
        "__init__": init_for(name, fields, MISSING),
        "__setattr__": _frozen_setattr,
        "__delattr__": _frozen_delattr,
    }
    if not cls.__doc__:
        given["__doc__"] = f"{name}({', '.join(init_names)})"
    for attr, value in given.items():
        setattr(cls, attr, value)
    return cls


def replace(obj: _T, /, **changes: Any) -> _T:
    """``dataclasses.replace`` for records (and, through it, for any dataclass)."""
    fields = type(obj).__dict__.get("__record_fields__")
    if fields is None:
        import dataclasses

        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    for f in fields:
        if not f.init:
            if f.name in changes:
                raise ValueError(f"field {f.name} is declared with init=False, it cannot be "
                                 "specified with replace()")
        elif f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)
