"""The staff dashboard (issue 8): progress of one area or site, drill-down county → town → village → site.

`builder.py` returns plain rows and totals (the assessment's numbers come from `assessment.figures`),
`cache.py` keeps them per area + campaign + as-of behind per-town generation counters bumped on write,
`views.py` is thin.
"""
