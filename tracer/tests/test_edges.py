import os
import sys
import types
import unittest

from .support import part

edges = part("edges")
frames = part("frames")


class ResolveTest(unittest.TestCase):
    def test_absolute_and_relative_names(self) -> None:
        package = {"__name__": "pkg.sub", "__package__": "pkg.sub", "__path__": []}
        module = {"__name__": "pkg.sub.mod", "__package__": "pkg.sub"}
        self.assertEqual(edges.resolve("json", module, 0), "json")
        self.assertEqual(edges.resolve("x", module, 1), "pkg.sub.x")
        self.assertEqual(edges.resolve("", module, 1), "pkg.sub")
        self.assertEqual(edges.resolve("y", module, 2), "pkg.y")
        self.assertEqual(edges.resolve("x", package, 1), "pkg.sub.x")

    def test_without_package_the_name_gives_it(self) -> None:
        self.assertEqual(edges.resolve("x", {"__name__": "pkg.mod"}, 1), "pkg.x")
        self.assertEqual(edges.resolve("x", {"__name__": "pkg", "__path__": []}, 1), "pkg.x")
        self.assertEqual(edges.resolve("x", {"__name__": "top"}, 1), "x")


class RecorderTest(unittest.TestCase):
    def test_machinery_is_nobody_and_from_lists_add_loaded_submodules(self) -> None:
        r = edges.Recorder(0)
        nowhere = (None, 0, "", "")
        r.add("importlib._bootstrap", "json", (), "dynamic", nowhere)
        r.add("lmms_tui_tracer.edges", "json", (), "dynamic", nowhere)
        r.add("app", "os", ("path", "nosuch", "*"), "statement", ("app.py", 3, "", ""))
        self.assertEqual(sorted(r.edges), [("app", "os", "statement"),
                                           ("app", "os.path", "statement")])


class FramesTest(unittest.TestCase):
    def test_machinery(self) -> None:
        for name in ("", None, "_frozen_importlib", "sitecustomize", "_lmms_tui",
                     "lmms_tui_tracer", "lmms_tui_tracer.frames"):
            self.assertTrue(frames.is_machinery(name), name)
        for name in ("app", "importlib", "lmms_tui_tracerx"):
            self.assertFalse(frames.is_machinery(name), name)

    def test_sites_are_named_from_the_longest_path_entry(self) -> None:
        show = frames.site_namer(["/srv", "/srv/lib", "", 3])
        self.assertEqual(show("/srv/lib/requests/__init__.py"), "requests/__init__.py")
        self.assertEqual(show("/srv/handler.py"), "handler.py")
        self.assertEqual(show("<frozen os>"), "<frozen os>")
        self.assertEqual(show(os.path.join(os.getcwd(), "a.py")), "a.py")

    def test_the_importer_of_a_frame_is_its_module(self) -> None:
        frame = sys._getframe()
        self.assertEqual(frames.importer(frame), __name__)
        code = compile("import sys\nframe = sys._getframe()", "<x>", "exec")
        space = {"__name__": "_frozen_importlib"}  # type: dict[str, object]
        exec(code, space)
        self.assertIsNone(frames.importer(space["frame"]))  # type: ignore[arg-type]


if __name__ == "__main__":
    unittest.main()
