"""Reports of the executable specification: Cucumber JSON, Cucumber Messages,
a release gate and a living documentation page. See docs/reporting.md.

Public API:

* ``attach(request, data, media_type="image/png", name=None)`` - attach
  evidence (a screenshot) to the running step of a scenario.
* ``link(request, path, name)`` - link a file of evidence (a Playwright trace)
  to the scenario, by a path relative to the reports folder.
* ``observe(request, who, saw)`` - record what a person saw, for the failure
  entries ("expected ... / saw ...").
* ``not_applicable(item, reason)`` - declare a collected run not applicable
  (e.g. a click path on a driver without a browser) before deselecting it.
* ``evidence_from_rerun(report, rerun_reports, why)`` - a failed scenario run
  once more only for its evidence (a trace): its record keeps the first run's
  verdict and takes the rerun's links and a note of how the rerun ended.
* ``rebuild_html(reports_dir)`` - regenerate living-doc.html from results.json.

Hook a suite implements (``hooks.py``): ``pytest_twofa_driver(item)`` - the driver a
collected scenario runs through, as the reports name it.

The pytest plugin itself is ``twofa.reporting.plugin`` (entry point
``twofa_reports``, option ``--twofa-reports=DIR``).
"""

from .evidence import attach, evidence_from_rerun, link, not_applicable, observe
from .files import rebuild_html

__all__ = ["attach", "evidence_from_rerun", "link", "not_applicable", "observe", "rebuild_html"]
