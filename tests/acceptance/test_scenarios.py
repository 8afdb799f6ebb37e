"""Every scenario of features/, through every driver chosen for the run (see steps/plugin.py)."""

from pytest_bdd import scenarios

scenarios(".")
