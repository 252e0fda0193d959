"""Every obligation rule on hand-made calendars (pure: no database)."""
from datetime import date
from decimal import Decimal

from campaigns.obligations import (
    CampaignFacts, Entry, SiteFacts, VillageFacts, default_as_of, effective_date, evaluate, light, months_between,
    percent, rates, rule_settings, semester_of, semesters_between,
)  # fmt: skip

C = CampaignFacts(date(2021, 11, 17), date(2022, 3, 31))


def school(*events):
    return SiteFacts(1, "甲村小学", "campus", "350521101201", "primary", concentrated_events=tuple(events))


def enterprise(*visits):
    return SiteFacts(2, "甲村企业", "enterprise", "350521101201", visits=tuple(visits))


def only(rule, obligations):
    return [o for o in obligations if o.rule == rule]


def test_semesters_are_autumn_sep_jan_and_spring_feb_jul_N3_4():
    assert semester_of(date(2021, 9, 1)).label == "2021年秋季学期"
    assert semester_of(date(2022, 1, 31)).label == "2021年秋季学期"
    assert semester_of(date(2022, 2, 1)).label == "2022年春季学期"
    assert semester_of(date(2022, 7, 31)).ends == date(2022, 7, 31)
    assert semester_of(date(2022, 8, 15)) is None
    assert [s.label for s in semesters_between(C.starts_on, C.ends_on)] == ["2021年秋季学期", "2022年春季学期"]
    assert [s.label for s in semesters_between(date(2022, 7, 1), date(2022, 9, 30))] == ["2022年春季学期", "2022年秋季学期"]


def test_school_without_semester_event_is_missing_N3_4():
    items = only("school_semester_event", evaluate(C, [school()], [], date(2022, 2, 1)))
    autumn, spring = items
    assert autumn.label.startswith("2021年秋季学期") and autumn.due == date(2022, 1, 31)
    assert autumn.status == "missing"
    assert spring.status == "open"  # the spring semester (clipped to 31 March) is not due yet


def test_event_on_semester_boundary_counts_for_that_semester_N3_4():
    event = Entry(date(2022, 1, 31), date(2022, 1, 31))
    items = only("school_semester_event", evaluate(C, [school(event)], [], date(2022, 3, 31)))
    assert [o.status for o in items] == ["done", "missing"]  # 1 Feb starts the spring semester


def test_school_event_entered_long_after_semester_is_late_N3_4():
    event = Entry(date(2022, 1, 10), date(2022, 2, 20))  # entered 20 days after the semester ended
    autumn = only("school_semester_event", evaluate(C, [school(event)], [], date(2022, 3, 1)))[0]
    assert autumn.status == "late" and autumn.done and not autumn.on_time


def test_school_levels_parameter_limits_the_rule_N3_4():
    c = CampaignFacts(C.starts_on, C.ends_on, {"school_semester_event": {"school_levels": ["junior"]}})
    assert only("school_semester_event", evaluate(c, [school()], [], date(2022, 3, 1))) == []


def test_months_are_clipped_to_the_campaign_N3_5():
    months = months_between(C.starts_on, C.ends_on)
    assert months[0] == (date(2021, 11, 17), date(2021, 11, 30))
    assert months[-1] == (date(2022, 3, 1), date(2022, 3, 31))
    assert len(months) == 5


def test_enterprise_without_this_months_visit_is_missing_N3_5():
    visits = [Entry(date(2021, 11, 20), date(2021, 11, 20)), Entry(date(2021, 12, 31), date(2021, 12, 31))]
    items = only("enterprise_monthly_visit", evaluate(C, [enterprise(*visits)], [], date(2022, 2, 10)))
    assert [(o.label, o.status) for o in items] == [
        ("2021年11月安办走访", "done"), ("2021年12月安办走访", "done"), ("2022年1月安办走访", "missing"),
        ("2022年2月安办走访", "open"),
    ]  # fmt: skip


def test_month_end_visit_entered_after_grace_is_late_N3_5():
    late = Entry(date(2021, 12, 31), date(2022, 1, 9))  # 9 days after the month end, grace is 7
    item = only("enterprise_monthly_visit", evaluate(C, [enterprise(late)], [], date(2022, 1, 10)))[1]
    assert item.status == "late"


def test_short_first_month_is_not_asked_when_below_min_days_N3_5():
    c = CampaignFacts(date(2021, 11, 25), C.ends_on, {"enterprise_monthly_visit": {"min_days": 10}})
    items = only("enterprise_monthly_visit", evaluate(c, [enterprise()], [], date(2022, 3, 31)))
    assert items[0].label == "2021年12月安办走访"


def test_site_without_recent_door_to_door_or_app_record_is_missing_N3_3():
    site = SiteFacts(3, "甲村小区", "community", "350521101201", outreach=(Entry(date(2021, 12, 1), date(2021, 12, 1)),))
    assert only("recent_outreach", evaluate(C, [site], [], date(2021, 12, 20)))[0].status == "done"
    assert only("recent_outreach", evaluate(C, [site], [], date(2022, 1, 15)))[0].status == "missing"
    # Not asked before the campaign has run a full window, nor of other kinds.
    assert only("recent_outreach", evaluate(C, [site], [], date(2021, 12, 10))) == []
    assert only("recent_outreach", evaluate(C, [enterprise()], [], date(2022, 1, 15))) == []


def test_rolling_rule_after_the_end_is_evaluated_at_the_end_N3_3_N6_4():
    """After the campaign the last 30 days are the campaign's last 30 days: the item does not vanish (issue 16)."""
    in_march = SiteFacts(3, "甲村小区", "community", "350521101201", outreach=(Entry(date(2022, 3, 20), date(2022, 3, 20)),))
    quiet = SiteFacts(4, "乙村小区", "community", "350521101202", outreach=(Entry(date(2022, 2, 1), date(2022, 2, 1)),))
    for as_of in (date(2022, 3, 31), date(2022, 4, 5), date(2026, 12, 1)):
        done, missing = only("recent_outreach", evaluate(C, [in_march, quiet], [], as_of))
        assert (done.status, missing.status) == ("done", "missing"), as_of
        assert done.starts == date(2022, 3, 2) and done.due == date(2022, 3, 31)
    assert effective_date(C, date(2022, 4, 5)) == date(2022, 3, 31) == default_as_of(C, date(2026, 12, 1))
    assert effective_date(C, date(2022, 1, 5)) == date(2022, 1, 5) == default_as_of(C, date(2022, 1, 5))


def test_light_and_percent_are_the_dashboards_N6_4():
    assert [light(0, 0, 0), light(5, 5, 0), light(5, 5, 1), light(5, 4, 0), light(5, 3, 0)] == [
        "none", "green", "amber", "amber", "red"]  # fmt: skip
    assert percent(2, 3) == Decimal("66.67") and percent(1, 8) == Decimal("12.50") and percent(0, 0) is None


def test_village_without_plan_office_or_launch_is_missing_N6_1():
    v = VillageFacts("350521101201", "甲村", {"plan": Entry(date(2021, 11, 20), date(2021, 11, 20))})
    items = {o.label: o for o in evaluate(C, [], [v], date(2021, 12, 5)) if o.rule == "village_setup"}
    assert items["工作方案"].status == "done"
    assert items["工作专班"].status == "missing" and items["工作专班"].n_id == "N6.1"
    assert items["启动仪式"].status == "open"  # due 30 days after the start


def test_launch_ceremony_after_due_date_is_late_N6_2():
    v = VillageFacts("350521101201", "甲村", {"launch": Entry(date(2021, 12, 30), date(2021, 12, 30))})
    launch = [o for o in evaluate(C, [], [v], date(2022, 1, 5)) if o.label == "启动仪式"][0]
    assert launch.status == "late" and launch.n_id == "N6.2"


def test_no_summary_after_the_end_date_is_missing_N6_4():
    v = VillageFacts("350521101201", "甲村")
    assert only("village_summary", evaluate(C, [], [v], date(2022, 3, 30))) == []
    assert only("village_summary", evaluate(C, [], [v], date(2022, 3, 31)))[0].status == "open"  # the pages' default
    assert only("village_summary", evaluate(C, [], [v], date(2022, 4, 10)))[0].status == "open"
    assert only("village_summary", evaluate(C, [], [v], date(2022, 4, 16)))[0].status == "missing"
    done = VillageFacts("350521101201", "甲村", {"summary": Entry(date(2022, 4, 12), date(2022, 4, 12))})
    assert only("village_summary", evaluate(C, [], [done], date(2022, 4, 30)))[0].status == "done"


def test_campaign_switches_rules_off_and_sets_parameters():
    c = CampaignFacts(C.starts_on, C.ends_on, {"recent_outreach": {"enabled": False}, "village_setup": {"plan_days": 60}})
    settings = rule_settings(c.rules)
    assert settings["recent_outreach"]["enabled"] is False and settings["village_setup"]["plan_days"] == 60
    assert settings["village_setup"]["office_days"] == 14  # defaults fill the rest
    site = SiteFacts(3, "甲村小区", "community", "350521101201")
    assert only("recent_outreach", evaluate(c, [site], [], date(2022, 1, 15))) == []
    plan = [o for o in evaluate(c, [], [VillageFacts("1", "甲村")], date(2021, 12, 5)) if o.label == "工作方案"][0]
    assert plan.status == "open"


def test_rates_count_expected_done_and_on_time_per_village():
    late = Entry(date(2021, 12, 31), date(2022, 1, 20))
    sites = [enterprise(late), SiteFacts(4, "乙村企业", "enterprise", "350521101202")]
    items = only("enterprise_monthly_visit", evaluate(C, sites, [], date(2022, 1, 1)))
    by_village = rates(items, lambda o: o.village_code)
    a, b = by_village["350521101201"], by_village["350521101202"]
    assert (a.expected, a.done, a.on_time, a.missing) == (2, 1, 0, 1)
    assert a.done_rate == 0.5 and a.on_time_rate == 0.0
    assert (b.expected, b.done, b.missing) == (2, 0, 2)
