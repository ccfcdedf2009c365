"""Stand-ins for a module, or a name from one, that import it on first use: what the measured
edit binds where the program had a module-level import of a deferred module."""
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable


class Lazy:
    """Stands for a module (or a name from one) until first used, then imports it."""

    __slots__ = ("_lmms_load", "_lmms_value")

    def __init__(self, load: "Callable[[], Any]") -> None:
        object.__setattr__(self, "_lmms_load", load)
        object.__setattr__(self, "_lmms_value", Lazy)

    def _lmms_get(self) -> "Any":
        value = object.__getattribute__(self, "_lmms_value")
        if value is Lazy:
            value = object.__getattribute__(self, "_lmms_load")()
            object.__setattr__(self, "_lmms_value", value)
        return value

    def __getattr__(self, name: str) -> "Any":
        return getattr(self._lmms_get(), name)

    def __setattr__(self, name: str, value: object) -> None:
        setattr(self._lmms_get(), name, value)

    def __call__(self, *args: "Any", **kwargs: "Any") -> "Any":
        return self._lmms_get()(*args, **kwargs)

    def __getitem__(self, key: object) -> "Any":
        return self._lmms_get()[key]

    def __iter__(self) -> "Any":
        return iter(self._lmms_get())

    def __len__(self) -> int:
        return len(self._lmms_get())

    def __bool__(self) -> bool:
        return bool(self._lmms_get())

    def __dir__(self) -> "list[str]":
        return dir(self._lmms_get())

    def __repr__(self) -> str:
        return repr(self._lmms_get())

    def __instancecheck__(self, obj: object) -> bool:
        return isinstance(obj, self._lmms_get())

    def __subclasscheck__(self, cls: type) -> bool:
        return issubclass(cls, self._lmms_get())

    def __mro_entries__(self, bases: "tuple[type, ...]") -> "tuple[type, ...]":
        return (self._lmms_get(),)


def _forward(name: str) -> "Callable[..., Any]":
    def method(self: Lazy, *args: "Any") -> "Any":
        return getattr(self._lmms_get(), name)(*args)

    method.__name__ = name
    return method


# Operators look their method up on the type, never through __getattr__: forward each.
for _op in (
    "add radd sub rsub mul rmul truediv rtruediv floordiv rfloordiv mod rmod pow rpow "
    "matmul rmatmul and rand or ror xor rxor lshift rlshift rshift rrshift neg pos abs "
    "invert eq ne lt le gt ge hash contains str int float index complex round enter exit "
    "setitem delitem reversed format bytes fspath await aiter anext aenter aexit"
).split():
    setattr(Lazy, "__%s__" % _op, _forward("__%s__" % _op))
del _op


def lazy_module(name: str, returns: "str | None" = None) -> Lazy:
    """`import name` made lazy; binds `returns` (the top package for `import a.b`)."""

    def load() -> "Any":
        import importlib

        module = importlib.import_module(name)
        return sys.modules[returns] if returns else module

    return Lazy(load)


def lazy_attr(module: str, attr: str) -> Lazy:
    """`from module import attr` made lazy."""

    def load() -> "Any":
        import importlib

        return getattr(importlib.import_module(module), attr)

    return Lazy(load)
