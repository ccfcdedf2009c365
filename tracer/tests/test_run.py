"""The tracer in a real interpreter (this one), as `lmms-tui record` starts it."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from .support import SRC


class RunTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.write("app.py", "import json\nimport helper\nimport os\n"
                   "print(sorted(k for k in os.environ if k.startswith('LMMS_TUI_')))\n")
        self.write("helper.py", "import importlib\nimportlib.import_module('colorsys')\n")

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def run_app(self, env: "dict[str, str]", *args: str) -> "subprocess.CompletedProcess[str]":
        full = dict(os.environ, PYTHONPATH=SRC + os.pathsep + self.dir, **env)
        full.pop("PYTHONDONTWRITEBYTECODE", None)
        return subprocess.run([sys.executable, "-X", "importtime"] + list(args), cwd=self.dir,
                              env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, check=True)

    def findings(self, name: str) -> "list[list[str]]":
        with open(os.path.join(self.dir, name), encoding="utf-8") as f:
            return [line.rstrip("\n").split("\t") for line in f]

    def test_edges_sites_and_classes(self) -> None:
        out = os.path.join(self.dir, "found.tsv")
        ack = os.path.join(self.dir, "ack")
        run = self.run_app({"LMMS_TUI_OUT": out, "LMMS_TUI_EDGES": "1", "LMMS_TUI_ACK": ack},
                           "-c", "import app")
        self.assertTrue(os.path.exists(ack))
        # Our variables never reach the program (nor its children).
        self.assertIn("[]", run.stdout)
        found = self.findings("found.tsv")
        edges = {(f[1], f[2], f[3]) for f in found if f[0] == "edge"}
        self.assertIn(("app", "json", "statement"), edges)
        self.assertIn(("helper", "colorsys", "dynamic"), edges)  # import_module: no line
        sites = [f for f in found if f[0] == "edge" and f[1:3] == ["app", "helper"]]
        self.assertEqual(sites[0][4:], ["2", "app.py", "import helper", "", ""])
        classes = {f[1]: f[2] for f in found if f[0] == "module"}
        self.assertEqual(classes["app"], "program")
        self.assertEqual(classes["json"], "stdlib")
        self.assertNotIn("sitecustomize", classes)
        self.assertFalse([n for n in classes if n.startswith("lmms_tui_tracer")])
        ours = ("lmms_tui_tracer", "sitecustomize", "_lmms_tui")
        self.assertFalse([e for e in edges if e[0].startswith(ours)])
        # Our modules print no import-time line of their own.
        self.assertNotIn("lmms_tui_tracer", run.stderr)

    def test_what_import_module_loads_itself_is_untimed(self) -> None:
        os.makedirs(os.path.join(self.dir, "dyn"))
        self.write("dyn/__init__.py", "")
        placing = "import sys, types\nsys.modules[%r] = types.ModuleType(%r)\n"
        self.write("dyn/inner.py", "import fractions\n" + placing % (("dyn_placed",) * 2))
        self.write("placer.py", placing % (("stmt_placed",) * 2))
        self.write("loader.py", "import importlib\nimportlib.import_module('dyn.inner')\n"
                   "importlib.import_module('.inner', 'dyn')\nimport placer\n")
        out = os.path.join(self.dir, "untimed.tsv")
        run = self.run_app({"LMMS_TUI_OUT": out, "LMMS_TUI_EDGES": "1"}, "-c", "import loader")
        found = self.findings("untimed.tsv")
        # The package and the module the call loaded; not what their statements imported.
        # What code placed in sys.modules, too, with the import it ran in.
        self.assertEqual([f[1:] for f in found if f[0] == "untimed"],
                         [["dyn", "loader"], ["dyn.inner", "loader"],
                          ["dyn_placed", "dyn.inner"], ["stmt_placed", "placer"]])
        edges = {(f[1], f[2], f[3], f[4]) for f in found if f[0] == "edge"}
        self.assertTrue({("loader", "dyn", "dynamic", "2"),
                         ("loader", "dyn.inner", "dynamic", "2"),
                         ("loader", "dyn.inner", "dynamic", "3"),
                         ("dyn.inner", "fractions", "statement", "1")} <= edges, edges)
        # CPython's own account: no line for either, one for what their statements import.
        timed = {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines()
                 if line.startswith("import time:") and "|" in line}
        self.assertFalse({"dyn", "dyn.inner", "dyn_placed", "stmt_placed"} & timed)
        self.assertIn("fractions", timed)

    def test_an_import_inside_a_function_is_its_triggers(self) -> None:
        os.makedirs(os.path.join(self.dir, "lazypkg"))
        self.write("lazypkg/__init__.py", "import json\n\n\ndef __getattr__(name):\n"
                   "    import lazypkg.heavy\n    return getattr(lazypkg.heavy, name)\n")
        self.write("lazypkg/heavy.py", "import colorsys\nTHING = 1\n")
        self.write("helpers.py", "def setup():\n    import fractions\n")
        self.write("user.py", "import lazypkg\nimport helpers\nX = lazypkg.THING\n"
                   "helpers.setup()\n")
        out = os.path.join(self.dir, "trigger.tsv")
        self.run_app({"LMMS_TUI_OUT": out, "LMMS_TUI_EDGES": "1"}, "-c",
                     "import lazypkg, user")
        found = [f for f in self.findings("trigger.tsv") if f[0] == "edge"]
        heavy = [f[1:] for f in found if f[2] == "lazypkg.heavy"]
        self.assertEqual(heavy, [["user", "lazypkg.heavy", "attribute", "5",
                                  "lazypkg/__init__.py", "import lazypkg.heavy", "__getattr__",
                                  "lazypkg"]])
        fractions = [f[1:4] + f[7:] for f in found if f[2] == "fractions"]
        self.assertEqual(fractions, [["user", "fractions", "call", "setup", "helpers"]])
        # Module-level code is its own module's trigger.
        self.assertIn(["lazypkg", "json", "statement", "1", "lazypkg/__init__.py",
                       "import json", "", ""], [f[1:] for f in found])

    def test_the_edit_defers_a_module_until_first_use(self) -> None:
        self.write("lazy_app.py", "import colorsys\nimport sys\n"
                   "print('colorsys' in sys.modules)\ncolorsys.rgb_to_hsv(0, 0, 0)\n"
                   "print('colorsys' in sys.modules)\n")
        env = {"LMMS_TUI_OUT": os.path.join(self.dir, "edit.tsv"), "LMMS_TUI_MAIN": "1",
               "LMMS_TUI_DEFER": "colorsys"}
        code = "import _lmms_tui; _lmms_tui.run_main()"
        eager = self.run_app(env, "-c", code, "lazy_app.py")
        self.assertEqual(eager.stdout.split(), ["True", "True"])
        env["LMMS_TUI_APPLY"] = "1"
        lazy = self.run_app(env, "-c", code, "lazy_app.py")
        self.assertEqual(lazy.stdout.split(), ["False", "True"])
        loaded = [f for f in self.findings("edit.tsv") if f[0] == "loaded"]
        self.assertEqual(loaded, [["loaded", "colorsys", "__main__"]])

    def test_the_programs_stderr_has_its_own_pipe_and_the_mark_ends_start_up(self) -> None:
        read, write = os.pipe()
        self.write("noisy.py", "import sys, subprocess\nprint('own', file=sys.stderr)\n"
                   "print('restored', file=sys.__stderr__)\nimport colorsys\n"
                   "subprocess.run([sys.executable, '-c', 'import os; os.fstat(%d)'])\n" % write)
        os.set_inheritable(write, True)
        env = {"LMMS_TUI_MARK": "n0nce", "LMMS_TUI_STDERR_FD": str(write)}
        try:
            run = self.run_app_keeping(env, write, "-c", "import noisy")
        finally:
            os.close(write)
        with os.fdopen(read, encoding="utf-8") as f:
            own = f.read()
        self.assertEqual(own, "own\nrestored\n")
        # A child does not inherit the pipe (fstat fails there); its standard error is fd 2.
        self.assertIn("Bad file descriptor", run.stderr)
        lines = run.stderr.splitlines()
        mark = lines.index("lmms-tui: run n0nce")
        self.assertTrue(lines[0].startswith("import time: self [us]"))
        self.assertTrue(any(l.endswith("| encodings") for l in lines[:mark]))
        self.assertTrue(any(l.endswith(" colorsys") for l in lines[mark:]))
        self.assertNotIn("own", lines)
        self.assertNotIn("restored", lines)

    def run_app_keeping(self, env: "dict[str, str]", fd: int,
                        *args: str) -> "subprocess.CompletedProcess[str]":
        """`run_app`, with descriptor `fd` passed to the interpreter."""
        full = dict(os.environ, PYTHONPATH=SRC + os.pathsep + self.dir, **env)
        return subprocess.run([sys.executable, "-X", "importtime"] + list(args), cwd=self.dir,
                              env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, check=True, pass_fds=(fd,))

    def test_a_shadowed_sitecustomize_still_runs(self) -> None:
        other = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, other)
        with open(os.path.join(other, "sitecustomize.py"), "w") as f:
            f.write("import os\nos.environ['SHADOWED_RAN'] = '1'\n")
        env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + other)
        run = subprocess.run([sys.executable, "-c", "import os; print(os.environ.get("
                              "'SHADOWED_RAN'))"], env=env, stdout=subprocess.PIPE,
                             universal_newlines=True, check=True)
        self.assertEqual(run.stdout.strip(), "1")


if __name__ == "__main__":
    unittest.main()
