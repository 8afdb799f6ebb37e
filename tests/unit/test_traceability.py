"""Every requirement has a scenario that proves it, and every scenario names known requirements.
A requirement only a test below the features can show names that test, which must exist."""

from twofa.spec import FEATURES, KINDS, ROOT, load_requirements, load_tested_requirements, missing_tests, trace


def test_the_catalogue_is_well_formed():
    requirements = load_requirements() + load_tested_requirements()
    ids = [r.id for r in requirements]
    assert len(ids) == len(set(ids)), "Duplicate requirement ids"
    for r in requirements:
        assert r.kind in KINDS, f"{r.id}: unknown kind {r.kind!r}"
        assert r.title and r.statement and r.source, f"{r.id}: title, statement and source are required"
        if r.kind == "assumption":
            assert r.peer, f"{r.id}: an assumption names the peer it follows"


def test_every_requirement_is_proved_by_a_scenario():
    unproved = trace().unproved
    assert not unproved, f"Requirements with no scenario: {', '.join(unproved)}"


def test_every_scenario_names_known_requirements_only():
    unknown = trace().unknown
    assert not unknown, "Scenarios tagged with unknown requirement ids: " + "; ".join(
        f"{where} -> {rid}" for rid, where in unknown)


def test_every_scenario_proves_at_least_one_requirement():
    untagged = trace().untagged
    assert not untagged, "Scenarios that prove no requirement: " + "; ".join(untagged)


def test_the_trace_reads_the_real_features():
    assert len(trace().scenarios) >= 40 and FEATURES.is_dir()


def test_the_trace_catches_a_requirement_without_scenario_and_an_unknown_id(tmp_path):
    (tmp_path / "spec.toml").write_text(
        '[[requirement]]\nid = "A-1"\ntitle = "t"\nstatement = "s"\nsource = "seed"\nkind = "seed"\n'
        '[[requirement]]\nid = "A-2"\ntitle = "t"\nstatement = "s"\nsource = "seed"\nkind = "seed"\n'
    )
    features = tmp_path / "features"
    features.mkdir()
    (features / "x.feature").write_text(
        "Feature: X\n  @req-A-1\n  Scenario: one\n    Given a\n  @req-B-9\n  Scenario: two\n    Given b\n"
        "  Scenario: three\n    Given c\n"
    )
    result = trace(features, tmp_path / "spec.toml")
    assert result.unproved == ["A-2"]
    assert result.unknown == [("B-9", "x.feature:6 'two'")]
    assert result.untagged == ["x.feature:8 'three'"]


def test_a_broken_feature_file_is_named_in_the_error(tmp_path):
    import pytest

    (tmp_path / "broken.feature").write_text("Feature: X\n  Scenario: one\n    Given a\n  Whatever stray text\n")
    with pytest.raises(ValueError, match="broken.feature is not valid Gherkin"):
        trace(tmp_path)


def test_every_tested_requirement_names_tests_that_exist_and_no_scenario_claims_it():
    tested = load_tested_requirements()
    assert tested, "No [[tested_requirement]] in the catalogue"
    for requirement in tested:
        assert requirement.proven_by, f"{requirement.id}: proven_by names no test"
        missing = missing_tests(requirement.proven_by)
        assert not missing, f"{requirement.id}: proven_by names tests that do not exist: {missing}"
    # They are not proved by scenarios; a tag naming one would be a scenario the gate cannot see.
    tagged = {rid for s in trace().scenarios for rid in s.requirement_ids}
    assert not tagged & {r.id for r in tested}


def test_a_proven_by_that_names_a_missing_test_is_caught(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("def test_here():\n    assert True\n")
    assert missing_tests(("tests/test_x.py::test_here",), tmp_path) == []
    assert missing_tests(("tests/test_x.py::test_gone", "tests/nope.py::test_here", "tests/test_x.py"), tmp_path) == [
        "tests/test_x.py::test_gone", "tests/nope.py::test_here", "tests/test_x.py"]
    assert ROOT.is_dir()


def test_a_misspelt_field_of_the_catalogue_is_named(tmp_path):
    import pytest

    (tmp_path / "spec.toml").write_text(
        '[[requirement]]\nid = "A-1"\ntitel = "t"\nstatement = "s"\nsource = "seed"\nkind = "seed"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"A-1 has unknown field\(s\) titel"):
        load_requirements(tmp_path / "spec.toml")
