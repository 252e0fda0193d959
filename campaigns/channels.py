"""The propaganda channels the notice names (N3.1–N3.4) and, in ONE table, the reach figures each requires.

Pure: no ORM. The model's clean(), the entry form and static/js/campaigns.js all read `CHANNEL_FIELDS`.
"""
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models


class Channel(models.TextChoices):
    BOARD = "board", "宣传栏/展板"
    BROADCAST = "broadcast", "广播站"
    BILLBOARD = "billboard", "户外广告牌"
    LED = "led", "LED 显示屏"
    SLOGAN = "slogan", "张贴标语"
    FILM = "film", "播放警示教育片"
    MATERIALS = "materials", "发放宣传资料"
    WECHAT = "wechat", "微信"
    WEIBO = "weibo", "微博"
    DOUYIN = "douyin", "抖音"
    DINGTALK = "dingtalk", "钉钉"
    CAMPUS_WEB = "campus_web", "校园网站"
    DOOR_TO_DOOR = "door", "入户走访(敲门/扫楼)"
    EVENT = "event", "集中宣传活动"
    LECTURE = "lecture", "讲座/培训"
    OTHER = "other", "其他"


REACH_FIELDS = (
    "copies", "screenings", "people_reached", "households_visited", "posts", "post_links", "views",
    "teachers_reached", "students_reached", "parents_reached",
)  # fmt: skip
SCHOOL_REACH = ("teachers_reached", "students_reached", "parents_reached")
NEW_MEDIA = (Channel.WECHAT, Channel.WEIBO, Channel.DOUYIN, Channel.DINGTALK, Channel.CAMPUS_WEB)

# channel -> (required reach fields, optional reach fields). Fields in neither are not asked and kept empty.
CHANNEL_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Channel.BOARD: (("copies",), ("people_reached",)),  # N3.1
    Channel.BROADCAST: (("screenings",), ("people_reached",)),  # N3.1
    Channel.BILLBOARD: (("copies",), ("people_reached",)),  # N3.1
    Channel.LED: (("screenings",), ("people_reached",)),  # N3.1
    Channel.SLOGAN: (("copies",), ()),  # N3.1
    Channel.FILM: (("screenings", "people_reached"), SCHOOL_REACH),  # N3.1
    Channel.MATERIALS: (("copies",), ("people_reached",)),  # N3.1
    **{c: (("posts", "post_links"), ("views",)) for c in NEW_MEDIA},  # N3.2 / N3.4: count and link per post
    Channel.DOOR_TO_DOOR: (("households_visited",), ("people_reached",)),  # N3.3
    Channel.EVENT: (("people_reached",), ("copies", *SCHOOL_REACH)),  # N3.1 / N3.4
    Channel.LECTURE: (("people_reached",), SCHOOL_REACH),  # N3.4
    Channel.OTHER: ((), ("copies", "screenings", "people_reached")),
}
# Concentrated events that count for a school's semester duty (N3.4).
CONCENTRATED = (Channel.EVENT, Channel.LECTURE, Channel.FILM)
CONCENTRATED_CODES = frozenset(c.value for c in CONCENTRATED)  # the same as plain str: for loops over many rows

FIELD_LABELS = {
    "copies": "数量(份/块/幅)",
    "screenings": "播放次数/场次",
    "people_reached": "覆盖人数",
    "households_visited": "走访户数",
    "posts": "发布条数",
    "post_links": "链接(每行一条)",
    "views": "阅读/播放量",
    "teachers_reached": "覆盖教师数",
    "students_reached": "覆盖学生数",
    "parents_reached": "覆盖家长数",
}


def split_links(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def reach_errors(channel: str, values: dict) -> dict[str, str]:
    """Errors (field -> Chinese message) of the reach figures given for `channel`; {} when valid."""
    if channel not in CHANNEL_FIELDS:
        return {"channel": "请选择宣传渠道。"}
    required, _optional = CHANNEL_FIELDS[channel]
    errors = {}
    for field in required:
        value = values.get(field)
        if value in (None, "", 0) or (field == "post_links" and not split_links(value)):
            errors[field] = f"“{Channel(channel).label}”须填写{FIELD_LABELS[field]}。"
    links = split_links(values.get("post_links") or "")
    if links and "post_links" not in errors:
        check = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                check(link)
            except ValidationError:
                errors["post_links"] = f"链接格式不正确:{link[:60]}"
                break
        posts = values.get("posts") or 0
        if "post_links" not in errors and posts and len(links) > posts:
            errors["post_links"] = f"链接有 {len(links)} 条,多于发布条数 {posts}。"
    return errors


def cleaned_reach(channel: str, values: dict) -> dict:
    """The reach values with every field the channel does not ask for emptied."""
    required, optional = CHANNEL_FIELDS.get(channel, ((), ()))
    keep = set(required) | set(optional)
    return {f: (values.get(f) if f in keep else ("" if f == "post_links" else None)) for f in REACH_FIELDS}
