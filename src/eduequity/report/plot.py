"""Plots of assessments and distributions with matplotlib (the optional ``plot`` extra).

- :func:`plot_schools` — each school of a county against the standard of one indicator, with
  the 85% floor and the county value (资源配置, per-school rule);
- :func:`plot_county_cvs` — the coefficients of variation (差异系数) of many counties against
  the limit of their stage;
- :func:`plot_lorenz` — Lorenz curves (洛伦兹曲线) with their Gini coefficients.

Each function draws on one :class:`matplotlib.axes.Axes` (``ax=``, or a new figure through
:mod:`matplotlib.pyplot`) and returns it, so plots combine into any layout and show in
notebooks and galleries. matplotlib is imported only when a function is called; without it
the call raises :class:`~eduequity.errors.MissingDependencyError`. Install it with
``python -m pip install "eduequity[plot]"``.

Labels are Chinese with English beside them (``"标准 standard"``) when a CJK font is
installed (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei, SimHei, PingFang,
...); without one they are English only, schools are labelled by id and other names that
need the missing font (counties) by their position, so no label turns into boxes. Names from
the data are drawn with the CJK font whenever one is installed. ``labels="english"`` or
``labels="bilingual"`` overrides the choice of language.

This module lives in :mod:`eduequity.report` beside the text and HTML renderers (rendering
is the report layer's job) but is not imported by it: ``import eduequity.report`` needs no
matplotlib.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple

import numpy as np
import pandas as pd

from eduequity.core.inequality import gini
from eduequity.errors import InvalidArgumentError, InvalidTypeError, MissingDependencyError
from eduequity.national.assessment import CountyAssessment
from eduequity.national.indicators import INDICATORS
from eduequity.national.rules import RuleSet
from eduequity.report._county import resolve_rules
from eduequity.report._format import STAGE_TITLES

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from eduequity._typing import ArrayLike1D

__all__ = ["CJK_FONTS", "LabelLanguage", "plot_county_cvs", "plot_lorenz", "plot_schools"]

LabelLanguage = Literal["auto", "bilingual", "english"]
"""``"bilingual"``: Chinese with English beside it; ``"english"``; ``"auto"``: bilingual
when a font of :data:`CJK_FONTS` is installed, else English."""

CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Droid Sans Fallback",
)
"""Fonts searched, in order, for Chinese labels; the first one installed is used as the
fallback after matplotlib's default font (which draws the Latin letters and digits)."""

INSTALL_HINT: Final = (
    'install it with: python -m pip install "matplotlib>=3.8" '
    '(the same as the "plot" extra: python -m pip install "eduequity[plot]")'
)

_COLORS: Final = {
    "bar": "#4f7cac",
    "below": "#e08a00",
    "fail": "#c62828",
    "standard": "#1b7a3a",
    "mean": "#37474f",
}
_STAGE_ORDER: Final = tuple(STAGE_TITLES)
"""Stages in the order of the vocabulary: primary, junior, senior."""
_LAST_WESTERN: Final = 0x2FFF
"""Last code point before the CJK blocks: matplotlib's default font draws the ones below."""


# -- matplotlib, fonts and words --------------------------------------------------------------


def _matplotlib(module: str = "matplotlib") -> Any:  # noqa: ANN401 - a matplotlib module
    """Import a module of matplotlib, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        msg = f"plotting needs matplotlib; {INSTALL_HINT}"
        raise MissingDependencyError(msg) from error


def _pyplot() -> Any:  # noqa: ANN401 - the matplotlib.pyplot module
    """Import :mod:`matplotlib.pyplot`, or say how to install it."""
    return _matplotlib("matplotlib.pyplot")


@functools.cache
def _cjk_font() -> str | None:
    """Return the first installed font of :data:`CJK_FONTS`, or ``None``."""
    font_manager = _matplotlib("matplotlib.font_manager")
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


@functools.cache
def _default_family() -> list[str]:
    return list(_matplotlib().rcParamsDefault["font.sans-serif"])


class _Words:
    """Label text in the chosen language, and the font family that draws it."""

    def __init__(self, labels: str) -> None:
        if labels not in {"auto", "bilingual", "english"}:
            msg = f"labels={labels!r} is not a label language; choose auto, bilingual or english"
            raise InvalidArgumentError(msg)
        font = _cjk_font()
        self.bilingual = font is not None if labels == "auto" else labels == "bilingual"
        # Latin letters and digits from matplotlib's default font, Chinese from the fallback
        # (per-glyph fallback, matplotlib >= 3.6). Set on each text, so it holds when the
        # figure is drawn later, outside this call. Names from the data (schools, counties)
        # get it whenever a CJK font is installed, whatever the language of the labels.
        self.family = [*_default_family()[:1], font] if font else None

    def names(self, names: Sequence[str]) -> list[str]:
        """Return ``names``, or their positions 1, 2, ... when they need a font not installed."""
        if self.family is None and any(ord(c) > _LAST_WESTERN for name in names for c in name):
            return [str(position + 1) for position in range(len(names))]
        return list(names)

    def apply(self, axes: Axes) -> None:
        """Give every label of ``axes`` that may hold Chinese the family with the CJK font."""
        if self.family is None:
            return
        legend = axes.get_legend()
        texts = [*axes.get_xticklabels()]
        if self.bilingual:
            texts += [axes.title, axes.xaxis.label, axes.yaxis.label]
            texts += legend.get_texts() if legend is not None else []
        for text in texts:
            text.set_fontfamily(self.family)

    def __call__(self, zh: str, en: str) -> str:
        return f"{zh} {en}" if self.bilingual and zh else en

    def stage(self, stage: str) -> str:
        zh, en = STAGE_TITLES.get(stage, ("", stage))
        return self(zh, en)

    def indicator(
        self, indicator: str, *, short: bool = False, suffix: tuple[str, str] = ("", "")
    ) -> str:
        """Code and name; ``short``: the code and one name only; ``suffix``: (zh, en) added."""
        known = INDICATORS.get(indicator)
        if known is None:
            return indicator
        code = f"{known.code} " if known.code else ""
        zh, en = known.title_zh + suffix[0], known.title_en + suffix[1]
        if short:
            return code + (zh if self.bilingual else en)
        # Two lines when bilingual: the names are long, and panels sit side by side.
        return f"{code}{zh}\n{en}" if self.bilingual else code + en


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _figure, new = _pyplot().subplots(figsize=size, layout="constrained")
    return new  # type: ignore[no-any-return]


def _vector(values: object, name: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        msg = f"{name} must be numbers; got {type(values).__name__}"
        raise InvalidTypeError(msg) from error
    if array.ndim != 1:
        msg = f"{name} must be one-dimensional; got shape {array.shape}"
        raise InvalidArgumentError(msg)
    return array


def _pick_stage(stage: str | None, present: Sequence[str]) -> str:
    if stage is None:
        ordered = [s for s in _STAGE_ORDER if s in present] + [
            s for s in present if s not in _STAGE_ORDER
        ]
        if not ordered:
            msg = "the result has no assessed school section in any stage"
            raise InvalidArgumentError(msg)
        return ordered[0]
    if stage not in present:
        msg = f"stage={stage!r} has no assessed school section; choose one of {sorted(present)}"
        raise InvalidArgumentError(msg)
    return stage


def _rule(rules: RuleSet | None, key: str) -> float | None:
    return rules.number(key) if rules is not None and key in rules else None


# -- schools against the standard -------------------------------------------------------------


def plot_schools(
    result: CountyAssessment | ArrayLike1D,
    indicator: str | None = None,
    *,
    stage: str | None = None,
    standard: float | None = None,
    floor_ratio: float | None = None,
    names: Sequence[str] | None = None,
    rules: RuleSet | None = None,
    labels: LabelLanguage = "auto",
    ax: Axes | None = None,
) -> Axes:
    """Draw each school's value of one indicator against the standard (学校达标情况).

    One bar per school section, sorted by value, with the standard, the 85% floor of the
    per-school rule and the enrolment-weighted county value as horizontal lines. Bars below
    the standard are amber, and red when the section fails the per-school rule.

    Parameters
    ----------
    result : CountyAssessment or array_like
        A county's assessment (:func:`eduequity.national.assess_county`), or the values of
        the schools [unit of the indicator].
    indicator : str
        The resource indicator's id (``"sports_area_per_student"``); required with an
        assessment.
    stage : {"primary", "junior"}, optional
        The stage drawn; default the first stage assessed (``"primary"``, then ``"junior"``).
    standard, floor_ratio : float, optional
        The standard and the floor ratio. With an assessment they come from its rule set;
        with arrays they are drawn when given.
    names : sequence of str, optional
        Labels of the schools given as an array; default their positions.
    rules : RuleSet, optional
        The rule set of the assessment, when it is not a registered one (with own overlays).
    labels : {"auto", "bilingual", "english"}, optional
        Language of the labels (see the module's description).
    ax : matplotlib.axes.Axes, optional
        The axes drawn on; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes: one bar container, then the lines of the standard, the floor and the county
        value, each with its label in the legend.

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.
    InvalidArgumentError
        An unknown indicator, stage or label language, or no indicator with an assessment.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from eduequity.report.plot import plot_schools
    >>> ax = plot_schools([4.0, 6.0, 5.0], standard=4.5, floor_ratio=0.85, labels="english")
    >>> [float(bar.get_height()) for bar in ax.patches]
    [4.0, 5.0, 6.0]
    """
    words = _Words(labels)
    title = ""
    county_value: float | None = None
    if isinstance(result, CountyAssessment):
        stage, values, names, below, failing, county_value = _schools_of(
            result, indicator, stage, words
        )
        rules = rules if rules is not None else resolve_rules(result.rules)
        standard = _rule(rules, f"resource.standard.{stage}.{indicator}")
        floor_ratio = _rule(rules, "resource.floor_ratio")
        zh_stage, en_stage = STAGE_TITLES.get(stage, ("", stage))
        title = words.indicator(str(indicator), suffix=(f" · {zh_stage}", f" · {en_stage}"))
    else:
        values = _vector(result, "values")
        names = (
            words.names(list(names))
            if names is not None
            else [str(i + 1) for i in range(values.size)]
        )
        if len(names) != values.size:
            msg = f"names has {len(names)} entries for {values.size} values"
            raise InvalidArgumentError(msg)
        below = values < standard if standard is not None else np.zeros(values.size, bool)
        failing = np.zeros(values.size, dtype=bool)
        if indicator is not None:
            title = words.indicator(indicator)
    order = np.argsort(values, kind="stable")
    colors = np.where(failing, _COLORS["fail"], np.where(below, _COLORS["below"], _COLORS["bar"]))
    axes = _axes(ax, (max(6.0, 0.3 * values.size + 2.0), 4.0))
    axes.bar(
        np.arange(values.size),
        values[order],
        color=list(colors[order]),
        tick_label=[names[i] for i in order],
    )
    axes.tick_params(axis="x", labelrotation=90, labelsize="small")
    if standard is not None:
        axes.axhline(
            standard, color=_COLORS["standard"], label=f"{words('标准', 'standard')} {standard:g}"
        )
        if floor_ratio is not None:
            axes.axhline(
                standard * floor_ratio,
                color=_COLORS["fail"],
                linestyle="--",
                label=f"{words('底线', 'floor')} {floor_ratio:.0%}",
            )
    if county_value is not None:
        axes.axhline(
            county_value,
            color=_COLORS["mean"],
            linestyle=":",
            label=f"{words('县域值', 'county')} {county_value:.3g}",
        )
    if title:
        axes.set_title(title)
    if axes.get_lines():
        # The bars rise from left to right: the upper left corner is free.
        axes.legend(loc="upper left", fontsize="small")
    words.apply(axes)
    return axes


class _Schools(NamedTuple):
    stage: str
    values: np.ndarray[Any, np.dtype[np.float64]]
    names: list[str]
    below: np.ndarray[Any, np.dtype[np.bool_]]
    """Below the standard of the stage, as the result decided it."""
    failing: np.ndarray[Any, np.dtype[np.bool_]]
    """Below the standard, in a section that fails the per-school rule."""
    county_value: float


def _schools_of(
    assessment: CountyAssessment, indicator: str | None, stage: str | None, words: _Words
) -> _Schools:
    schools = assessment.resources.schools
    if indicator is None or indicator not in schools.columns or indicator not in INDICATORS:
        known = [k for k in INDICATORS if k in schools.columns]
        msg = (
            f"indicator={indicator!r} is not a resource indicator of the result; "
            f"choose one of {known}"
        )
        raise InvalidArgumentError(msg)
    stage = _pick_stage(stage, list(pd.unique(schools["stage"])))
    rows = schools[schools["stage"] == stage]
    values = rows[indicator].to_numpy(dtype=np.float64)
    label_column = "school_name" if words.bilingual and "school_name" in rows else "unit_id"
    names = [str(name) for name in rows[label_column].fillna(rows["unit_id"])]
    passed = rows["passed"].to_numpy(dtype=bool) if "passed" in rows else np.ones(values.size, bool)
    # The result's own decision, made exactly: a value equal to its standard meets it even
    # where its float is a hair below (5.8 m² computed as 5.7999...).
    unmet = rows["unmet"] if "unmet" in rows else pd.Series([()] * len(rows))
    below = np.array([indicator in missed for missed in unmet], dtype=bool)
    indicators = assessment.resources.indicators
    county_value = float(
        indicators["county_value"].to_numpy()[indicators.index.get_loc((stage, indicator))]
    )
    return _Schools(stage, values, names, below, below & ~passed, county_value)


# -- county CVs against their limits ----------------------------------------------------------


def plot_county_cvs(
    counties: pd.DataFrame | Mapping[str, float] | ArrayLike1D,
    *,
    stage: str | None = None,
    indicators: Sequence[str] | None = None,
    limit: float | None = None,
    rules: RuleSet | None = None,
    labels: LabelLanguage = "auto",
    ax: Axes | None = None,
) -> Axes:
    """Draw the coefficients of variation of many counties against their limit (差异系数).

    One column per county, sorted by its largest CV, with one marker per indicator; markers
    above the limit of the stage are drawn red-edged, and the limit is a horizontal line.

    Parameters
    ----------
    counties : pandas.DataFrame, mapping or array_like
        The table of :func:`eduequity.national.assess_counties` (index ``county``, ``stage``;
        columns ``cv_<indicator>``), or one CV per county as a mapping from county to CV or
        an array [dimensionless].
    stage : {"primary", "junior"}, optional
        The stage drawn from a table; default the first stage present.
    indicators : sequence of str, optional
        The indicators drawn from a table; default all of them.
    limit : float, optional
        The limit. From a table it is read from the rule set the table records (or
        ``rules``); with a mapping or array it is drawn when given.
    rules : RuleSet, optional
        The rule set of the table, when it is not a registered one.
    labels : {"auto", "bilingual", "english"}, optional
        Language of the labels.
    ax : matplotlib.axes.Axes, optional
        The axes drawn on; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes: one marker collection per indicator (x = county position, y = CV), then
        the limit line.

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.
    InvalidArgumentError
        A stage or indicator the table does not hold.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from eduequity.report.plot import plot_county_cvs
    >>> ax = plot_county_cvs({"甲县": 0.62, "乙县": 0.31}, limit=0.5, labels="english")
    >>> ax.collections[0].get_offsets().tolist()
    [[0.0, 0.31], [1.0, 0.62]]
    """
    words = _Words(labels)
    series, names, limit, stage = _cv_series(counties, stage, indicators, limit, rules, words)
    matrix = np.column_stack([values for _label, values in series])
    order = np.argsort(np.nanmax(matrix, axis=1), kind="stable")
    positions = np.arange(order.size, dtype=np.float64)
    axes = _axes(ax, (max(6.0, 0.25 * order.size + 2.0), 4.0))
    for label, values in series:
        sorted_values = values[order]
        above = sorted_values > limit if limit is not None else np.zeros(order.size, bool)
        axes.scatter(
            positions,
            sorted_values,
            label=label,
            edgecolors=np.where(above, _COLORS["fail"], "none").tolist(),
            linewidths=1.5,
            zorder=3,
        )
    if limit is not None:
        axes.axhline(limit, color=_COLORS["fail"], label=f"{words('限值', 'limit')} {limit:g}")
    axes.set_xticks(positions, [names[i] for i in order])
    axes.tick_params(axis="x", labelrotation=90, labelsize="small")
    axes.set_ylabel(words("差异系数", "coefficient of variation"))
    axes.set_title(
        words("县域校际差异系数", "Inter-school CV by county")
        + (f" · {words.stage(stage)}" if stage else "")
    )
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    words.apply(axes)
    return axes


_Series = list[tuple[str, np.ndarray[Any, np.dtype[np.float64]]]]


def _cv_series(  # noqa: PLR0917 - a private step of plot_county_cvs, its options in order
    counties: object,
    stage: str | None,
    indicators: Sequence[str] | None,
    limit: float | None,
    rules: RuleSet | None,
    words: _Words,
) -> tuple[_Series, list[str], float | None, str]:
    if isinstance(counties, pd.DataFrame):
        return _cv_table_series(counties, stage, indicators, rules, words)
    if isinstance(counties, Mapping):
        names = words.names([str(name) for name in counties])
        values = _vector(list(counties.values()), "counties")
    else:
        values = _vector(counties, "counties")
        names = [str(i + 1) for i in range(values.size)]
    return [(words("差异系数", "CV"), values)], names, limit, stage or ""


def _cv_table_series(
    table: pd.DataFrame,
    stage: str | None,
    indicators: Sequence[str] | None,
    rules: RuleSet | None,
    words: _Words,
) -> tuple[_Series, list[str], float | None, str]:
    if list(table.index.names) != ["county", "stage"]:
        msg = "counties must be the table of assess_counties (index county, stage)"
        raise InvalidArgumentError(msg)
    available = [str(c).removeprefix("cv_") for c in table.columns if str(c).startswith("cv_")]
    chosen = list(indicators) if indicators is not None else available
    unknown = [k for k in chosen if k not in available]
    if unknown:
        msg = f"indicators {unknown} have no CV column in the table; choose from {available}"
        raise InvalidArgumentError(msg)
    stage = _pick_stage(stage, list(pd.unique(table.index.get_level_values("stage"))))
    rows = table.xs(stage, level="stage")
    if rules is None:
        audit = table.attrs.get("eduequity")
        identity = getattr(audit, "rules", None)
        rules = resolve_rules(identity) if isinstance(identity, Mapping) else None
    series = [
        (words.indicator(k, short=True), rows[f"cv_{k}"].to_numpy(dtype=np.float64)) for k in chosen
    ]
    names = words.names([str(county) for county in rows.index])
    return series, names, _rule(rules, f"resource.cv_limit.{stage}"), stage


# -- Lorenz curves ----------------------------------------------------------------------------


def plot_lorenz(
    values: ArrayLike1D | Mapping[str, ArrayLike1D],
    weights: ArrayLike1D | Mapping[str, ArrayLike1D] | None = None,
    *,
    labels: LabelLanguage = "auto",
    ax: Axes | None = None,
) -> Axes:
    r"""Draw Lorenz curves (洛伦兹曲线), each labelled with its Gini coefficient.

    The curve joins :math:`(0, 0)` and the points :math:`(F_i / W, S_i / S)` of the units
    sorted by value, where :math:`F_i` is the cumulative weight (e.g. pupils) and
    :math:`S_i` the cumulative weighted value (e.g. yuan), so twice the area between the
    diagonal and the curve is the Gini coefficient of :func:`eduequity.gini`.

    Parameters
    ----------
    values : array_like or mapping of str to array_like
        One value per unit [any unit, non-negative]; a mapping draws one curve per entry.
    weights : array_like or mapping of str to array_like, optional
        Weights of the units (enrolment [pupils]), shaped like ``values``; default 1 each.
    labels : {"auto", "bilingual", "english"}, optional
        Language of the labels.
    ax : matplotlib.axes.Axes, optional
        The axes drawn on; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes: the equality diagonal first, then one line per curve.

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.
    InvalidValueError
        Values or weights :func:`eduequity.gini` rejects (negative, NaN, all-zero weights).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from eduequity.report.plot import plot_lorenz
    >>> ax = plot_lorenz([1.0, 3.0], labels="english")
    >>> ax.get_lines()[1].get_xydata().tolist()
    [[0.0, 0.0], [0.5, 0.25], [1.0, 1.0]]
    """
    words = _Words(labels)
    if isinstance(values, Mapping):
        if weights is not None and not isinstance(weights, Mapping):
            msg = "weights must be a mapping with the same keys as values"
            raise InvalidTypeError(msg)
        curves = [
            (str(name), v, None if weights is None else weights[name]) for name, v in values.items()
        ]
    else:
        if isinstance(weights, Mapping):
            msg = "weights must be an array when values is an array"
            raise InvalidTypeError(msg)
        curves = [("", values, weights)]
    axes = _axes(ax, (5.0, 5.0))
    axes.plot(
        [0, 1], [0, 1], color=_COLORS["mean"], linestyle=":", label=words("完全平等", "equality")
    )
    for name, curve_values, curve_weights in curves:
        coefficient = gini(curve_values, weights=curve_weights).value
        x, y = _lorenz_points(curve_values, curve_weights)
        prefix = f"{name}: " if name else ""
        axes.plot(x, y, label=f"{prefix}{words('基尼系数', 'Gini')} {coefficient:.3f}")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_aspect("equal")
    axes.set_xlabel(words("累计人数比例", "cumulative share of units (weighted)"))
    axes.set_ylabel(words("累计数值比例", "cumulative share of the total"))
    axes.set_title(words("洛伦兹曲线", "Lorenz curve"))
    axes.legend(loc="upper left", fontsize="small")
    words.apply(axes)
    return axes


def _lorenz_points(
    values: ArrayLike1D, weights: ArrayLike1D | None = None
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]:
    """Return the points of the Lorenz curve, from ``(0, 0)`` to ``(1, 1)``.

    Values are checked as :func:`eduequity.gini` checks them, which is called first.
    """
    x = _vector(values, "values")
    w = np.ones_like(x) if weights is None else _vector(weights, "weights")
    order = np.argsort(x, kind="stable")
    cumulative_weight = np.concatenate(([0.0], np.cumsum(w[order])))
    cumulative_total = np.concatenate(([0.0], np.cumsum(w[order] * x[order])))
    return cumulative_weight / cumulative_weight[-1], cumulative_total / cumulative_total[-1]
