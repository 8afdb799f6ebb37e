"""The scenario clock's kept freeze (steps/clock.py) knows when packages were imported since it
started: it reads the loaded packages again only when sys.modules changed, and then sees them."""

from __future__ import annotations

import sys
import types

from steps import clock


def test_a_package_imported_since_the_last_look_is_seen_and_so_is_its_removal():
    freeze = clock._Freeze()
    assert "a_package_imported_late" not in freeze.loaded_packages()
    sys.modules["a_package_imported_late.module"] = types.ModuleType("a_package_imported_late.module")
    try:
        assert "a_package_imported_late" in freeze.loaded_packages()
    finally:
        del sys.modules["a_package_imported_late.module"]
    assert "a_package_imported_late" not in freeze.loaded_packages()


def test_the_packages_read_match_sys_modules():
    assert clock._Freeze().loaded_packages() == {name.partition(".")[0] for name in sys.modules}
