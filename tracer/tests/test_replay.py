"""Requests replayed after the program's code, in a real interpreter (this one): what each ran,
the one that raised, a driver's labels, and what a bad event file says."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from .support import SRC, part

APP = """\
import heavy


def handler(event, context):
    if event["kind"] == "heavy":
        return heavy.work(10) + len(context.aws_request_id)
    if event["kind"] == "boom":
        raise KeyError("nope")
    return 1
"""

DRIVER = """\
import app


def requests():
    yield "heavy one", lambda: app.handler({"kind": "heavy"}, app_context())
    yield "cheap", lambda: app.handler({"kind": "cheap"}, None)


def app_context():
    class Context:
        aws_request_id = "x"
    return Context()
"""


class ReplayTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        os.mkdir(os.path.join(self.dir, "heavy"))
        self.write("heavy/__init__.py", "from . import core\n\n\ndef work(n):\n"
                   "    return core.total(n)\n")
        self.write("heavy/core.py", "def total(n):\n    return sum(range(n))\n")
        self.write("app.py", APP)
        self.write("drive.py", DRIVER)
        events = [{"kind": "cheap"}, {"kind": "heavy"}, {"kind": "boom"}, {"kind": "heavy"}]
        self.write("ev.jsonl", "\n".join(json.dumps(e) for e in events) + "\n\n")

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_the_watchings_cost_is_measured(self) -> None:
        out = os.path.join(self.dir, "found.tsv")
        env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + self.dir, LMMS_TUI_OUT=out,
                   LMMS_TUI_HANDLER="app:handler", LMMS_TUI_EVENTS=os.path.join(self.dir, "ev.jsonl"))
        subprocess.run([sys.executable, "-c", "import app"], cwd=self.dir, env=env, check=True)
        with open(out, encoding="utf-8") as f:
            lines = [line.rstrip("\n").split("\t") for line in f if line.startswith("watch-")]
        self.assertEqual(len(lines), 1)
        self.assertTrue(all(int(us) > 0 for us in lines[0][1:]), lines)

    def replay(self, **variables: str) -> "list[list[str]]":
        out = os.path.join(self.dir, "found.tsv")
        env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + self.dir, LMMS_TUI_OUT=out,
                   **{"LMMS_TUI_" + k: v for k, v in variables.items()})
        subprocess.run([sys.executable, "-c", "import app"], cwd=self.dir, env=env, check=True)
        with open(out, encoding="utf-8") as f:
            return [line.rstrip("\n").split("\t") for line in f if line.startswith("request")]

    def test_each_request_names_the_modules_it_ran(self) -> None:
        found = self.replay(HANDLER="app:handler", EVENTS=os.path.join(self.dir, "ev.jsonl"))
        self.assertEqual(found[0], ["requests", "handler app:handler over ev.jsonl"])
        requests = found[1:]
        self.assertEqual([r[1] for r in requests], ["cheap #1", "heavy #2", "boom #3", "heavy #4"])
        self.assertEqual([r[4:] for r in requests],
                         [["app"], ["app", "heavy", "heavy.core"], ["app"],
                          ["app", "heavy", "heavy.core"]])
        self.assertEqual([r[2] for r in requests][:2], ["ok", "ok"])
        self.assertEqual(requests[2][2], "raised KeyError: 'nope' (app.py:8)")
        self.assertTrue(all(int(r[3]) >= 0 for r in requests))

    def test_a_driver_labels_its_requests(self) -> None:
        found = self.replay(DRIVER=os.path.join(self.dir, "drive.py"))
        self.assertEqual(found[0], ["requests", "driver drive.py"])
        self.assertEqual([(r[1], r[4:]) for r in found[1:]],
                         [("heavy one", ["app", "heavy", "heavy.core"]), ("cheap", ["app"])])

    def test_a_whole_process_is_one_request(self) -> None:
        """A CLI invocation: code run while a module loads is the import's; what the program
        runs after is the request's; an uncaught exception is its outcome."""
        self.write("cli.py", "import sys\nimport heavy\nimport json\n"
                   "if sys.argv[1] == 'sum':\n    print(heavy.work(3))\n"
                   "elif sys.argv[1] == 'fail':\n    raise RuntimeError('bad input')\n"
                   "else:\n    print(json.dumps(sys.argv))\n")
        found = {}
        for args in (["sum"], ["echo"], ["fail"]):
            out = os.path.join(self.dir, "found.tsv")
            env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + self.dir, LMMS_TUI_OUT=out,
                       LMMS_TUI_PROCESS=" ".join(args))
            subprocess.run([sys.executable, "cli.py"] + args, cwd=self.dir, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            with open(out, encoding="utf-8") as f:
                lines = [line.rstrip("\n").split("\t") for line in f]
            request = [line for line in lines if line[0] == "request"][0]
            found[request[1]] = (request[2], set(request[4:]))
        self.assertEqual(found["sum"][0], "ok")
        self.assertTrue({"heavy", "heavy.core"} <= found["sum"][1], found["sum"])
        self.assertFalse({"heavy", "heavy.core", "json"} & found["fail"][1], found["fail"])
        self.assertIn("json", found["echo"][1])
        self.assertNotIn("heavy", found["echo"][1])
        self.assertEqual(found["fail"][0], "raised RuntimeError: bad input (cli.py:7)")

    def test_a_bad_event_file_is_said(self) -> None:
        self.write("bad.jsonl", "{not json\n")
        found = self.replay(HANDLER="app:handler", EVENTS=os.path.join(self.dir, "bad.jsonl"))
        self.assertEqual(found[0][0], "request-error")
        self.assertIn("JSONDecodeError", found[0][1])

    def test_one_request_timed_by_its_label(self) -> None:
        replay = part("replay")

        class Found:
            def __init__(self) -> None:
                self.lines = []  # type: list[tuple[object, ...]]

            def add(self, *fields: object) -> None:
                self.lines.append(fields)

        sys.path.insert(0, self.dir)
        self.addCleanup(sys.path.remove, self.dir)
        self.addCleanup(lambda: [sys.modules.pop(m, None) for m in ("app", "heavy", "heavy.core")])
        source = replay.Source("app:handler", os.path.join(self.dir, "ev.jsonl"),  # type: ignore
                               None)
        found = Found()
        replay.time_one(source, "heavy #2", found)  # type: ignore[attr-defined]
        self.assertEqual([f[0] for f in found.lines], ["timed-request"])
        self.assertEqual((found.lines[0][1], found.lines[0][3]), ("heavy #2", "ok"))
        self.assertGreaterEqual(found.lines[0][2], 0)  # type: ignore[operator]
        replay.time_one(source, "boom #3", found)  # type: ignore[attr-defined]
        self.assertEqual(found.lines[1][3], "raised KeyError: 'nope' (app.py:8)")
        replay.time_one(source, "none such", found)  # type: ignore[attr-defined]
        self.assertEqual(found.lines[2][0], "request-error")

    def test_labels_and_parameters(self) -> None:
        replay = part("replay")
        self.assertEqual(replay.event_label({"rawPath": "/report"}, "f:1", 1),  # type: ignore
                         "/report #1")
        self.assertEqual(replay.event_label([1], "f:2", 2), "f:2")  # type: ignore

        def one(event):  # type: ignore[no-untyped-def]
            return event

        def two(event, context):  # type: ignore[no-untyped-def]
            return event

        class Service:
            def handle(self, event, context):  # type: ignore[no-untyped-def]
                return event

        self.assertFalse(replay.takes_context(one))  # type: ignore[attr-defined]
        self.assertTrue(replay.takes_context(two))  # type: ignore[attr-defined]
        self.assertTrue(replay.takes_context(Service().handle))  # type: ignore[attr-defined]


if __name__ == "__main__":
    unittest.main()
