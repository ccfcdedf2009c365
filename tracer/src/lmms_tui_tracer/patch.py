"""A plan's deferrals written into the program's own files (`lmms-tui export --patch`): run
standalone by the program's interpreter, never in a traced run (its imports are inside its
functions, so loading it costs a traced run nothing).

Reads a JSON request on stdin — {"root", "files", "defer", "style"} — and writes JSON on
stdout: {"diff": unified diff, "edited": [[file, line, module]], "refused": [[file, line,
modules, reason]]}. Styles (design §4, "What an edit may move"):
    function      the module-level import removed; the same statement added at the top of
                  each function or method whose body uses a name it binds. A use that runs at
                  import time (module level, class body, decorator, default, base class,
                  annotation evaluated at runtime, lambda outside a function) keeps it where it
                  is, and says where; a name used only in annotations under `from __future__
                  import annotations` goes under `if TYPE_CHECKING:`.
    lazy          `lazy import X` / `lazy from X import a` on the same line (PEP 810): module
                  level only, never `*` nor `__future__`.
    lazy-modules  `__lazy_modules__ = [...]` after the module's docstring and `__future__`
                  imports (PEP 810's compatibility form; nothing before Python 3.15).
"""
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast
    from typing import Dict, Iterator, List, Optional, Set, Tuple

    Refusal = Tuple[str, int, str, str]


def deferred(name: str, defer: "List[str]") -> "Optional[str]":
    """The outermost deferred module `name` is (or is a submodule of), if any."""
    found = [d for d in defer if name == d or name.startswith(d + ".")]
    return min(found, key=len) if found else None


def bound_names(node: "ast.stmt", defer: "List[str]") -> "Dict[str, str]":
    """The names an import statement binds for deferred modules: name -> module."""
    import ast

    out = {}  # type: Dict[str, str]
    if isinstance(node, ast.Import):
        for alias in node.names:
            module = deferred(alias.name, defer)
            if module:
                out[alias.asname or alias.name.split(".")[0]] = module
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        module = deferred(node.module, defer)
        if module:
            for alias in node.names:
                out[alias.asname or alias.name] = module
    return out


class Uses:
    """Where each name is read: in which functions (innermost `def`), and which reads run at
    import time or only in annotations."""

    def __init__(self, tree: "ast.Module", names: "Set[str]", future_annotations: bool) -> None:
        self.functions = {}  # type: Dict[str, List[ast.AST]]
        self.at_import = {}  # type: Dict[str, int]
        self.in_annotations = set()  # type: Set[str]
        self.rebound = {}  # type: Dict[str, int]
        self.names = names
        self.future = future_annotations
        for node in tree.body:
            self.visit(node, None, False)

    def note(self, name: str, line: int, function: "Optional[ast.AST]", annotation: bool) -> None:
        if annotation and self.future:
            self.in_annotations.add(name)
        elif function is None:
            self.at_import.setdefault(name, line)
        else:
            found = self.functions.setdefault(name, [])
            if function not in found:
                found.append(function)

    def visit(self, node: "ast.AST", function: "Optional[ast.AST]", annotation: bool) -> None:
        """Walks `node`; `function` is the innermost def whose body this runs in (None: import
        time), `annotation` whether this is an annotation."""
        import ast

        stack = [(node, function, annotation)]
        while stack:
            node, function, annotation = stack.pop()
            if isinstance(node, ast.Name) and node.id in self.names:
                if isinstance(node.ctx, ast.Load):
                    self.note(node.id, node.lineno, function, annotation)
                else:
                    self.rebound.setdefault(node.id, node.lineno)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    if name in self.names:
                        self.rebound.setdefault(name, node.lineno)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                stack.extend(self.def_parts(node, function))
                continue
            if isinstance(node, ast.Lambda):
                # A lambda's body runs later, but holds no import statement: a function's
                # import serves it; outside one, it is refused like an import-time use.
                stack.extend((c, function, annotation) for c in ast.iter_child_nodes(node))
                continue
            if isinstance(node, ast.arg) and node.annotation is not None:
                stack.append((node.annotation, function, True))
                continue
            if isinstance(node, ast.AnnAssign):
                stack.append((node.annotation, function, True))
                stack.extend((c, function, annotation) for c in (node.target, node.value) if c)
                continue
            stack.extend((c, function, annotation) for c in ast.iter_child_nodes(node))

    def def_parts(self, node: "ast.AST", outer: "Optional[ast.AST]") -> "Iterator[Tuple]":
        """A def: decorators, defaults and annotations run where it is defined; its body
        runs when it is called."""
        args = node.args  # type: ignore[attr-defined]
        for d in node.decorator_list + args.defaults + [d for d in args.kw_defaults if d]:  # type: ignore[attr-defined]
            yield d, outer, False
        every = args.posonlyargs if hasattr(args, "posonlyargs") else []
        for a in every + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
            if a is not None and a.annotation is not None:
                yield a.annotation, outer, True
        if node.returns is not None:  # type: ignore[attr-defined]
            yield node.returns, outer, True  # type: ignore[attr-defined]
        for statement in node.body:  # type: ignore[attr-defined]
            yield statement, node, False


def modules_of(bound: "Dict[str, str]") -> str:
    """The deferred modules a statement imports, for a refusal."""
    return ", ".join(sorted(set(bound.values())))


def statement_lines(node: "ast.stmt") -> "Tuple[int, int]":
    """First and last line (Python 3.7's ast has no end: one line, which `movable` checks)."""
    return node.lineno, getattr(node, "end_lineno", node.lineno) or node.lineno


def is_docstring(node: "ast.stmt") -> bool:
    import ast

    value = getattr(node, "value", None) if isinstance(node, ast.Expr) else None
    text = getattr(value, "value", getattr(value, "s", None))
    return isinstance(text, str)


def source_of(lines: "List[str]", node: "ast.stmt") -> str:
    first, last = statement_lines(node)
    return "".join(lines[first - 1:last]).strip()


def edit_function(path: str, source: str, defer: "List[str]",
                  refused: "List[Refusal]", edited: "List[Tuple[str, int, str]]") -> str:
    """The file with its movable module-level imports of deferred modules moved into the
    functions that use them."""
    import ast

    tree = ast.parse(source, path)
    lines = source.splitlines(keepends=True)
    future = any(isinstance(n, ast.ImportFrom) and n.module == "__future__"
                 and any(a.name == "annotations" for a in n.names) for n in tree.body)
    imports = [(n, bound_names(n, defer)) for n in tree.body]
    imports = [(n, b) for n, b in imports if b]
    names = {name for _, bound in imports for name in bound}
    uses = Uses(tree, names, future)
    removals = {}  # type: Dict[int, Tuple[int, str]]
    inserts = {}  # type: Dict[int, List[str]]
    guarded = []  # type: List[str]
    for node, bound in imports:
        first, last = statement_lines(node)
        why = movable(node, bound, uses, lines)
        if why:
            refused.append((path, node.lineno, modules_of(bound), why))
            continue
        code = source_of(lines, node)
        functions = [f for name in bound for f in uses.functions.get(name, [])]
        for function in dict.fromkeys(functions):
            at, indent = body_start(function, lines)  # type: ignore[arg-type]
            inserts.setdefault(at, []).append(indent + code + "\n")
        if any(name in uses.in_annotations for name in bound):
            guarded.append(code)
        removals[first] = (last, "")
        for module in sorted(set(bound.values())):
            edited.append((path, node.lineno, module))
    return rewrite(lines, removals, inserts, guarded, tree)


def movable(node: "ast.stmt", bound: "Dict[str, str]", uses: Uses, lines: "List[str]") -> str:
    """Why the statement must stay at module level ("" when it can move)."""
    import ast

    if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
        return "a star import: the names it binds are unknown"
    if isinstance(node, ast.Import) and len(node.names) != len(bound):
        return "it also imports modules the plan keeps: split it first"
    first, last = statement_lines(node)
    text = "".join(lines[first - 1:last])
    if ";" in text or not lines[first - 1].lstrip().startswith(("import", "from")):
        return "it shares its line with other code"
    if not hasattr(node, "end_lineno") and text.rstrip().endswith(("(", "\\", ",")):
        return "it spans lines, which Python 3.7's ast cannot delimit"
    for name in bound:
        for function in uses.functions.get(name, []):
            if function.body[0].lineno == function.lineno:  # type: ignore[attr-defined]
                return "`%s` is used in a one-line def at line %d: no line to import in" % (
                    name, function.lineno)  # type: ignore[attr-defined]
    for name in bound:
        if name in uses.rebound:
            return "`%s` is assigned or declared global at line %d" % (name, uses.rebound[name])
        if name in uses.at_import:
            return "`%s` is used at import time at line %d (module level, a class body, a " \
                   "decorator, a default, a base class, a runtime annotation or a lambda " \
                   "outside a function)" % (name, uses.at_import[name])
    return ""


def body_start(function: "ast.AST", lines: "List[str]") -> "Tuple[int, str]":
    """Where an import goes in a def: before its first statement after the docstring, at
    that statement's indentation. (line, indent)"""
    body = function.body  # type: ignore[attr-defined]
    first = body[1] if len(body) > 1 and is_docstring(body[0]) else body[0]
    line = lines[first.lineno - 1]
    return first.lineno, line[:len(line) - len(line.lstrip())]


def rewrite(lines: "List[str]", removals: "Dict[int, Tuple[int, str]]",
            inserts: "Dict[int, List[str]]", guarded: "List[str]", tree: "ast.Module") -> str:
    out = []  # type: List[str]
    skip_to = 0
    guard_at = after_header(tree) if guarded else -1
    for number, line in enumerate(lines, 1):
        out.extend(inserts.get(number, []))
        if number == guard_at:
            out.append(type_checking_block(tree, guarded))
        if number <= skip_to:
            continue
        if number in removals:
            skip_to = removals[number][0]
            continue
        out.append(line)
    if guard_at == len(lines) + 1:
        out.append(type_checking_block(tree, guarded))
    return "".join(out)


def type_checking_block(tree: "ast.Module", guarded: "List[str]") -> str:
    import ast

    has = any(isinstance(n, ast.ImportFrom) and n.module == "typing"
              and any(a.name == "TYPE_CHECKING" for a in n.names) for n in tree.body)
    head = "" if has else "from typing import TYPE_CHECKING\n"
    return head + "if TYPE_CHECKING:\n" + "".join("    %s\n" % code for code in guarded)


def after_header(tree: "ast.Module") -> int:
    """The line after the module's docstring and `__future__` imports."""
    import ast

    at = 1
    for i, node in enumerate(tree.body):
        is_doc = i == 0 and is_docstring(node)
        is_future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        if not (is_doc or is_future):
            return node.lineno
        at = statement_lines(node)[1] + 1
    return at


def edit_lazy(path: str, source: str, defer: "List[str]",
              refused: "List[Refusal]", edited: "List[Tuple[str, int, str]]") -> str:
    """PEP 810: `lazy` before each module-level import of a deferred module."""
    import ast

    tree = ast.parse(source, path)
    lines = source.splitlines(keepends=True)
    for node in tree.body:
        bound = bound_names(node, defer)
        if not bound:
            continue
        first, _ = statement_lines(node)
        text = lines[first - 1]
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            refused.append((path, first, modules_of(bound), "PEP 810 forbids `lazy` on a star "
                            "import"))
        elif not text.lstrip().startswith(("import ", "from ")) or node.col_offset != 0:
            refused.append((path, first, modules_of(bound), "it shares its line with other code"))
        else:
            lines[first - 1] = "lazy " + text
            for module in sorted(set(bound.values())):
                edited.append((path, first, module))
    for node in ast.walk(tree):
        if node in tree.body or not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        bound = bound_names(node, defer)
        if bound:
            refused.append((path, node.lineno, modules_of(bound), "not at module level (inside a "
                            "function, `try`, `with` or `if`): PEP 810 allows `lazy` only there"))
    return "".join(lines)


def edit_lazy_modules(path: str, source: str, defer: "List[str]",
                      refused: "List[Refusal]", edited: "List[Tuple[str, int, str]]") -> str:
    """PEP 810's `__lazy_modules__` naming the deferred modules this file imports."""
    import ast

    tree = ast.parse(source, path)
    lines = source.splitlines(keepends=True)
    found = sorted({m for n in tree.body for m in bound_names(n, defer).values()})
    if not found:
        return source
    at = after_header(tree)
    line = "__lazy_modules__ = [%s]\n" % ", ".join(repr(m) for m in found)
    lines.insert(at - 1, line)
    for module in found:
        edited.append((path, at, module))
    return "".join(lines)


STYLES = {"function": edit_function, "lazy": edit_lazy, "lazy-modules": edit_lazy_modules}


def diff(path: str, before: str, after: str) -> str:
    """A unified diff `git apply` takes (a/ and b/ paths, the last line's missing newline
    marked)."""
    import difflib

    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(old, new, "a/" + path, "b/" + path):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def main() -> None:
    import io
    import json
    import os
    import tokenize

    asked = json.load(sys.stdin)
    edit = STYLES[asked["style"]]
    refused = []  # type: List[Refusal]
    edited = []  # type: List[Tuple[str, int, str]]
    patches = []
    for path in asked["files"]:
        full = os.path.join(asked["root"], path)
        with open(full, "rb") as f:
            raw = f.read()
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        source = raw.decode(encoding)
        try:
            after = edit(path, source, asked["defer"], refused, edited)
        except SyntaxError as e:
            refused.append((path, e.lineno or 0, "", "does not parse: %s" % e.msg))
            continue
        if after != source:
            patches.append(diff(path, source, after))
    json.dump({"diff": "".join(patches), "edited": edited, "refused": refused}, sys.stdout)


if __name__ == "__main__":
    main()
