"""The March 2022 assessment (平安考核): rules as data, pure compute, figure gathering, compile, reports.

- rules.py    the default rules (documented in the report's 规则说明 sheet) and their validation
- compute.py  pure functions over dataclasses: site result, village, town, ranks, proposed titles
- figures.py  THE single place that loads per-village / per-site figures from the database (dashboards call it)
- compile.py  one village's result and the merge of a run (used by the Celery tasks)
- xlsx.py / pdf.py  the report files
"""
