import sys
import unittest

from .support import part, tracer

lazy = part("lazy")


class LazyTest(unittest.TestCase):
    def test_a_module_is_imported_on_first_use_only(self) -> None:
        name = "colorsys"
        sys.modules.pop(name, None)
        bound = lazy.lazy_module(name)
        self.assertNotIn(name, sys.modules)
        self.assertEqual(bound.rgb_to_hsv(0, 0, 0), (0.0, 0.0, 0.0))
        self.assertIn(name, sys.modules)

    def test_import_a_b_binds_the_top_package(self) -> None:
        bound = lazy.lazy_module("xml.dom", "xml")
        self.assertIs(bound.dom, sys.modules["xml.dom"])

    def test_operators_and_protocols_reach_the_value(self) -> None:
        sys.modules["_lmms_test_value"] = type(sys)("_lmms_test_value")
        sys.modules["_lmms_test_value"].items = [3, 1, 2]  # type: ignore[attr-defined]
        items = lazy.lazy_attr("_lmms_test_value", "items")
        self.assertEqual(len(items), 3)
        self.assertEqual(sorted(items), [1, 2, 3])
        self.assertEqual(items + [4], [3, 1, 2, 4])
        self.assertEqual(items[0], 3)
        self.assertTrue(items == [3, 1, 2])
        self.assertIn(2, items)
        self.assertEqual(repr(items), "[3, 1, 2]")

    def test_a_class_from_a_lazy_binding_can_be_a_base(self) -> None:
        base = lazy.lazy_attr("collections", "OrderedDict")

        class Sub(base):  # type: ignore[misc,valid-type]
            pass

        self.assertTrue(issubclass(Sub, sys.modules["collections"].OrderedDict))
        self.assertTrue(isinstance(Sub(), base))  # type: ignore[arg-type]

    def test_the_facade_is_what_rewritten_code_calls(self) -> None:
        package = tracer()
        self.assertEqual(package._lazy_module("json").dumps([1]), "[1]")  # type: ignore
        self.assertEqual(package._lazy_attr("json", "dumps")([2]), "[2]")  # type: ignore


if __name__ == "__main__":
    unittest.main()
