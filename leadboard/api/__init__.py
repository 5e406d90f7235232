"""The HTTP interface: the JSON API (and, later, the dashboard pages) on one FastAPI app."""
