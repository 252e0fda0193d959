"""The 三无 rule (N1) as a pure function: no database."""
import datetime as dt

from sites.sanwu import RULE_VERSION, IncidentFact, evaluate

START, END = dt.date(2021, 11, 17), dt.date(2022, 3, 31)


def fact(i, kind, day, annulled=False):
    return IncidentFact(id=i, kind=kind, occurred_on=day, annulled=annulled)


def test_no_incidents_holds_with_every_criterion():
    result = evaluate([], START, END)
    assert result.holds and [c.code for c in result.criteria] == ["N1.a", "N1.b", "N1.c"]
    assert result.version == RULE_VERSION and result.broken_codes == []


def test_the_shared_no_incident_result_is_what_the_rule_gives_N1():
    """No incidents returns one shared result: the same as the rule gives when nothing it finds counts."""
    outside = [fact(1, "victim", START - dt.timedelta(days=1)), fact(2, "den", dt.date(2022, 1, 3), annulled=True)]
    assert evaluate([], START, END) == evaluate(outside, START, END)


def test_victim_case_breaks_N1_a():
    result = evaluate([fact(1, "victim", dt.date(2022, 1, 3))], START, END)
    assert not result.holds and result.broken_codes == ["N1.a"]
    assert [i.id for i in result.criteria[0].deciding] == [1]


def test_suspect_breaks_N1_b():
    assert evaluate([fact(2, "suspect", dt.date(2021, 12, 1))], START, END).broken_codes == ["N1.b"]


def test_den_breaks_N1_c():
    assert evaluate([fact(3, "den", END)], START, END).broken_codes == ["N1.c"]


def test_period_bounds_and_annulment_N1_a():
    incidents = [
        fact(1, "victim", START - dt.timedelta(days=1)),  # before the campaign
        fact(2, "victim", END + dt.timedelta(days=1)),  # after it
        fact(3, "victim", dt.date(2022, 1, 1), annulled=True),  # entered in error
        fact(4, "victim", START),  # first day counts
    ]
    result = evaluate(incidents, START, END)
    assert [i.id for i in result.deciding] == [4]


def test_deciding_incidents_are_listed_per_criterion_in_date_order():
    incidents = [fact(5, "den", dt.date(2022, 2, 1)), fact(6, "victim", dt.date(2022, 3, 1)),
                 fact(7, "victim", dt.date(2021, 12, 1))]  # fmt: skip
    result = evaluate(incidents, START, END)
    assert result.broken_codes == ["N1.a", "N1.c"] and [i.id for i in result.deciding] == [7, 6, 5]
