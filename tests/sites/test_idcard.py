"""Resident ID numbers (GB 11643-1999), phones and masks; pure functions, no database (N4.2)."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sites.idcard import check_char, make_id_number, mask_id, mask_phone, parse_id_number, validate_mobile

# Published sample of the standard (GB 11643-1999 appendix): 11010519491231002X, a woman born 1949-12-31.
VALID = ["11010519491231002X", "440524198001010013", make_id_number("350521", dt.date(1990, 3, 7), 12, True)]


@pytest.mark.parametrize("number", VALID)
def test_valid_ids_give_birth_date_and_gender_N4_2(number):
    info = parse_id_number(number)
    assert info.birth_date == dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert info.gender == ("male" if int(number[16]) % 2 else "female")


def test_lower_case_x_is_accepted_N4_2():
    assert parse_id_number("11010519491231002x").gender == "female"


@pytest.mark.parametrize(
    "number,message",
    [
        ("110105194912310021", "校验位错误"),  # wrong check digit
        ("110105194902300023", "出生日期不存在"),  # 30 February
        ("110105194913010021", "出生日期不存在"),  # month 13
        ("110105299901010021", "不合理"),  # born in the future
        ("110105491231002", "15 位的旧版身份证号码"),  # legacy 15 digits
        ("11010519491231002", "应为 18 位"),
        ("1101051949123100AX", "应为 18 位"),
    ],
)
def test_invalid_ids_are_explained_in_chinese_N4_2(number, message):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(number)
    assert message in exc.value.messages[0]


def test_check_char_of_the_standard_example():
    assert check_char("11010519491231002") == "X"


def test_mask_id_keeps_first_three_and_last_four():
    assert mask_id("11010519491231002X") == "110***********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id("") == "" and mask_phone("") == ""


@pytest.mark.parametrize("phone", ["12345678901", "1381234567", "23812345678", "138-1234-5678"])
def test_bad_mobiles_are_refused(phone):
    with pytest.raises(ValidationError, match="11 位"):
        validate_mobile(phone)


ids = st.builds(
    make_id_number,
    st.sampled_from(["350521", "110105", "440524", "350583"]),
    st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31)),
    st.integers(0, 499),
    st.booleans(),
)


@given(ids)
def test_generated_ids_are_valid_and_masks_hide_the_birth_date_N4_2(number):
    parse_id_number(number)
    masked = mask_id(number)
    assert len(masked) == 18 and masked[:3] == number[:3] and masked[-4:] == number[-4:]
    assert number[6:14] not in masked and set(masked[3:14]) == {"*"}
