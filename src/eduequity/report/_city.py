"""The report of a city assessment (市域统筹), from the register to the three growths (private).

Sections, each present when the assessment has it: the register (创建进展), the projection
(目标预测), the city-wide resource figures (市域资源配置差异) with the per-school rule by county,
the urban–rural comparison (城乡比较), the problem list per county and item (逐县逐项问题清单),
the three growths of funding (经费三个增长), the published figures (发布数据), the social
recognition of every county (各县社会认可度), the wealth neutrality across counties (财政中性)
and the warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from eduequity._frames import ordered_records
from eduequity._validation import is_missing
from eduequity.city import FUNDING_SERIES, STATUS_LABELS, THREE_GROWTHS
from eduequity.city.comparison import PART_LABELS
from eduequity.city.register import PROGRAM_LABELS
from eduequity.city.urban_rural import LOCATION_LABELS
from eduequity.national.indicators import INDICATORS
from eduequity.report._county import warning_blocks
from eduequity.report._document import (
    Block,
    Cell,
    Column,
    Document,
    Entries,
    Entry,
    Fields,
    Heading,
    Paragraph,
    Table,
    Title,
)
from eduequity.report._format import DASH, percent, status_label, yes_no
from eduequity.report._words import english, label, readable

if TYPE_CHECKING:
    from eduequity.city import (
        CityAssessment,
        CityDisparity,
        CityWealthNeutrality,
        CompletionProjection,
        CountyMatrix,
        CountyRecognition,
        FundingGrowth,
        PublishedFigures,
        UrbanRuralComparison,
    )

_TITLE_ZH: Final = "市域统筹"
_TITLE_EN: Final = "City-wide coordination"


def _stage(stage: object) -> str:
    if stage == "all":
        return "合计 all"
    return label(str(stage)) if stage else DASH


def _indicator(indicator: str) -> str:
    """``L5 生均体育运动场馆面积 sports ground and hall area per pupil``."""
    if indicator == "school_rule":
        return "每校达标 per-school rule"
    definition = INDICATORS.get(indicator)
    if definition is None:
        return label(indicator)
    return f"{definition.code or ''} {definition.title_zh} {definition.title_en}".strip()


def _number(value: object, decimals: int = 3) -> str:
    return DASH if is_missing(value) else f"{float(value):.{decimals}f}"  # type: ignore[arg-type]


def _flag(flag: bool | None) -> str:
    return "— 无定义 undefined" if flag is None else yes_no(flag)


def _table(caption: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> Block:
    if not rows:
        return Paragraph(text=f"{caption}: 无 none")
    return Table(
        caption=caption,
        columns=tuple(columns),
        rows=tuple(tuple(Cell(text=text) for text in row) for row in rows),
    )


def _register_blocks(result: CityAssessment) -> list[Block]:
    summary = result.register
    rows = [
        [
            f"{STATUS_LABELS.get(str(status), '')} {english(str(status))}".strip(),
            str(int(record["count"])),
            percent(record["share"]),
            DASH if pd.isna(record["count_at_least"]) else str(int(record["count_at_least"])),
            percent(record["share_at_least"]),
        ]
        for status, record in zip(
            summary.by_status.index, summary.by_status.to_dict("records"), strict=True
        )
    ]
    blocks: list[Block] = [
        Heading(
            level=1,
            text=f"创建进展 Register ({summary.n_units} 个单位 units)",
            anchor="register",
        ),
        _table(
            "按状态 By status",
            (
                Column(title="状态 Status", wrap=True),
                Column(title="数量 Count", align="right"),
                Column(title="占比 Share", align="right"),
                Column(title="至少达到 At least", align="right"),
                Column(title="占比 Share at least", align="right"),
            ),
            rows,
        ),
        Fields(
            title="",
            items=(
                ("分母 Denominator", english(str(summary.denominator))),
                (
                    "全域通过国家认定 Whole city recognised",
                    f"{_flag(summary.whole_city_recognized)}; 尚未 not yet: "
                    + (", ".join(summary.missing_recognized) or DASH),
                ),
                (
                    "整市域通过省级督导评估 Whole city provincially assessed",
                    f"{_flag(summary.whole_city_provincial)}; 尚未 not yet: "
                    + (", ".join(summary.missing_provincial) or DASH),
                ),
                ("先行创建县 Pioneers", ", ".join(summary.pioneers) or DASH),
            ),
        ),
    ]
    timeline = summary.timeline
    if len(timeline):
        blocks.append(
            _table(
                "认定时间线 Recognitions by year and batch",
                (
                    Column(title="年度 Year"),
                    Column(title="批次 Batch"),
                    Column(title="单位 Units", wrap=True),
                    Column(title="数量 Count", align="right"),
                    Column(title="累计 Cumulative", align="right"),
                ),
                [
                    [
                        str(record["year"]),
                        str(record["batch"] or DASH),
                        str(record["counties"]),
                        str(record["count"]),
                        str(record["cumulative"]),
                    ]
                    for record in timeline.to_dict("records")
                ],
            )
        )
    return blocks


def _projection_blocks(projection: CompletionProjection) -> list[Block]:
    target = projection.target
    deadline = str(target.deadline)
    if target.deadline_latest is not None:
        deadline += f"–{target.deadline_latest}"
    status = f"{STATUS_LABELS.get(target.status, '')} {english(target.status)}".strip()
    on_track = _flag(projection.on_track)
    if target.deadline_latest is not None:
        on_track += f"; 最迟 latest end: {_flag(projection.on_track_latest)}"
    items = [
        (
            "目标 Target",
            f"{percent(target.share, 0)} 的单位达到 of units at or beyond {status}, {deadline}",
        ),
        (
            f"现状 Now ({projection.as_of})",
            f"{projection.count} / {projection.n_units}; 尚余 remaining {projection.remaining}",
        ),
        (
            "速度 Pace",
            (
                f"{projection.pace:.3f} 个/年 units a year, {projection.window} 年 years "
                f"({projection.count_window_start} → {projection.count})"
            ),
        ),
        ("预计年份 Projected year", str(projection.projected_year or "— 速度为 0 pace 0")),
        ("按期 On track", on_track),
        ("所需速度 Required pace", f"{_number(projection.required_pace)} 个/年 units a year"),
        (
            "下一年 Next year",
            (
                f"{projection.pipeline_next:g} 个单位 units "
                f"(p = {projection.pipeline_probability:g}, 乐观 optimistic)"
            ),
        ),
    ]
    blocks: list[Block] = [
        Heading(
            level=1,
            text=f"目标预测 Projection: {projection.label}",
            anchor="projection",
        ),
        Fields(title="", items=tuple(items)),
    ]
    if projection.assumptions:
        blocks.append(
            Entries(
                title="假设 Assumptions",
                items=tuple(Entry(head=readable(text)) for text in projection.assumptions),
            )
        )
    return blocks


def _resource_blocks(disparity: CityDisparity) -> list[Block]:
    shares = disparity.decompositions["between_share"].unstack("measure")
    city = disparity.city.join(shares.add_prefix("between_"), how="left")
    blocks: list[Block] = [
        Heading(level=1, text="市域资源配置差异 City-wide resource figures", anchor="resources"),
        Paragraph(
            text="市域差异系数仅作描述，限值适用于各县。The city CV is descriptive; the limit "
            "applies to each county. 县际占比 Between share = the between-county part of "
            "GE(2) = CV²/2, and of Theil's T."
        ),
        _table(
            "市域指标 City figures",
            (
                Column(title="学段 Stage"),
                Column(title="指标 Indicator", wrap=True),
                Column(title="均值 Mean", align="right"),
                Column(title="差异系数 City CV", align="right"),
                Column(title="县际 GE(2) Between", align="right"),
                Column(title="县际 Theil Between", align="right"),
                Column(title="达标县 Counties ≤ limit", align="right"),
            ),
            [
                [
                    _stage(record["stage"]),
                    _indicator(str(record["indicator"])),
                    _number(record["mean"]),
                    _number(record["cv"]),
                    percent(record.get("between_ge2")),
                    percent(record.get("between_theil")),
                    f"{int(record['counties_meeting_limit'])}/{int(record['counties_assessed'])}",
                ]
                for record in ordered_records(city, disparity.indicator_ids)
            ],
        ),
    ]
    attainment = disparity.attainment
    if len(attainment):
        rows = [
            [
                str(record["county"]),
                _stage(record["stage"]),
                f"{int(record['units_passed'])}/{int(record['n_units'])}",
                percent(record["unit_pass_share"]),
                percent(record["pupil_pass_share"]),
                str(record["rank"]),
            ]
            for record in ordered_records(attainment)
        ]
        rows += [
            [
                "全市 city",
                _stage(record["stage"]),
                f"{int(record['units_passed'])}/{int(record['n_units'])}",
                percent(record["unit_pass_share"]),
                percent(record["pupil_pass_share"]),
                "",
            ]
            for record in ordered_records(disparity.city_attainment)
        ]
        blocks.append(
            _table(
                "每校达标 Per-school rule by county",
                (
                    Column(title="县 County", wrap=True),
                    Column(title="学段 Stage"),
                    Column(title="通过单元 Units passed", align="right"),
                    Column(title="单元占比 Unit share", align="right"),
                    Column(title="学生占比 Pupil share", align="right"),
                    Column(title="排名 Rank", align="right"),
                ),
                rows,
            )
        )
    return blocks


def _location(code: object) -> str:
    return f"{LOCATION_LABELS.get(str(code), '')} {english(str(code))}".strip()


def _parity(record: Mapping[Any, Any]) -> str:
    if record["status"] != "ok":
        return status_label(str(record["status"]))
    return "均等 parity" if record["parity"] else f"{english(str(record['position']))} 区间 band"


def _urban_rural_blocks(comparison: UrbanRuralComparison, ids: Sequence[str]) -> list[Block]:
    blocks: list[Block] = [
        Heading(level=1, text="城乡比较 Urban–rural comparison", anchor="urban-rural")
    ]
    if comparison.location_missing:
        blocks.append(
            Paragraph(
                text=f"{comparison.location_missing} 个单元无城乡分类，未计入 units without a "
                "location are left out",
                tone="warn",
            )
        )
    indicators = list(ids) or list(
        dict.fromkeys(comparison.means.index.get_level_values("indicator"))
    )
    blocks.append(
        _table(
            "城乡比值 Ratios",
            (
                Column(title="学段 Stage"),
                Column(title="指标 Indicator", wrap=True),
                Column(title="比较 Pair", wrap=True),
                Column(title="比值 Ratio", align="right"),
                Column(title="均等指数 Parity index", align="right"),
                Column(title="均等 Parity", wrap=True),
            ),
            [
                [
                    _stage(record["stage"]),
                    _indicator(str(record["indicator"])),
                    f"{_location(record['focus'])} / {_location(record['reference'])}",
                    _number(record["ratio"]),
                    _number(record["adjusted_parity_index"]),
                    _parity(record),
                ]
                for record in ordered_records(comparison.ratios, indicators, comparison.pairs)
            ],
        )
    )
    qualification = comparison.qualification_ratios
    if len(qualification):
        blocks.append(
            _table(
                "本科及以上学历专任教师占比 Bachelor-or-above share of full-time teachers",
                (
                    Column(title="学段 Stage"),
                    Column(title="比较 Pair", wrap=True),
                    Column(title="比较方 Focus share", align="right"),
                    Column(title="参照方 Reference share", align="right"),
                    Column(title="公布值 Published", align="right"),
                    Column(title="均等 Parity", wrap=True),
                ),
                [
                    [
                        _stage(record["stage"]),
                        f"{_location(record['focus'])} / {_location(record['reference'])}",
                        percent(record["focus_share"]),
                        percent(record["reference_share"]),
                        str(record["published"] or DASH),
                        _parity(record),
                    ]
                    for record in ordered_records(qualification, (), comparison.pairs)
                ],
            )
        )
    return blocks


def _problem_blocks(matrix: CountyMatrix) -> list[Block]:
    return [
        Heading(
            level=1,
            text="逐县逐项问题清单 Problem list per county and item",
            anchor="problems",
        ),
        _table(
            "问题 Problems",
            (
                Column(title="县 County", wrap=True),
                Column(title="部分 Part", wrap=True),
                Column(title="项目 Item", wrap=True),
                Column(title="学段 Stage"),
                Column(title="值 Value", align="right"),
                Column(title="限值 Limit", align="right"),
                Column(title="差距 Gap", align="right"),
                Column(title="结果 Status"),
            ),
            [
                [
                    str(record["county"]),
                    PART_LABELS.get(str(record["part"]), label(str(record["part"]))),
                    _indicator(str(record["item_id"])),
                    _stage(record["stage"]),
                    _number(record["value"]),
                    _number(record["threshold"]),
                    _number(record["gap"]),
                    status_label(str(record["status"])),
                ]
                for record in matrix.problems.to_dict("records")
            ],
        ),
    ]


def _funding_blocks(growth: FundingGrowth) -> list[Block]:
    def mark(flag: object) -> str:
        return DASH if flag is None else ("✓" if flag else "✗")

    blocks: list[Block] = [
        Heading(level=1, text="经费三个增长 Funding: the three growths", anchor="funding"),
        _table(
            "三个增长 The three growths: (1) (2) (3a) (3b)",
            (
                Column(title="单位 Unit", wrap=True),
                Column(title="年度 Year"),
                *(Column(title=f"({n})") for n in ("1", "2", "3a", "3b")),
                Column(title="结果 Status"),
            ),
            [
                [
                    str(record["county"]),
                    str(record["year"]),
                    *(mark(record[series]) for series in THREE_GROWTHS),
                    status_label(str(record["status"])),
                ]
                for record in growth.three_growths.reset_index().to_dict("records")
            ],
        ),
    ]
    average = growth.average_growth
    if len(average):
        blocks.append(
            _table(
                f"年均增长 Average growth ({english(growth.average)})",
                (
                    Column(title="单位 Unit", wrap=True),
                    Column(title="项目 Series", wrap=True),
                    Column(title="年度 Years"),
                    Column(title="年均增长 Average", align="right"),
                    Column(title="结果 Status"),
                ),
                [
                    [
                        str(record["county"]),
                        (
                            f"{FUNDING_SERIES[record['series']].title_zh} "
                            f"{english(str(record['series']))}"
                        ),
                        f"{record['start_year']}–{record['end_year']}",
                        percent(record["average_growth"], 2),
                        status_label(str(record["status"])),
                    ]
                    for record in average.reset_index().to_dict("records")
                ],
            )
        )
    if len(growth.early_warnings):
        blocks.append(
            Entries(
                title="预警 Early warnings",
                items=tuple(
                    Entry(
                        head=f"{record['county']}: {label(str(record['series']))} 下降 fell "
                        f"{percent(record['growth'], 2)} ({record['year']})",
                        tone="warn",
                    )
                    for record in growth.early_warnings.to_dict("records")
                ),
            )
        )
    return blocks


_YI: Final = 1e8
"""One 亿 (10^8): funding levels at least this large are shown in 亿元."""


def _figure_value(record: Mapping[Any, Any]) -> str:
    value = record["value"]
    if record["status"] == "undefined" or is_missing(value):
        return "— 无定义 undefined"
    if record["kind"] in {"rate", "growth"}:
        small = record["kind"] == "growth" or 0 < abs(value) < 0.01  # noqa: PLR2004 - below 1%
        return percent(value, 2 if small else 1)
    if record["kind"] == "level" and abs(value) >= _YI:
        return f"{value / _YI:,.2f} 亿元"
    return f"{value:,.0f}"


def _figure_change(record: Mapping[Any, Any]) -> str:
    points = record["change_since_base_points"]
    if not is_missing(points):
        return f"{points:+.1f} 个百分点 pts"
    ratio = record["ratio_since_base"]
    return "" if is_missing(ratio) else f"×{ratio:.3f}"


def _figure_blocks(figures: PublishedFigures) -> list[Block]:
    records = figures.figures.to_dict("records")
    columns = [
        Column(title="指标 Figure", wrap=True),
        Column(title="年度 Year"),
        Column(title="数值 Value", align="right"),
        Column(title="分子 / 分母 Num. / den.", align="right"),
    ]
    if figures.base_year is not None:
        columns.insert(3, Column(title=f"较{figures.base_year}年 Since {figures.base_year}"))
    rows = []
    for record in records:
        ratio = (
            f"{record['numerator']:,.0f} / {record['denominator']:,.0f}"
            if record["kind"] in {"rate", "count"} and not is_missing(record["denominator"])
            else ""
        )
        row = [
            f"{record['title_zh']} {english(str(record['figure']))}",
            DASH if is_missing(record["year"]) else str(record["year"]),
            _figure_value(record) + (" *" if record["status"] == "incomplete" else ""),
            ratio,
        ]
        if figures.base_year is not None:
            row.insert(3, _figure_change(record))
        rows.append(row)
    notes = [
        f"* {record['title_zh']} {record['year']}: {readable(str(record['note']))}"
        for record in records
        if record["status"] == "incomplete"
    ]
    notes += [f"未计算 Not computed: {readable(reason)}" for reason in figures.unavailable]
    return [
        Heading(level=1, text="发布数据 Published figures", anchor="figures"),
        Paragraph(
            text=f"跨县比率 Rates across counties: {label(figures.aggregate)}; "
            "每项定义见 JSON 输出 the definition of every figure is in the JSON output."
        ),
        _table("发布数据 Published figures", columns, rows),
        *(Paragraph(text=note) for note in notes),
    ]


def _recognition_blocks(recognition: CountyRecognition) -> list[Block]:
    table = recognition.table
    confidence = float(table["confidence"].iloc[0]) if len(table) else 0.95
    components = bool(table["component"].notna().any())
    columns = [
        Column(title="县 County", wrap=True),
        Column(title="年度 Year"),
        Column(title="有效 Valid", align="right"),
        Column(title="认可度 Rate", align="right"),
        Column(title="区间 Interval", align="right"),
        Column(title="达标 Pass"),
        Column(title="区间下限达标 At CI low"),
    ]
    if components:
        columns.insert(2, Column(title="调查方式 Component", wrap=True))
    rows = []
    for record in table.to_dict("records"):
        decided = record["status"] == "ok"
        row = [
            str(record["county"]),
            "" if is_missing(record["year"]) else str(record["year"]),
            str(record["n_valid"]),
            percent(record["rate"]),
            f"{percent(record['ci_low'])}–{percent(record['ci_high'])}",
            yes_no(bool(record["passed"])) if decided else "— 无定义 undefined",
            yes_no(bool(record["passed_at_confidence"])) if decided else DASH,
        ]
        if components:
            row.insert(2, label(str(record["component"])))
        rows.append(row)
    return [
        Heading(level=1, text="各县社会认可度 Social recognition by county", anchor="recognition"),
        Paragraph(
            text=f"{recognition.n_passed} / {len(table)} 个县按点估计达标 pass on the point "
            f"estimate (official); {recognition.n_passed_at_confidence} 个县在 "
            f"{confidence * 100:g}% 置信区间下限也达标 at the interval's lower bound too."
        ),
        _table("各县社会认可度 Social recognition by county", columns, rows),
    ]


def _wealth_blocks(wealth: CityWealthNeutrality) -> list[Block]:
    year = f", {wealth.year}" if wealth.year is not None else ""
    rows = [
        [
            label(str(record["measure"])),
            _number(record["value"]),
            f"{record['comparator']} {record['benchmark']:g}",
            _flag(None if record["meets_benchmark"] is None else bool(record["meets_benchmark"])),
            status_label(str(record["status"])),
        ]
        for record in wealth.table.to_dict("records")
    ]
    return [
        Heading(level=1, text=f"财政中性 Wealth neutrality across counties{year}", anchor="wealth"),
        Fields(
            title="",
            items=(
                ("生均经费 Spending x", readable(wealth.value_name)),
                ("生均财力 Capacity z", readable(wealth.wealth_name)),
                ("县数 Counties", f"{wealth.correlation.n}, 按学生数加权 weighted by pupils"),
            ),
        ),
        _table(
            "财政中性 Wealth neutrality",
            (
                Column(title="指标 Measure", wrap=True),
                Column(title="数值 Value", align="right"),
                Column(title="参照 Benchmark [S]"),
                Column(title="符合 Meets"),
                Column(title="结果 Status"),
            ),
            rows,
        ),
    ]


def city_document(result: CityAssessment) -> Document:
    """Return the report of a city assessment."""
    program = PROGRAM_LABELS.get(result.program, "")
    subtitle = f"{result.city} · {program} {english(result.program)}".strip()
    if result.as_of is not None:
        subtitle += f" · {result.as_of}"
    blocks: list[Block] = [Title(zh=_TITLE_ZH, en=_TITLE_EN, subtitle=subtitle)]
    if result.rules:
        shown = "; ".join(f"{rule['id']} {rule['version']}" for rule in result.rules)
        blocks.append(Fields(title="", items=(("规则集 Rule set", shown),)))
    blocks += _register_blocks(result)
    ids = () if result.disparity is None else result.disparity.indicator_ids
    sections: tuple[tuple[object, Callable[[Any], list[Block]]], ...] = (
        (result.projection, _projection_blocks),
        (result.disparity, _resource_blocks),
        (result.urban_rural, lambda comparison: _urban_rural_blocks(comparison, ids)),
        (result.matrix, _problem_blocks),
        (result.funding, _funding_blocks),
        (result.figures, _figure_blocks),
        (result.recognition, _recognition_blocks),
        (result.wealth, _wealth_blocks),
    )
    for part, build in sections:
        if part is not None:
            blocks += build(part)
    blocks += warning_blocks(result.warnings)
    return Document(page_title=f"{_TITLE_ZH} {_TITLE_EN} · {result.city}", blocks=tuple(blocks))
