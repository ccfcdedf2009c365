"""The patch analysis on small sources: what moves where, and what stays with its reason."""
import unittest

from .support import part

SOURCE = '''"""Doc."""
from __future__ import annotations

import json
import heavy as h
from heavy import a, b
import heavy.sub
from heavy import *


def f():
    """Uses h."""
    return h.x


class C:
    def m(self):
        return a() + b()

    def t(self, x: heavy.sub.T) -> None:
        return None
'''


class PatchTest(unittest.TestCase):
    def edit(self, style: str, source: str) -> "tuple[str, list, list]":
        patch = part("patch")
        refused, edited = [], []  # type: list, list
        out = patch.STYLES[style]("m.py", source, ["heavy"], refused, edited)  # type: ignore
        return out, refused, edited

    def test_function_style_moves_each_form(self) -> None:
        out, refused, edited = self.edit("function", SOURCE)
        self.assertIn('def f():\n    """Uses h."""\n    import heavy as h\n    return h.x', out)
        self.assertIn("def m(self):\n        from heavy import a, b\n        return", out)
        self.assertIn("if TYPE_CHECKING:\n    import heavy.sub\n", out)
        self.assertNotIn("\nimport heavy as h\n", out)
        self.assertEqual([list(r[1:]) for r in refused],
                         [[8, "heavy", "a star import: the names it binds are unknown"]])
        self.assertEqual(sorted(e[1] for e in edited), [5, 6, 7])

    def test_import_time_uses_keep_the_import(self) -> None:
        for source, line in [
            ("import heavy\n\n@heavy.deco\ndef f():\n    pass\n", 3),
            ("import heavy\n\ndef f(x=heavy.X):\n    return x\n", 3),
            ("import heavy\n\nclass C(heavy.Base):\n    pass\n", 3),
            ("import heavy\n\nY = heavy.X\n", 3),
            ("import heavy\n\nf = lambda: heavy.X\n", 3),
        ]:
            out, refused, _ = self.edit("function", source)
            self.assertEqual(out, source)
            self.assertIn("used at import time at line %d" % line, refused[0][3])
        out, refused, _ = self.edit("function", "import heavy\n\ndef f(): return heavy.X\n")
        self.assertIn("one-line def", refused[0][3])
        out, refused, _ = self.edit("function", "import heavy, json\n\ndef f():\n    pass\n")
        self.assertIn("split it first", refused[0][3])

    def test_lazy_styles(self) -> None:
        out, refused, _ = self.edit("lazy", SOURCE)
        self.assertIn("\nlazy import heavy as h\nlazy from heavy import a, b\nlazy import heavy.sub\n",
                      out)
        self.assertIn("\nfrom heavy import *\n", out)
        self.assertIn("star import", refused[0][3])
        out, refused, _ = self.edit("lazy", "def f():\n    import heavy\n")
        self.assertIn("not at module level", refused[0][3])
        out, _, _ = self.edit("lazy-modules", SOURCE)
        self.assertIn("from __future__ import annotations\n\n__lazy_modules__ = ['heavy']\nimport",
                      out)


if __name__ == "__main__":
    unittest.main()
