"""Leadboard: the lead dashboard that B2B marketing and sales steer by together."""

__version__ = "0.1.0"
