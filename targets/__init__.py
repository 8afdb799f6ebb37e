"""Products behind the acceptance harness other than the reference app in ``sut``.

Each subpackage holds one product, built as its own documentation intends, plus the few
helpers a target adapter needs to arrange the world (people, settings, where mail and texts
go). Nothing here is written to pass the features: where a product lacks a behaviour, the
behaviour is missing and docs/targets.md records it as a finding.
"""
