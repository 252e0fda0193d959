"""Static analysis: bandit finds nothing of high severity in the project's code (issue 9, item 8)."""
import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
PACKAGES = ["wuzha", "sites", "campaigns", "inspections", "scripts"]


def test_bandit_has_no_high_severity_findings():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", *[p for p in PACKAGES if (BASE / p).exists()],
         "-x", "*/migrations/*", "--severity-level", "high", "-f", "json"],
        cwd=BASE, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    report = json.loads(result.stdout)
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert not findings, "\n".join(findings)
    assert report["metrics"]["_totals"]["loc"] > 500  # it really read the code
