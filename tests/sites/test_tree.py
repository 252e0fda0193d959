"""The jurisdiction tree: codes, levels, parents and the prefix subtree."""
import pytest
from django.core.exceptions import ValidationError

from sites.models import Area
from sites.services import area_create


def test_subtree_is_a_code_prefix_query(world):
    codes = set(Area.objects.subtree(world.town_x).values_list("code", flat=True))
    assert codes == {world.town_x.code, world.village_a.code, world.village_b.code}
    assert set(Area.objects.subtree(world.county)) == set(Area.objects.all())
    assert list(Area.objects.subtree(world.village_a)) == [world.village_a]


def test_prefix_by_level(world):
    assert world.county.prefix == "350521"
    assert world.town_x.prefix == "350521101"
    assert world.village_a.prefix == world.village_a.code


def test_subtree_query_filters_on_the_indexed_code_column(world):
    sql = str(Area.objects.subtree(world.town_x).query)
    assert "code" in sql and "LIKE" in sql.upper()
    assert any(i.name == "area_code_prefix_idx" for i in Area._meta.indexes)


def test_parent_must_be_one_level_up(world):
    with pytest.raises(ValidationError) as exc:
        area_create(code="350521101299", name="错村", level=Area.Level.VILLAGE, parent=world.county)
    assert "上级必须是镇/街道" in str(exc.value)


def test_code_must_extend_parent_prefix(world):
    with pytest.raises(ValidationError) as exc:
        area_create(code="350521102299", name="错村", level=Area.Level.VILLAGE, parent=world.town_x)
    assert "350521101" in str(exc.value)


def test_town_code_ends_in_zeros(world):
    with pytest.raises(ValidationError):
        area_create(code="350521109001", name="错镇", level=Area.Level.TOWN, parent=world.county)


def test_code_is_twelve_digits(world):
    with pytest.raises(ValidationError) as exc:
        area_create(code="3505211", name="短码", level=Area.Level.TOWN, parent=world.county)
    assert "12 位数字" in str(exc.value)


def test_county_has_no_parent_constraint(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Area.objects.create(code="350521000001", name="孤村", level=Area.Level.VILLAGE)


def test_levels_and_parents_consistent_in_demo(db):
    from sites import demo

    demo.seed()
    for area in Area.objects.select_related("parent"):
        if area.parent:
            assert area.parent.level == area.level - 1
            assert area.code.startswith(area.parent.prefix)
        else:
            assert area.level == Area.Level.COUNTY
