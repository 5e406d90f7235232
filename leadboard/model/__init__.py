"""Canonical entities and the issue type shared by imports and validations."""
