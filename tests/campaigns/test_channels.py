"""Reach figures per channel: one table (campaigns/channels.py), checked without the database."""
import pytest

from campaigns.channels import CHANNEL_FIELDS, REACH_FIELDS, Channel, cleaned_reach, reach_errors


def test_every_channel_of_the_notice_has_a_row_N3_1():
    assert set(CHANNEL_FIELDS) == set(Channel.values)
    for required, optional in CHANNEL_FIELDS.values():
        assert set(required) | set(optional) <= set(REACH_FIELDS)
        assert not set(required) & set(optional)


@pytest.mark.parametrize(
    "channel,missing",
    [
        (Channel.MATERIALS, "copies"),
        (Channel.FILM, "screenings"),
        (Channel.BROADCAST, "screenings"),
        (Channel.SLOGAN, "copies"),
    ],
)
def test_crowded_place_channels_require_their_figure_N3_1(channel, missing):
    errors = reach_errors(channel, {})
    assert missing in errors and Channel(channel).label in errors[missing]


def test_film_needs_screenings_and_people_N3_1():
    assert reach_errors(Channel.FILM, {"screenings": 2, "people_reached": 80}) == {}
    assert set(reach_errors(Channel.FILM, {"screenings": 2})) == {"people_reached"}


@pytest.mark.parametrize("channel", [Channel.WECHAT, Channel.WEIBO, Channel.DOUYIN])
def test_new_media_needs_count_and_link_per_post_N3_2(channel):
    assert set(reach_errors(channel, {})) == {"posts", "post_links"}
    ok = {"posts": 2, "post_links": "https://mp.weixin.qq.com/s/a\nhttps://mp.weixin.qq.com/s/b"}
    assert reach_errors(channel, ok) == {}
    bad = reach_errors(channel, {"posts": 1, "post_links": "不是链接"})
    assert "链接格式不正确" in bad["post_links"]
    more = reach_errors(channel, {"posts": 1, "post_links": "https://a.cn/1\nhttps://a.cn/2"})
    assert "多于发布条数" in more["post_links"]


def test_door_to_door_counts_households_N3_3():
    assert set(reach_errors(Channel.DOOR_TO_DOOR, {"people_reached": 40})) == {"households_visited"}
    assert reach_errors(Channel.DOOR_TO_DOOR, {"households_visited": 35}) == {}


def test_fields_a_channel_does_not_ask_are_emptied_N3_1():
    cleaned = cleaned_reach(Channel.SLOGAN, {"copies": 10, "households_visited": 5, "post_links": "https://x.cn"})
    assert cleaned["copies"] == 10 and cleaned["households_visited"] is None and cleaned["post_links"] == ""


def test_unknown_channel_is_refused():
    assert "channel" in reach_errors("fax", {})
