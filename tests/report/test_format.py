"""Display widths, wrapping and number formats used by every report."""

import itertools
import math
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity.report._format import (
    display_width,
    grouped,
    pad,
    percent,
    quantity,
    rule_text,
    smart,
    wrap,
)
from eduequity.report._svg import nice_ticks


def textbook_width(text):
    """East Asian Width, written independently: W and F take two columns, the rest one."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


MIXED = st.text(
    alphabet=st.sampled_from(list("abc xyz_0123") + list("资源配置小学初中（）、，") + ["²", "≤"]),
    max_size=80,
)


def test_cjk_characters_take_two_columns():
    assert display_width("资源配置") == 8
    assert display_width("Resource") == 8
    assert display_width("（教学用）") == 10  # full-width brackets are wide
    assert display_width("m²") == 2  # ambiguous width counts one column
    assert display_width("X\u0304") == 1  # the combining macron of X̄ takes none


@given(MIXED)
@settings(max_examples=200)
def test_display_width_matches_east_asian_width(text):
    assert display_width(text) == textbook_width(text)


@given(MIXED, st.integers(min_value=0, max_value=40), st.sampled_from(["left", "right"]))
@settings(max_examples=200)
def test_pad_reaches_the_width_exactly(text, extra, align):
    width = textbook_width(text) + extra
    padded = pad(text, width, align)
    assert textbook_width(padded) == width
    assert padded.strip(" ") == text.strip(" ")


@given(MIXED, st.integers(min_value=2, max_value=30))
@settings(max_examples=200)
def test_wrap_keeps_every_character_and_the_width(text, width):
    lines = wrap(text, width)
    assert all(textbook_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_breaks_at_spaces_and_between_cjk_characters():
    assert wrap("every school meets", 12) == ["every school", "meets"]
    assert wrap("每所学校至少六项", 8) == ["每所学校", "至少六项"]


def test_numbers():
    assert smart(0.18, 3) == "0.18"
    assert smart(2150.0, 3) == "2150"
    assert smart(0.9719444, 3) == "0.972"
    assert smart(value=True, decimals=3) == "是 yes"
    assert smart(float("nan"), 3) == "—"
    assert smart({"rotation": 0.125, "backbone_share": 0.18}, 3) == (
        "交流轮岗比例 rotation 0.125; 骨干教师占比 backbone share 0.18"
    )
    assert grouped(1234567.5) == "1 234 567.5"
    assert percent(0.8705234, 1) == "87.1%"


def test_quantities_in_natural_units():
    # datasets/data/README.md §1.2: 0990010002 lacks (7.5 - 2.6) m² for 1950 pupils.
    assert quantity((7.5 - 2.6) * 1950, "m²") == "9 555 m²"
    assert quantity(5.0, "teachers") == "5 teachers"
    assert quantity(1.0, "teachers") == "1 teacher"
    assert quantity(30000.0, "yuan") == "30 000 yuan"


def test_rules_put_the_sign_only_before_numbers():
    assert rule_text(">=", 0.2, 3) == "≥ 0.2"
    assert rule_text("==", limit=True, decimals=3) == "= 是 yes"
    assert rule_text(">=", {"rate": 0.5, "rounding": "ceil"}, 3) == (
        "比例 rate ≥ 0.5; 取整 rounding ceil"
    )


@given(
    st.floats(min_value=0.001, max_value=1e6, allow_nan=False),
)
@settings(max_examples=200)
def test_ticks_cover_the_range_with_equal_round_steps(high):
    ticks = nice_ticks(0.0, high)
    assert ticks[0] == 0.0
    assert ticks[-1] >= high * (1 - 1e-12)
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in {1.0, 2.0, 2.5, 5.0}
    assert 2 <= len(ticks) <= 8
