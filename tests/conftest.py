"""Test-wide settings: property-based tests explore randomly on a developer machine and replay a
fixed sequence in CI (``CI`` set), so a CI run is reproducible."""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
