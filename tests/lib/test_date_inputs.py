"""`<input type="date">` reads only ISO dates: a widget that renders the zh-hans format (2022/03/31) shows an empty
field, and a person must type a date the form already had (the assessment's 截至日期 did)."""
import re
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
DATE_WIDGET = re.compile(r"DateInput\(attrs=\{[^}]*\"type\": \"date\"[^}]*\}(?P<rest>[^)]*)\)")


def test_every_date_input_renders_iso_dates():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "migrations" in path.parts:
            continue
        for match in DATE_WIDGET.finditer(path.read_text(encoding="utf-8")):
            if 'format="%Y-%m-%d"' not in match.group("rest"):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not offenders, offenders


def test_assessment_start_form_shows_its_default_date_N6_4(client, town_staff):
    client.force_login(town_staff)
    page = client.get(reverse("inspections:assessment_list")).content.decode()
    assert 'type="date" name="as_of" value="2022-03-31"' in page
