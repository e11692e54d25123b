"""How ``@record`` reads a class's fields from its body, and the one ``__init__`` it
gives every record: the rules of ``dataclasses`` (inherited fields first, defaults in
the class, a mutable default refused, no required field after an optional one),
without compiling anything per class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from leakguard.record import MISSING, Field


def _kind(annotation: Any) -> str:
    """"ClassVar", "InitVar", "KW_ONLY" or "" for an annotation (text or object)."""
    if isinstance(annotation, str):
        head = annotation.split("[", 1)[0].strip().rsplit(".", 1)[-1]
        return head if head in ("ClassVar", "InitVar", "KW_ONLY") else ""
    if annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar:
        return "ClassVar"
    return ""


def fields_of(cls: type) -> tuple[Field, ...]:
    """The fields of a ``@record`` class in ``dataclasses`` order; class attributes
    become the defaults (a field with only a factory has none)."""
    found: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited = base.__dict__.get("__record_fields__")
        if inherited is not None:
            found.update((f.name, f) for f in inherited)
        elif isinstance(base.__dict__.get("__dataclass_fields__"), dict):
            raise TypeError(f"@record cannot extend {base.__qualname__}, a plain dataclass")
    # Not inspect.get_annotations: importing inspect is what @record spares.
    annotations = cls.__dict__.get("__annotations__")  # noqa: RUF063
    if annotations is None:  # Python 3.14 makes them when first read
        annotations = cls.__annotations__ if "__annotate__" in cls.__dict__ else {}
    for name, value in cls.__dict__.items():
        if isinstance(value, Field) and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    for name, annotation in annotations.items():
        kind = _kind(annotation)
        if kind == "ClassVar":
            continue
        if kind:
            raise TypeError(f"@record does not support {kind}: {cls.__qualname__}.{name}")
        value = cls.__dict__.get(name, MISSING)
        spec = value if isinstance(value, Field) else Field(value, MISSING, True, True, None,
                                                            True, None)
        if spec.default is not MISSING and type(spec.default).__hash__ is None:
            raise ValueError(f"mutable default {type(spec.default)} for field {name} is not "
                             "allowed: use default_factory")
        spec.name, spec.type = name, annotation
        if isinstance(value, Field):
            if spec.default is MISSING:
                type.__delattr__(cls, name)
            else:
                type.__setattr__(cls, name, spec.default)
        found[name] = spec
    optional = False
    for spec in found.values():
        if not spec.init:
            continue
        if spec.default is not MISSING or spec.default_factory is not MISSING:
            optional = True
        elif optional:
            raise TypeError(f"non-default argument {spec.name!r} follows default argument")
    return tuple(found.values())


def init_for(where: str, fields: tuple[Field, ...], missing: Any) -> Callable[..., None]:
    """One ``__init__`` for a record's fields: positional or by name, defaults filled,
    factories called per instance, errors worded as a generated ``__init__``'s. The
    instance's ``__dict__`` is filled in field order, as a generated one fills it."""
    params = [f for f in fields if f.init]
    names = tuple(f.name for f in params)
    count = len(names)
    specs = tuple((f.name, f.default, f.default_factory) for f in params)
    # Fields outside __init__ with a factory are filled per instance too.
    extra = tuple((f.name, f.default_factory) for f in fields
                  if not f.init and f.default_factory is not missing)
    where = f"{where}.__init__()"

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        given = len(args)
        state = self.__dict__  # as a frozen dataclass's __init__ does, past __setattr__
        if given == count and not kwargs:
            state.update(zip(names, args, strict=False))  # same length; strict costs
        else:
            if given > count:
                raise TypeError(f"{where} takes {count + 1} positional arguments but "
                                f"{given + 1} were given")
            taken, lacking = 0, []
            for index, (name, default, factory) in enumerate(specs):
                value = kwargs.get(name, missing)
                if index < given:
                    if value is not missing:
                        raise TypeError(f"{where} got multiple values for argument {name!r}")
                    value = args[index]
                elif value is not missing:
                    taken += 1
                elif default is not missing:
                    value = default
                elif factory is not missing:
                    value = factory()
                else:
                    lacking.append(repr(name))
                state[name] = value
            if taken != len(kwargs):
                unknown = next(k for k in kwargs if k not in names)
                raise TypeError(f"{where} got an unexpected keyword argument {unknown!r}")
            if lacking:
                raise TypeError(f"{where} missing {len(lacking)} required argument(s): "
                                f"{' and '.join(lacking)}")
        for name, factory in extra:
            state[name] = factory()

    __init__.__qualname__ = where[:-2]
    return __init__
