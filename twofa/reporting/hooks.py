"""The hooks through which a test suite tells the reports what only it knows.

The reporting plugin knows pytest and pytest-bdd, not the suite that uses it: which
parameter names a driver, which runs do not apply. A suite implements these hooks (in
its conftest or a plugin of its own); without an implementation every run has no driver.
"""

import pytest


@pytest.hookspec(firstresult=True)
def pytest_twofa_driver(item: pytest.Item) -> str | None:
    """The name of the driver (or the way in: domain, api, ui) that this collected scenario
    runs through, as the reports show it; None if the suite has no such notion."""
