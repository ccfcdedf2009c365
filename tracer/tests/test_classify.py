import os
import sys
import tempfile
import types
import unittest

from .support import part

classify = part("classify")


class ClassifierTest(unittest.TestCase):
    def setUp(self) -> None:
        self.root = tempfile.mkdtemp()
        self.site = os.path.join(self.root, "lib", "site-packages")
        self.std = os.path.join(self.root, "stdlib")
        self.ours = os.path.join(self.root, "tracer")
        for d in (self.site, self.std, self.ours):
            os.makedirs(d)
        self.c = classify.Classifier({"encodings"}, self.ours, third={self.site}, stdlib=self.std)

    def test_paths(self) -> None:
        self.assertEqual(self.c.path(os.path.join(self.site, "numpy", "__init__.py")),
                         "third-party")
        self.assertEqual(self.c.path(os.path.join(self.std, "json", "__init__.py")), "stdlib")
        self.assertEqual(self.c.path("built-in"), "stdlib")
        self.assertEqual(self.c.path("frozen"), "stdlib")
        self.assertEqual(self.c.path(os.path.join(self.ours, "sitecustomize.py")), "lmms-tui")
        self.assertEqual(self.c.path(os.path.join(self.root, "app", "handler.py")), "program")
        self.assertEqual(self.c.path(None), "unknown")

    def test_a_site_packages_directory_anywhere_is_third_party(self) -> None:
        path = os.sep + os.path.join("opt", "venv", "lib", "site-packages", "x.py")
        self.assertEqual(self.c.path(path), "third-party")

    def test_a_link_into_site_packages_is_resolved(self) -> None:
        link = os.path.join(self.root, "link")
        os.symlink(self.site, link)
        self.assertEqual(self.c.path(os.path.join(link, "pkg.py")), "third-party")

    def test_modules(self) -> None:
        main = types.ModuleType("__main__")
        self.assertEqual(self.c.module("__main__", main)[0], "program")
        self.assertEqual(self.c.module("encodings", sys.modules["encodings"])[0], "startup")
        namespace = types.ModuleType("ns")
        namespace.__spec__ = types.SimpleNamespace(  # type: ignore[assignment]
            origin="namespace", submodule_search_locations=[os.path.join(self.site, "ns")])
        self.assertEqual(self.c.module("ns", namespace),
                         ("third-party", os.path.join(self.site, "ns")))


if __name__ == "__main__":
    unittest.main()
