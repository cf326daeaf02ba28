"""Survey data for social recognition (社会认可度): answer scales, label aliases, design presets.

Private module: the public names are re-exported by :mod:`eduequity.core.recognition`.
Everything here is immutable data with its provenance (docs: The national method, Part 4: social
recognition, docs: Input tables); the scoring code reads it and holds no literal of its own.

Label matching
--------------
Answer, group and location labels are matched on a *key*: the text folded by Unicode NFKC
(full-width letters, digits and punctuation become half-width), with every whitespace character
removed and the case folded. ``"  满 意 "``, ``"满意"`` and ``"满意"`` (full-width space) have the
same key; so do ``"５"`` and ``"5"``.
"""

from __future__ import annotations

import contextlib
import math
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, Literal

import attrs
import numpy as np

from eduequity._exact import to_fraction
from eduequity._serialize import Record, attrs_to_dict
from eduequity._typing import JSONValue
from eduequity._vocabulary import vocabulary
from eduequity.errors import InvalidArgumentError, InvalidTypeError

# ---------------------------------------------------------------------------------------------
# Decision constants
# ---------------------------------------------------------------------------------------------

RECOGNITION_THRESHOLD: Final = 0.85
"""Minimum recognition rate, bound included (达到85%以上) [V].

Sources: https://m.fx361.cc/news/2023/0704/22286049.html ; the MOE notice of 2021 on creating
quality-balanced counties (社会认可度达到85%以上) (docs: The national method, Part 4: social
recognition). The national assessment reads its threshold from the rule set
(``recognition.threshold``).
"""

SMALL_GROUP_MINIMUM: Final = 30
"""A group with fewer valid answers than this gets warning ``small_group`` (library, [M]).

docs: Input tables, warnings.
"""

SHARE_TOLERANCE: Final = 1e-9
"""Fixed shares must sum to 1 within this absolute tolerance, else ``bad_shares`` (library).

docs: The national method, Part 4: social recognition.
"""

STUDENT_MIN_GRADE: Final = 3
"""The national student questionnaire starts at grade 3 (三年级以上) [V].

Source: http://chedu.net/2024/0918/40123.html (docs: The national method, Part 4: social
recognition); students below it are excluded from scoring with warning ``student_below_grade_3`` (§9
question 6, library).
"""

GRADE_RANGE: Final = (1, 9)
"""Valid compulsory-education grades, inclusive (docs: Input tables, ``grade_out_of_range``)."""

# ---------------------------------------------------------------------------------------------
# Label normalisation
# ---------------------------------------------------------------------------------------------


def normalize_label(text: str) -> str:
    """Return ``text`` folded by NFKC with every whitespace character removed.

    Examples
    --------
    >>> normalize_label(" 比较　满意 ")
    '比较满意'
    >>> normalize_label("５")
    '5'
    """
    return "".join(unicodedata.normalize("NFKC", text).split())


def label_key(text: str) -> str:
    """Return the matching key of a label: :func:`normalize_label`, then case-folded."""
    return normalize_label(text).casefold()


def _label_text(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        msg = f"a scale label must be text or an integer; got {value!r}"
        raise InvalidTypeError(msg, code="invalid_scale")
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if not text:
            msg = "a scale label must not be blank"
            raise InvalidArgumentError(msg, code="invalid_scale")
        return text
    msg = f"a scale label must be text or an integer; got {value!r} ({type(value).__name__})"
    raise InvalidTypeError(msg, code="invalid_scale")


def _labels(values: Iterable[object]) -> tuple[str, ...]:
    if isinstance(values, str):
        msg = f"scale labels must be a sequence of labels, not one string {values!r}"
        raise InvalidTypeError(msg, code="invalid_scale")
    return tuple(_label_text(value) for value in values)


def _label_set(values: Iterable[object]) -> frozenset[str]:
    return frozenset(_labels(values))


def _optional_scores(values: Iterable[float] | None) -> tuple[float, ...] | None:
    if values is None:
        return None
    return tuple(float(value) for value in values)


# ---------------------------------------------------------------------------------------------
# Answer scales
# ---------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Scale:
    """An answer scale (答题选项): ordered levels, "don't know" labels, positive set, scores.

    Labels are stored folded by NFKC and trimmed; they are matched on their key (NFKC, no
    whitespace, case-folded), so two labels of one scale must differ in their keys. A scale is
    *numeric* when every level is an integer (e.g. ``"5"``); numeric answers (``5``, ``5.0``,
    ``"5"``, ``"５"``) then match the level of the same integer.

    Build your own scale for other questionnaires (docs: The national method, Part 4: social
    recognition: a user scale MUST give its levels, its don't-know labels and its positive set):

    >>> yes_no = Scale(id="yes_no", levels=["Yes", "No"], dont_know=["Don't know"],
    ...                positive=["yes"])
    >>> yes_no.positive_levels
    ('Yes',)
    """

    id: str
    """Stable identifier, e.g. ``"satisfaction_5"``."""
    levels: tuple[str, ...] = attrs.field(converter=_labels)
    """Substantive answer levels, best to worst (the answers that are *valid*)."""
    dont_know: tuple[str, ...] = attrs.field(converter=_labels)
    """"Don't know" labels (不了解), neither valid nor invalid; may be empty."""
    positive: frozenset[str] = attrs.field(converter=_label_set)
    """Default positive set (answers counted as recognising), a non-empty subset of ``levels``."""
    scores: tuple[float, ...] | None = attrs.field(default=None, converter=_optional_scores)
    """Default score of each level in ``levels`` order [points, 0-100], or ``None`` (no map)."""
    detectable: bool = False
    """Whether ``scale="detect"`` may choose this scale (built-in, non-strict scales only)."""
    tag: str = "user"
    """Confidence tag of the scale's source: ``[V]``, ``[S]``, ``[M]``, ``library`` or ``user``."""
    source: str = "user-defined"
    """Where the scale comes from (URL or document)."""

    def __attrs_post_init__(self) -> None:
        if not self.id:
            msg = "a scale needs a non-empty id"
            raise InvalidArgumentError(msg, code="invalid_scale")
        if not self.levels:
            msg = f"scale {self.id!r} needs at least one level"
            raise InvalidArgumentError(msg, code="invalid_scale")
        keys = [label_key(label) for label in self.labels]
        duplicated = sorted({key for key in keys if keys.count(key) > 1})
        if duplicated:
            msg = (
                f"scale {self.id!r}: labels must differ after normalisation (NFKC, no spaces, "
                f"case-folded); repeated: {', '.join(duplicated)}"
            )
            raise InvalidArgumentError(msg, code="invalid_scale")
        by_key = {label_key(level): level for level in self.levels}
        unknown = sorted(label for label in self.positive if label_key(label) not in by_key)
        if unknown:
            msg = (
                f"scale {self.id!r}: positive labels {', '.join(unknown)} are not levels; "
                f"expected a subset of {', '.join(self.levels)}"
            )
            raise InvalidArgumentError(msg, code="invalid_scale")
        if not self.positive:
            msg = f"scale {self.id!r} needs a non-empty positive set"
            raise InvalidArgumentError(msg, code="invalid_scale")
        # Store positive labels spelled as their levels, so results print one spelling only.
        canonical = frozenset(by_key[label_key(label)] for label in self.positive)
        object.__setattr__(self, "positive", canonical)
        if self.scores is not None:
            if len(self.scores) != len(self.levels):
                msg = (
                    f"scale {self.id!r}: scores must give one score per level "
                    f"({len(self.levels)}); got {len(self.scores)}"
                )
                raise InvalidArgumentError(msg, code="invalid_scale")
            bad = [s for s in self.scores if not (math.isfinite(s) and 0.0 <= s <= 100.0)]  # noqa: PLR2004 - the 0-100 points scale
            if bad:
                msg = f"scale {self.id!r}: scores must lie in [0, 100] points; got {bad}"
                raise InvalidArgumentError(msg, code="invalid_scale")

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label the scale accepts: the levels, then the don't-know labels."""
        return self.levels + self.dont_know

    @property
    def numeric(self) -> bool:
        """Whether every level is an integer label (a numeric Likert scale)."""
        return all(_is_integer_text(level) for level in self.levels)

    @property
    def positive_levels(self) -> tuple[str, ...]:
        """The positive set in level order (best first)."""
        return tuple(level for level in self.levels if level in self.positive)

    @property
    def score_map(self) -> Mapping[str, float] | None:
        """Read-only mapping level -> score [points], or ``None`` when the scale has no map."""
        if self.scores is None:
            return None
        return MappingProxyType(dict(zip(self.levels, self.scores, strict=True)))

    def holds(self, label: object) -> bool:
        """Whether ``label`` is a label of the scale: a level or a don't-know label.

        Labels are matched on their key, as the scoring matches answers; on a numeric scale a
        number (``5``, ``5.0``, ``"５"``) matches the level of the same integer.

        Examples
        --------
        >>> get_scale("satisfaction_5").holds(" 满 意 "), get_scale("cers_5").holds("满意")
        (True, False)
        >>> get_scale("numeric_1_5").holds(5.0), get_scale("numeric_1_5").holds("6")
        (True, False)
        """
        if isinstance(label, bool | np.bool_) or not isinstance(label, str | int | float):
            return False
        key = label_key(str(label))
        if self.numeric:
            with contextlib.suppress(ValueError):
                number = float(key)
                if math.isfinite(number) and number.is_integer():
                    key = str(int(number))
        return key in {label_key(text) for text in self.labels}

    def describe_labels(self) -> str:
        """Return the accepted labels as text, e.g. ``"满意, 不满意 (don't know: 不了解)"``."""
        text = ", ".join(self.levels)
        if self.dont_know:
            text += f" (don't know: {', '.join(self.dont_know)})"
        return text

    def to_dict(self) -> dict[str, JSONValue]:
        """Return a JSON-safe mapping of the fields (positive labels in level order)."""
        data = attrs_to_dict(self)
        data["positive"] = list(self.positive_levels)
        return data


def _is_integer_text(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    return body.isdigit()


_SATISFACTION_LEVELS: Final = ("满意", "比较满意", "基本满意", "不满意")
_JIANGSU_SOURCE: Final = "http://www.xpshebei.com/r/2014-05/16/content_14089930.htm"
_LIKERT_SOURCE: Final = "https://mtoou.info/tubiao/916613.html"
_LIKERT_SCORES: Final = (100.0, 80.0, 60.0, 40.0, 20.0)
"""20 x level on a 1-5 coding: 5 -> 100 ... 1 -> 20 [V] (docs: The national method, Part 4: social
recognition)."""

_BUILT_IN_SCALES: Final = (
    Scale(
        id="satisfaction_5",
        levels=_SATISFACTION_LEVELS,
        dont_know=("不了解",),
        positive=("满意", "比较满意", "基本满意"),
        detectable=True,
        tag="[V] scale; positive set: library default (docs: The national method, Part 4)",
        source=_JIANGSU_SOURCE,
    ),
    Scale(
        id="satisfaction_5_strict",
        levels=_SATISFACTION_LEVELS,
        dont_know=("不了解",),
        positive=("满意", "比较满意"),
        tag="library preset (docs: The national method, Part 4)",
        source=_JIANGSU_SOURCE,
    ),
    Scale(
        id="satisfaction_3",
        levels=("满意", "基本满意", "不满意"),
        dont_know=(),
        positive=("满意", "基本满意"),
        detectable=True,
        tag="[S] questionnaire; [V] Hainan pass grade (基本满意 or better)",
        source=(
            "https://www.360docs.net/doc/f719337522.html ; "
            "http://m.handmsg.com/page/2015/0311/10481109.shtml"
        ),
    ),
    Scale(
        id="cers_5",
        levels=("非常满意", "比较满意", "一般", "不太满意", "很不满意"),
        dont_know=(),
        positive=("非常满意", "比较满意"),
        scores=_LIKERT_SCORES,
        detectable=True,
        tag="[V]",
        source="http://www.xmglf.cn/e/20060409/4b8bc8d84c931.shtml",
    ),
    Scale(
        id="recognition_5",
        levels=("非常认可", "比较认可", "一般", "不太认可", "非常不认可"),
        dont_know=("不了解",),
        positive=("非常认可", "比较认可"),
        scores=_LIKERT_SCORES,
        detectable=True,
        tag="[V] 1-5 coding and 20-100 conversion; intermediate labels [M]",
        source=_LIKERT_SOURCE,
    ),
    Scale(
        id="numeric_1_5",
        levels=("5", "4", "3", "2", "1"),
        dont_know=(),
        positive=("5", "4"),
        scores=_LIKERT_SCORES,
        detectable=True,
        tag="[V]",
        source=_LIKERT_SOURCE,
    ),
)

SCALES: Final[Mapping[str, Scale]] = MappingProxyType({s.id: s for s in _BUILT_IN_SCALES})
"""The built-in answer scales by id, in the order of the docs page The national method, Part 4:
social recognition (read-only).

``scale="detect"`` tries the detectable ones in this order.
"""

DEFAULT_SCALE: Final = "satisfaction_5"
"""Scale used when ``scale=None`` (docs: The national method, Part 4 question 1)."""


def get_scale(scale_id: str) -> Scale:
    """Return the built-in scale ``scale_id``.

    Raises
    ------
    InvalidArgumentError
        If no built-in scale has that id (code ``unknown_value``); the message lists the ids.

    Examples
    --------
    >>> get_scale("satisfaction_5").positive_levels
    ('满意', '比较满意', '基本满意')
    """
    try:
        return SCALES[scale_id]
    except (KeyError, TypeError):
        msg = f"scale must be one of {', '.join(SCALES)}, 'detect' or a Scale; got {scale_id!r}"
        raise InvalidArgumentError(msg, code="unknown_value") from None


# ---------------------------------------------------------------------------------------------
# Respondent groups, locations and components (docs: Input tables)
# ---------------------------------------------------------------------------------------------

# The identifiers and their Chinese labels are the vocabulary's (eduequity/_vocabulary.json);
# core computes on their integer positions and only re-exports the tables.

GROUP_IDS: Final = vocabulary("respondent_groups").codes
"""Canonical respondent groups (调查对象), in the order of the docs page Input tables."""

PARENT: Final = "parent"
"""The group whose share the published designs fix at 50% (家长)."""

GROUP_ALIASES: Final[Mapping[str, str]] = vocabulary("respondent_groups").aliases
"""Chinese aliases of the respondent groups, alias -> id (docs: Input tables) [V]."""

GROUP_SEPARATORS: Final = "、,，;；/／和及与"
"""Characters that join two group names in one cell (人大代表、政协委员 -> ``ambiguous_group``)."""

LOCATION_IDS: Final = vocabulary("locations").codes
"""Canonical locations (城乡): 城区, 镇区, 乡村 (docs: Input tables)."""

LOCATION_ALIASES: Final[Mapping[str, str]] = vocabulary("locations").aliases
"""Chinese aliases of the locations, alias -> id (docs: Input tables)."""

COMPONENT_IDS: Final = vocabulary("survey_components").codes
"""Components of the two-component variant (docs: The national method, Part 4) [S]."""

COMPONENT_ALIASES: Final[Mapping[str, str]] = vocabulary("survey_components").aliases
"""Chinese aliases of the components, alias -> id (docs: Input tables)."""


# ---------------------------------------------------------------------------------------------
# Survey-design presets (docs: The national method, Part 4: social recognition)
# ---------------------------------------------------------------------------------------------

ShareTarget = tuple[tuple[str, ...], float]
"""A fixed share target: the ids it covers (summed) and their target share."""


def _tiers(values: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    return tuple((int(bound), int(size)) for bound, size in values)


def _targets(values: Iterable[tuple[Iterable[str], float]]) -> tuple[ShareTarget, ...]:
    return tuple((tuple(ids), float(share)) for ids, share in values)


@attrs.frozen(kw_only=True)
class DesignPreset(Record):
    """A published survey design (抽样方案) that :func:`check_design` compares a sample with.

    A ``None`` field means the design has no such rule, and its check is not reported. Shares
    and rates are fractions; they are compared exactly, read as their shortest decimal.
    """

    id: str
    """Stable identifier, e.g. ``"national_2024"``."""
    title: str
    """What the design is, in words."""
    tag: str
    """Confidence tag of the rules (and which tolerances are library defaults)."""
    source: str
    """Where the design is published."""
    sample_rate: float | None = None
    """Required sample as a share of the resident population (常住人口), e.g. 0.0015 (1.5‰)."""
    sample_minimum: int | None = None
    """Fixed sample size [respondents] that replaces the rate in small counties."""
    minimum_below_population: int | None = None
    """The minimum applies when the population is below this [persons]."""
    sample_tiers: tuple[tuple[int, int], ...] = attrs.field(default=(), converter=_tiers)
    """Tier table ``(lower population bound [persons], sample size)``, ascending."""
    tier_boundary: Literal["higher", "lower"] = "higher"
    """Where a population equal to a tier bound falls: the ``"higher"`` or ``"lower"`` tier."""
    parent_share_min: float | None = None
    """Minimum share of parents (家长) among respondents."""
    parent_share_enforced: bool = True
    """``False`` when the design says "in principle" (原则上): reported, not enforced."""
    other_groups_max_ratio: float | None = None
    """Largest allowed max/min count ratio among the non-parent groups ("大体相当")."""
    group_share_targets: tuple[ShareTarget, ...] = attrs.field(default=(), converter=_targets)
    """Fixed group shares (groups listed together are summed)."""
    group_share_tolerance: float | None = None
    """Allowed absolute deviation from each fixed group share."""
    location_tolerance: float | None = None
    """Allowed absolute deviation of each location's sample share from its population share."""
    location_targets: tuple[ShareTarget, ...] = attrs.field(default=(), converter=_targets)
    """Fixed location shares (locations listed together are summed), e.g. urban : rural 4 : 6."""
    student_min_grade: int | None = None
    """Lowest grade a student respondent may be in."""
    grade_max_ratio: float | None = None
    """Largest allowed max/min count ratio among the students' grades."""
    valid_return_min: float | None = None
    """Minimum valid-return rate (有效问卷回收率), valid returns over questionnaires issued."""

    def required_sample(self, resident_population: float) -> int:
        """Return the required number of respondents for a county of this population.

        Parameters
        ----------
        resident_population : float
            Resident population (常住人口) [persons], > 0.

        Returns
        -------
        int
            ``ceil(rate × population)`` (rounded up exactly, a library convention), replaced by
            ``sample_minimum`` below ``minimum_below_population``; or the tier of the population.

        Examples
        --------
        >>> get_design_preset("basic_balance_2012").required_sample(399_999)
        600
        >>> get_design_preset("national_2024").required_sample(200_000)
        300
        """
        population = to_fraction(resident_population)
        if self.sample_tiers:
            size = self.sample_tiers[0][1]
            for bound, tier_size in self.sample_tiers:
                reached = (
                    population >= bound if self.tier_boundary == "higher" else population > bound
                )
                if reached:
                    size = tier_size
            return size
        if self.sample_rate is None:
            msg = f"design preset {self.id!r} has neither a sample rate nor a tier table"
            raise InvalidArgumentError(msg, code="invalid_preset")
        required = math.ceil(to_fraction(self.sample_rate) * population)
        if (
            self.sample_minimum is not None
            and self.minimum_below_population is not None
            and population < self.minimum_below_population
        ):
            return self.sample_minimum
        return required


_NATIONAL_SOURCE: Final = (
    "http://chedu.net/2024/0918/40123.html ; "
    "http://m.peterwarnes.com/detail/302d56d14523f46a080833e7269da1dc.html"
)

_BUILT_IN_PRESETS: Final = (
    DesignPreset(
        id="national_2024",
        title="National survey for quality-balanced counties (2024 notice)",
        tag=(
            "[V] rules; rounding up, the ratio 2.0 and the tolerance 0.05 are library defaults; "
            "parents 50% is 'in principle' and reported only"
        ),
        source=_NATIONAL_SOURCE,
        sample_rate=0.0015,
        parent_share_min=0.5,
        parent_share_enforced=False,
        other_groups_max_ratio=2.0,
        location_tolerance=0.05,
        student_min_grade=STUDENT_MIN_GRADE,
        grade_max_ratio=2.0,
    ),
    DesignPreset(
        id="basic_balance_2012",
        title="Basic-balance survey (教督〔2012〕3号 as restated by provincial plans)",
        tag="[V] rules; rounding up and the ratio 2.0 are library defaults",
        source=(
            "https://www.renrendoc.com/p-73072934.html ; "
            "http://m.handmsg.com/page/2015/0311/10481109.shtml"
        ),
        sample_rate=0.0015,
        sample_minimum=600,
        minimum_below_population=400_000,
        parent_share_min=0.5,
        other_groups_max_ratio=2.0,
        valid_return_min=0.70,
    ),
    DesignPreset(
        id="preschool_jiyuan",
        title="Tiered sample of the preschool universal-access assessment (济源), as a template",
        tag=(
            "[V] tiers and shares; a boundary population goes to the higher tier and the "
            "tolerance 0.02 is a library convention"
        ),
        source="https://jyj.jiyuan.gov.cn/jyzw/jydd/t865092.html",
        sample_tiers=(
            (0, 200),
            (200_000, 300),
            (400_000, 500),
            (600_000, 700),
            (800_000, 900),
            (1_000_000, 1000),
        ),
        tier_boundary="higher",
        group_share_targets=(
            (("parent",), 0.70),
            (("teacher",), 0.20),
            (("principal",), 0.05),
            (("deputy", "cppcc_member"), 0.05),
        ),
        group_share_tolerance=0.02,
    ),
    DesignPreset(
        id="jiangsu_modernisation",
        title="Jiangsu education-modernisation satisfaction survey",
        tag=(
            "[V] sizes and urban : rural 4 : 6; town counted as urban (城镇) and the tolerance "
            "0.05 are library conventions"
        ),
        source=_JIANGSU_SOURCE,
        sample_tiers=((0, 300), (800_000, 400)),
        tier_boundary="lower",
        location_targets=((("urban", "town"), 0.4), (("rural",), 0.6)),
        location_tolerance=0.05,
    ),
)

DESIGN_PRESETS: Final[Mapping[str, DesignPreset]] = MappingProxyType(
    {preset.id: preset for preset in _BUILT_IN_PRESETS}
)
"""The built-in survey-design presets by id (read-only), docs: The national method, Part 4."""


def get_design_preset(preset_id: str) -> DesignPreset:
    """Return the built-in design preset ``preset_id``.

    Raises
    ------
    InvalidArgumentError
        If no built-in preset has that id (code ``unknown_value``); the message lists the ids.
    """
    try:
        return DESIGN_PRESETS[preset_id]
    except (KeyError, TypeError):
        known = ", ".join(DESIGN_PRESETS)
        msg = f"preset must be one of {known} or a DesignPreset; got {preset_id!r}"
        raise InvalidArgumentError(msg, code="unknown_value") from None
