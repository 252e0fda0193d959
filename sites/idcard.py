"""Resident ID numbers (GB 11643-1999) and mainland phones: validation, masking, synthetic generation.

Pure functions, no database. Masks show the ID's first 3 and last 4 characters only, so the birth date
(digits 7–14) never appears; phones keep 3 + 4 digits (138****5678).
"""
import datetime as dt
import random
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class IdInfo:
    birth_date: dt.date
    gender: str  # "male" / "female"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def parse_id_number(value: str, *, today: dt.date | None = None) -> IdInfo:
    """Validate an 18-character resident ID number and return its birth date and gender."""
    value = (value or "").strip().upper()
    if re.fullmatch(r"\d{15}", value):
        raise ValidationError("这是 15 位的旧版身份证号码,已停止使用,请填写 18 位公民身份号码(可在户口簿或新版身份证上查到)。")
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError("公民身份号码应为 18 位:前 17 位是数字,最后一位是数字或 X。")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError("公民身份号码中的出生日期不存在,请核对第 7–14 位。") from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError("公民身份号码中的出生日期不合理,请核对第 7–14 位。")
    if check_char(value[:17]) != value[17]:
        raise ValidationError("公民身份号码校验位错误,请逐位核对(常见原因:抄错一位或两位颠倒)。")
    return IdInfo(birth_date=birth, gender="male" if int(value[16]) % 2 else "female")


def validate_id_number(value: str) -> None:
    parse_id_number(value)


def validate_mobile(value: str) -> None:
    if value and not MOBILE_RE.match(value.strip()):
        raise ValidationError("请填写 11 位大陆手机号码,如 13800001234。")


def mask_id(value: str) -> str:
    value = value or ""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    value = value or ""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "****" + value[-4:]


def make_id_number(area6: str, birth: dt.date, seq: int, female: bool) -> str:
    """A synthetic ID with a valid check digit (demo data and tests only)."""
    order = seq % 100 * 10 + ((seq // 100) % 5) * 2 + (0 if female else 1)
    first17 = f"{area6}{birth:%Y%m%d}{order % 1000:03d}"
    return first17 + check_char(first17)


def random_id_number(rng: random.Random, area6: str = "350521") -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 16000))
    return make_id_number(area6, birth, rng.randrange(0, 500), rng.random() < 0.5)


def random_mobile(rng: random.Random) -> str:
    return "1" + rng.choice("35789") + "".join(str(rng.randrange(10)) for _ in range(9))
