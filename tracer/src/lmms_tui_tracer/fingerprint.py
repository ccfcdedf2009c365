"""What the timings depend on besides the code: interpreter, platform, package versions."""
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator


def fingerprint() -> "Iterator[str]":
    """`fingerprint` finding lines; each package the program loaded, with its version."""
    import platform

    yield "fingerprint\tpython\t%s %s" % (
        platform.python_implementation(), platform.python_version())
    yield "fingerprint\tplatform\t%s %s" % (sys.platform, platform.machine())
    try:
        from importlib import metadata
    except ImportError:  # 3.7
        return
    tops = {name.partition(".")[0] for name in list(sys.modules)}
    by_top = getattr(metadata, "packages_distributions", None)
    if by_top is not None:
        owners = by_top()
        names = {d for top in tops for d in owners.get(top, ())}
    else:  # 3.8, 3.9: every installed distribution
        names = {d.metadata["Name"] for d in metadata.distributions()}
    for name in sorted(n for n in names if n):
        try:
            yield "fingerprint\tpackage\t%s %s" % (name, metadata.version(name))
        except Exception:
            pass
