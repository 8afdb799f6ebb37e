"""Application drivers: one interface (``base.py``), one implementation per way of reaching a product.

The kinds of driver a run can choose (``--driver``) are named here; which class implements
each kind for a product is its target's business (``Target.drivers``, targets/target.py): the
reference app's are the modules beside this one. A driver class is built for a scenario by
``for_scenario(request, world)`` from the pytest fixtures it needs, and closed with
``close(failed, name)``, which returns the evidence it kept of a failure (a Playwright trace
per device). Nothing in ``steps/plugin.py`` names a driver.
"""

from __future__ import annotations

# In the order runs are reported.
DRIVERS = ("domain", "api", "ui")

# How browser scenarios get their Playwright traces (steps/browser_trace.py), default first.
TRACE_MODES = {
    "rerun": "record none; rerun a failed browser scenario once, at once, recording its trace (the verdict stays the first run's)",
    "on": "every browser scenario records a trace, kept when it fails (costs each scenario 30 to 40 percent more CPU)",
    "off": "no traces",
}
