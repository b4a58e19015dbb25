"""Backends: pure functions from the frozen model to artifacts (file name → bytes). Only the driver writes files."""
