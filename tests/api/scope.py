"""API crawl registry: models the API addresses that no page addresses yet.

Normally a model's entry in tests/<app>/scope.py OBJECT_IN_VILLAGE serves the page crawl and the API
crawl alike; list a model here only while it has API endpoints but no pk-addressed page (the page
crawl also puts objects where a liaison of the same village must not reach them, which a model like
Campaign — visible to everyone in its scope — cannot satisfy).
"""
import datetime

from campaigns.models import Campaign

API_OBJECT_IN_VILLAGE = {
    Campaign: lambda village: Campaign.objects.create(
        name=f"{village.name}无诈创建", scope=village, starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2022, 12, 31), assessment_on=datetime.date(2022, 12, 1), site_kinds=["village"],
    ),
}  # fmt: skip
