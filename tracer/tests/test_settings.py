import unittest

from .support import part

settings = part("settings")


class TakeTest(unittest.TestCase):
    def test_our_variables_leave_the_environment_and_the_rest_stay(self) -> None:
        environ = {"LMMS_TUI_OUT": "f.tsv", "LMMS_TUI_DEFER": "a,b.c,", "LMMS_TUI_APPLY": "1",
                   "LMMS_TUI_EDGES": "1", "PATH": "/bin"}
        s = settings.take(environ)
        self.assertEqual(environ, {"PATH": "/bin"})
        self.assertEqual(s.out, "f.tsv")
        self.assertEqual(s.defer, ["a", "b.c"])
        self.assertTrue(s.apply)
        self.assertTrue(s.edges)
        self.assertFalse(s.no_gc)
        self.assertFalse(s.run_main)

    def test_apply_means_exactly_one(self) -> None:
        self.assertFalse(settings.take({"LMMS_TUI_APPLY": "yes"}).apply)
        self.assertEqual(settings.take({}).defer, [])
        self.assertIsNone(settings.take({}).out)


if __name__ == "__main__":
    unittest.main()
