"""Root conftest: registers the acceptance harness (fixtures, drivers, step definitions)."""

pytest_plugins = [
    "steps.browser_trace",  # before steps.plugin, which imports it: pytest imports its plugins first
    "steps.plugin",
    "steps.step_defs.people_steps",
    "steps.step_defs.time_steps",
    "steps.step_defs.login_steps",
    "steps.step_defs.enrolment_steps",
    "steps.step_defs.admin_steps",
    "steps.step_defs.session_steps",
    "steps.step_defs.ui_steps",
    "steps.step_defs.recovery_steps",
    "steps.step_defs.overview_steps",
    "steps.step_defs.password_reset_steps",
    "steps.step_defs.remembering_steps",
    "steps.step_defs.grace_steps",
    "steps.step_defs.sso_steps",
]
