"""What every test of `twofa test` shares (the acceptance harness is registered by the root conftest)."""

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Make `--dist loadgroup` group again on pytest 9.2.

    pytest-xdist (3.8) marks a test's group by appending "@group" to the node's legacy
    ``_nodeid``; pytest 9.2 reads a structured id instead, so the mark is silently lost and the
    tests of an ``xdist_group`` are spread over the workers: each worker then made the group's
    expensive shared fixture (the named-mutation suite, 45 s) again. pytest-xdist issue #1386,
    fix proposed in pull request #1388. This runs after xdist's own hook and carries its
    suffix over to the structured id; where the two already agree it does nothing."""
    if not getattr(config.option, "loadgroup", False):  # set on an xdist worker of a --dist loadgroup run
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        legacy = item.__dict__.get("_nodeid")
        if isinstance(legacy, str) and legacy != item.nodeid and hasattr(item, "_id"):
            item._id = coerce_node_id(legacy)
