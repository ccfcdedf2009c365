import ast
import sys
import unittest

from .support import part

rewrite = part("rewrite")

SOURCE = """\
import json
import a.b
import c as d, e
from f import g as h, i
from f.j import k
from json import *
if True:
    import json
try:
    from f import i
except ImportError:
    import e
def fn():
    import json
class C:
    import json
"""


def text(node: "ast.stmt", indent: str = "") -> "list[str]":
    """The statements the rewrite makes, as text on every version (3.7 has no ast.unparse)."""
    if isinstance(node, ast.Import):
        names = ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in node.names)
        return [indent + "import " + names]
    if isinstance(node, ast.ImportFrom):
        names = ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in node.names)
        return [indent + "from %s import %s" % (node.module, names)]
    if isinstance(node, ast.Assign):
        call = node.value
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        args = ", ".join(repr(getattr(a, "value", getattr(a, "s", None))) for a in call.args)
        target = node.targets[0]
        assert isinstance(target, ast.Name)
        return [indent + "%s = %s(%s)" % (target.id, call.func.attr, args)]
    lines = [indent + type(node).__name__]
    for field in ("body", "orelse", "finalbody"):
        for child in getattr(node, field, None) or ():
            lines.extend(text(child, indent + "    "))
    for handler in getattr(node, "handlers", None) or ():
        for child in handler.body:
            lines.extend(text(child, indent + "    "))
    return lines


def rewritten(defer: "list[str]", apply: bool = True) -> "list[str]":
    tree = rewrite.rewrite(ast.parse(SOURCE), defer, apply)
    return [line for node in tree.body for line in text(node)]


class RewriteTest(unittest.TestCase):
    def test_module_level_imports_of_deferred_modules_become_lazy_bindings(self) -> None:
        self.assertEqual(rewritten(["json", "c", "f", "a.b"]), [
            "json = _lazy_module('json', 'json')",
            "a = _lazy_module('a.b', 'a')",
            "import e",
            "d = _lazy_module('c')",
            "h = _lazy_attr('f', 'g')",
            "i = _lazy_attr('f', 'i')",
            "from f.j import k",  # f.j is not deferred
            "from json import *",  # a star stays
            "If",
            "    json = _lazy_module('json', 'json')",
            "Try",
            "    i = _lazy_attr('f', 'i')",
            "    import e",
            "FunctionDef",  # functions and classes are left as they are
            "    import json",
            "ClassDef",
            "    import json",
        ])

    def test_the_bindings_call_lmms_tui(self) -> None:
        tree = rewrite.rewrite(ast.parse("import json\n"), ["json"], True)
        self.assertIn("Name(id='__import__'", ast.dump(tree))
        self.assertIn("_lmms_tui", ast.dump(tree))

    def test_without_apply_nothing_changes(self) -> None:
        before = ast.dump(ast.parse(SOURCE))
        after = ast.dump(rewrite.rewrite(ast.parse(SOURCE), ["json", "f"], False))
        self.assertEqual(before, after)

    def test_a_submodule_is_deferred_by_its_exact_name(self) -> None:
        tree = rewrite.rewrite(ast.parse("import a.b\nfrom a import b\n"), ["a"], True)
        dump = ast.dump(tree)
        self.assertIn("Import(names=[alias(name='a.b'", dump)  # `import a.b` stays eager
        self.assertIn("'_lazy_attr'", dump)

    def test_compiled_code_runs(self) -> None:
        code = rewrite.compile_source("import json\nx = 1\n", "<t>", ["json"], True)
        space = {}  # type: dict[str, object]
        exec(code, space)
        self.assertEqual(space["x"], 1)


if __name__ == "__main__":
    unittest.main()
