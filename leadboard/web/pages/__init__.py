"""One module per page; each renders from the KPI engine only."""
