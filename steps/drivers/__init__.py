"""Application drivers: one interface (``base.py``), one implementation per way of reaching the app.

A driver class is built for a scenario by ``for_scenario(request, system)`` from the pytest
fixtures it needs, and closed with ``close(failed, name)``, which returns the evidence it
kept of a failure (a Playwright trace per device). Adding a driver: its module here and
its name below; nothing in ``steps/plugin.py`` names a driver.
"""

from __future__ import annotations

import importlib

# name -> (module, class), in the order runs are reported
_CLASSES = {
    "domain": ("steps.drivers.domain", "DomainDriver"),
    "api": ("steps.drivers.api", "ApiDriver"),
    "ui": ("steps.drivers.ui", "UiDriver"),
}
DRIVERS = tuple(_CLASSES)


def driver_class(name: str):
    """The class of the driver called ``name`` (imported when first asked for)."""
    if name not in _CLASSES:
        raise ValueError(f"Unknown driver {name!r}; known: {', '.join(DRIVERS)}")
    module, cls = _CLASSES[name]
    return getattr(importlib.import_module(module), cls)
