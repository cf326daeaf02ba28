"""The plots of ``eduequity.report.plot``, drawn with the Agg backend and checked on their artists.

Expected values come from the demo data's description (``src/eduequity/datasets/data``
README: 示范城关第二小学 has 2.6 m² of sports ground per pupil against the primary standard
7.5) and from the rule set, not from the plotting code.
"""

import importlib
import sys

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib import pyplot as plt

import eduequity as ee
from eduequity.datasets import generate_schools
from eduequity.errors import EduEquityError, InvalidArgumentError, MissingDependencyError
from eduequity.national import RULES_2017, assess_counties
from eduequity.report import plot

mpl.use("Agg")

SPORTS = "sports_area_per_student"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(ax):
    legend = ax.get_legend()
    texts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    texts += [label.get_text() for label in ax.get_xticklabels()]
    texts += [text.get_text() for text in legend.get_texts()] if legend else []
    return texts


def _has_cjk(text):
    return any("\u4e00" <= character <= "\u9fff" for character in text)


def test_schools_of_the_demo_county_against_the_standard(demo):
    ax = plot.plot_schools(demo, SPORTS, stage="primary", labels="english")
    schools = demo.resources.schools
    primary = schools[schools["stage"] == "primary"]
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == sorted(primary[SPORTS].tolist())
    assert len(heights) == 23
    standard, floor, county = (line.get_ydata()[0] for line in ax.get_lines())
    assert standard == 7.5
    assert floor == pytest.approx(7.5 * 0.85)
    assert county == pytest.approx(
        demo.resources.indicators.loc[("primary", SPORTS), "county_value"]
    )
    # 0990010002 (2.6 m² per pupil) is the lowest bar and fails the per-school rule: red.
    assert ax.get_xticklabels()[0].get_text() == "0990010002"
    assert mpl.colors.to_hex(ax.patches[0].get_facecolor()) == "#c62828"
    # Bars at or above the standard keep the plain colour.
    assert mpl.colors.to_hex(ax.patches[-1].get_facecolor()) == "#4f7cac"


def test_a_school_exactly_at_the_standard_meets_it(demo):
    # 北镇中学 (0990010107): (4496.9 - 784.9) / 640 = 5.8 m² of teaching space per pupil, the
    # junior standard exactly (the demo data's README), though its float is a hair below.
    ax = plot.plot_schools(demo, "teaching_area_per_student", stage="junior", labels="english")
    labels = [label.get_text() for label in ax.get_xticklabels()]
    bar = ax.patches[labels.index("0990010107")]
    assert bar.get_height() == pytest.approx(5.8)
    assert mpl.colors.to_hex(bar.get_facecolor()) == "#4f7cac"


def test_schools_default_to_the_primary_stage_and_label_names_with_a_cjk_font(demo, monkeypatch):
    monkeypatch.setattr(plot, "_cjk_font", lambda: "Noto Sans CJK SC")
    ax = plot.plot_schools(demo, SPORTS)
    assert "示范县城关第二小学" in [label.get_text() for label in ax.get_xticklabels()]
    assert ax.get_title().splitlines()[0].endswith("· 小学")
    assert ax.get_title().splitlines()[1].endswith("· primary")
    # The CJK font is the fallback of every label that may hold Chinese, after the default.
    for text in [ax.title, ax.get_xticklabels()[0], *ax.get_legend().get_texts()]:
        assert text.get_fontfamily() == ["DejaVu Sans", "Noto Sans CJK SC"]


def test_without_a_cjk_font_labels_are_english_and_schools_go_by_id(demo, monkeypatch):
    monkeypatch.setattr(plot, "_cjk_font", lambda: None)
    ax = plot.plot_schools(demo, SPORTS, stage="junior")
    assert not any(_has_cjk(text) for text in _texts(ax))
    schools = demo.resources.schools
    junior_units = schools.loc[schools["stage"] == "junior", "unit_id"]
    assert sorted(label.get_text() for label in ax.get_xticklabels()) == sorted(junior_units)


def test_without_a_cjk_font_chinese_county_names_become_positions(monkeypatch):
    monkeypatch.setattr(plot, "_cjk_font", lambda: None)
    ax = plot.plot_county_cvs({"甲县": 0.62, "乙县": 0.31, "丙县": 0.4}, limit=0.5)
    # Sorted by CV: 乙县 (2nd), 丙县 (3rd), 甲县 (1st).
    assert [label.get_text() for label in ax.get_xticklabels()] == ["2", "3", "1"]
    assert not any(_has_cjk(text) for text in _texts(ax))


def test_english_labels_still_draw_chinese_names_with_an_installed_cjk_font(monkeypatch):
    monkeypatch.setattr(plot, "_cjk_font", lambda: "Noto Sans CJK SC")
    ax = plot.plot_county_cvs({"甲县": 0.62, "乙县": 0.31}, labels="english")
    assert [label.get_text() for label in ax.get_xticklabels()] == ["乙县", "甲县"]
    assert ax.get_xticklabels()[0].get_fontfamily() == ["DejaVu Sans", "Noto Sans CJK SC"]
    assert not _has_cjk(ax.get_title())


def test_schools_from_arrays_draw_the_standard_given():
    ax = plot.plot_schools([3.0, 9.0, 4.0], standard=4.5, names=["a", "b", "c"])
    assert [label.get_text() for label in ax.get_xticklabels()] == ["a", "c", "b"]
    assert [mpl.colors.to_hex(bar.get_facecolor()) for bar in ax.patches] == [
        "#e08a00",
        "#e08a00",
        "#4f7cac",
    ]
    assert [line.get_ydata()[0] for line in ax.get_lines()] == [4.5]


def test_schools_draw_on_the_axes_given(demo):
    figure, (left, right) = plt.subplots(1, 2)
    assert plot.plot_schools(demo, SPORTS, stage="primary", ax=left) is left
    assert plot.plot_schools(demo, SPORTS, stage="junior", ax=right) is right
    assert len(left.patches) == 23
    assert len(right.patches) == 15
    assert len(figure.axes) == 2


@pytest.mark.parametrize(
    ("indicator", "stage", "message"),
    [
        (None, None, "indicator=None is not a resource indicator"),
        ("students", None, "indicator='students'"),
        (SPORTS, "senior", "stage='senior' has no assessed school section"),
    ],
)
def test_schools_reject_an_unknown_indicator_or_stage(demo, indicator, stage, message):
    with pytest.raises(InvalidArgumentError, match=message):
        plot.plot_schools(demo, indicator, stage=stage)


def test_an_unknown_label_language_is_rejected():
    with pytest.raises(InvalidArgumentError, match="auto, bilingual or english"):
        plot.plot_lorenz([1, 2], labels="chinese")


def test_county_cvs_against_the_limit_of_the_stage():
    table = assess_counties(generate_schools(n_counties=6, n_schools=120, seed=3))
    ax = plot.plot_county_cvs(
        table, stage="junior", indicators=[SPORTS, "multimedia_rooms_per_100"]
    )
    junior = table.xs("junior", level="stage")
    worst = (
        junior[[f"cv_{SPORTS}", "cv_multimedia_rooms_per_100"]]
        .max(axis=1)
        .sort_values(kind="stable")
    )
    assert [label.get_text() for label in ax.get_xticklabels()] == list(worst.index)
    sports = ax.collections[0].get_offsets()
    assert sports[:, 0].tolist() == list(range(6))
    assert sports[:, 1].tolist() == junior.loc[worst.index, f"cv_{SPORTS}"].tolist()
    assert [line.get_ydata()[0] for line in ax.get_lines()] == [
        RULES_2017.number("resource.cv_limit.junior")
    ]
    # A CV above the limit is edged red; one within it has no edge.
    edges = ax.collections[0].get_edgecolors()
    above = sports[:, 1] > 0.45
    assert (edges[:, 3] > 0).tolist() == above.tolist()


def test_county_cvs_of_every_indicator_by_default():
    table = assess_counties(generate_schools(n_counties=3, n_schools=40, seed=5))
    ax = plot.plot_county_cvs(table, labels="english")
    assert len(ax.collections) == 7
    assert ax.get_title().endswith("primary")


def test_county_cvs_reject_an_indicator_the_table_lacks():
    table = assess_counties(generate_schools(n_counties=2, n_schools=20, seed=5))
    with pytest.raises(InvalidArgumentError, match=r"\['pupils'\] have no CV column"):
        plot.plot_county_cvs(table, indicators=["pupils"])


def test_county_cvs_from_an_array_without_a_limit_draw_no_line():
    ax = plot.plot_county_cvs(np.array([0.3, 0.1, 0.2]))
    assert ax.collections[0].get_offsets()[:, 1].tolist() == [0.1, 0.2, 0.3]
    assert ax.get_lines() == []


def test_lorenz_curve_encloses_the_gini_of_the_core():
    values = np.array([279 / 45, 137 / 37, 935 / 89, 160 / 76, 402 / 55])
    pupils = np.array([45, 37, 89, 76, 55])
    ax = plot.plot_lorenz({"books": values}, {"books": pupils})
    x, y = ax.get_lines()[1].get_data()
    assert (x[0], y[0], x[-1], y[-1]) == (0.0, 0.0, 1.0, 1.0)
    assert np.all(np.diff(y) >= 0)
    area_under = np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2)
    assert 1 - 2 * area_under == pytest.approx(ee.gini(values, weights=pupils).value, abs=1e-12)
    assert (
        f"{ee.gini(values, weights=pupils).value:.3f}" in ax.get_legend().get_texts()[1].get_text()
    )


def test_lorenz_curve_of_equal_values_is_the_diagonal():
    x, y = plot._lorenz_points([2.0, 2.0, 2.0, 2.0])
    assert np.allclose(x, y)


def test_lorenz_rejects_what_gini_rejects():
    with pytest.raises(EduEquityError, match="negative"):
        plot.plot_lorenz([1.0, -1.0])


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plot.plot_lorenz([1.0, 2.0]),
        lambda: plot.plot_county_cvs({"甲县": 0.3}, limit=0.5),
        lambda: plot.plot_schools([5.0, 6.0], "sports_area_per_student", standard=5.5),
    ],
)
def test_missing_matplotlib_names_the_extra(monkeypatch, draw):
    # no part of matplotlib can be imported, as in an installation without the extra
    for name in [name for name in sys.modules if name.startswith("matplotlib")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    for cached in (plot._cjk_font, plot._default_family):
        cached.cache_clear()
    with pytest.raises(MissingDependencyError) as caught:
        draw()
    assert 'python -m pip install "eduequity[plot]"' in str(caught.value)
    assert isinstance(caught.value, ImportError)
    assert caught.value.code == "missing_dependency"


def test_the_report_package_imports_without_matplotlib(monkeypatch):
    for name in [name for name in sys.modules if name.startswith(("matplotlib", "eduequity"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    importlib.import_module("eduequity.report")
    importlib.import_module("eduequity.report.plot")
