"""The measured edit: a module's top-level imports of deferred modules (in `if`/`try`/`with`
blocks too, never in functions or classes) become bindings that import on first use — the edit
a developer would make. Names are exact, as the projection's edges: the recorder passes a
package together with the submodules the program imports of it (`--lazy a` covers `import
a.b`, which would load `a`: a submodule loads its package)."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast
    from types import CodeType
    from typing import Collection


def rewrite(tree: "ast.Module", defer: "Collection[str]", apply: bool) -> "ast.Module":
    """Rewrites the module-level imports of deferred modules (in `if`/`try`/`with` blocks too,
    never in functions or classes). With apply=False the same walk changes nothing."""
    import ast

    # Exact names, as the projection's edges; the recorder lists `a.b` beside `a` when the
    # program imports it.
    def deferred(name: str) -> bool:
        return name in defer

    def call(function: str, *args: str) -> "ast.Call":
        return ast.Call(
            func=ast.Attribute(
                value=ast.Call(func=ast.Name(id="__import__", ctx=ast.Load()),
                               args=[ast.Constant(value="_lmms_tui")], keywords=[]),
                attr=function, ctx=ast.Load()),
            args=[ast.Constant(value=a) for a in args], keywords=[])

    def assign(target: str, value: "ast.expr") -> "ast.Assign":
        return ast.Assign(targets=[ast.Name(id=target, ctx=ast.Store())], value=value)

    def statement(node: "ast.stmt") -> "list[ast.stmt]":
        if isinstance(node, ast.Import):
            kept, lazy = [], []
            for alias in node.names:
                if not deferred(alias.name):
                    kept.append(alias)
                elif alias.asname:
                    lazy.append(assign(alias.asname, call("_lazy_module", alias.name)))
                else:
                    top = alias.name.partition(".")[0]
                    lazy.append(assign(top, call("_lazy_module", alias.name, top)))
            if not lazy or not apply:
                return [node]
            return ([ast.Import(names=kept)] if kept else []) + lazy
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            kept, lazy = [], []
            for alias in node.names:
                full = node.module + "." + alias.name
                bound = alias.asname or alias.name
                if alias.name != "*" and deferred(full) and not deferred(node.module):
                    lazy.append(assign(bound, call("_lazy_module", full)))
                elif alias.name != "*" and deferred(node.module):
                    lazy.append(assign(bound, call("_lazy_attr", node.module, alias.name)))
                else:
                    kept.append(alias)
            if not lazy or not apply:
                return [node]
            return ([ast.ImportFrom(module=node.module, names=kept, level=0)] if kept else []) + lazy
        for field in ("body", "orelse", "finalbody"):
            if isinstance(node, (ast.If, ast.Try, ast.With)) and hasattr(node, field):
                body = getattr(node, field)
                # A block left empty by the rewrite needs a `pass`; an empty `else` stays empty.
                setattr(node, field, block(body) or ([ast.Pass()] if body else []))
        for handler in getattr(node, "handlers", None) or ():
            handler.body = block(handler.body) or [ast.Pass()]
        return [node]

    def block(body: "list[ast.stmt]") -> "list[ast.stmt]":
        out = []
        for node in body:
            out.extend(statement(node))
        return out

    tree.body = block(tree.body)
    ast.fix_missing_locations(tree)
    return tree


def compile_source(source: "str | bytes", filename: str, defer: "Collection[str]",
                   apply: bool) -> "CodeType":
    """The module's code, its imports of deferred modules rewritten when `apply`."""
    import ast

    tree = rewrite(ast.parse(source, filename), defer, apply)
    return compile(tree, filename, "exec", dont_inherit=True)
