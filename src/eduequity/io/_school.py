"""Checks of the school table, docs: Input tables (private).

Every check is a column-wise numpy/pandas operation over all rows; Python only loops over
the offending rows to word their issues. Sites (rows with ``parent_school_id``) are added to
their parent for the unit-level checks, as the national layer will merge them
(docs: The national method, Which schools enter: unit preparation), so a unit's enrolment is the
parent's plus its sites'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pandas as pd

from eduequity._codes import combine_codes, factorize, first_positions
from eduequity._typing import BoolArray, FloatArray, IntArray
from eduequity.io._normalize import format_number
from eduequity.io._reader import TableContext, report_missing_column
from eduequity.io._schema import (
    COMPULSORY_SCHOOL_TYPES,
    OPTIONAL_COLUMN_GROUPS,
    OUTLIER_LIMITS,
    QUALIFIED_DERIVATION,
    SCHOOL_COLUMNS,
    SCHOOL_TYPE_SECTIONS,
    SCHOOL_WIDE_REQUIRED,
    STAGE_TEACHER_COLUMNS,
    STAGES,
    SUBSET_TEACHER_COLUMNS,
    TYPE_AND_SIGN_ONLY_TYPES,
)
from eduequity.io._spec import TableSchema

ObjectArray = np.ndarray[Any, np.dtype[np.object_]]


def _isin(values: ObjectArray, allowed: Iterable[str]) -> BoolArray:
    return np.asarray(pd.Series(values, dtype=object).isin(list(allowed)).to_numpy(dtype=np.bool_))


def _fmt(value: float) -> str:
    return format_number(float(value))


# --------------------------------------------------------------------------------------
# preparation


def select_year(ctx: TableContext) -> None:
    """Report ``mixed_years`` or keep only the selected year, counting the rows left out."""
    selected = ctx.options.get("year")
    if not ctx.has("year"):
        if selected is not None:
            ctx.note(f"year={selected} requested, but the table has no year column; all rows kept")
        return
    years = ctx.numbers("year")
    known = ~np.isnan(years)
    distinct, first, counts = np.unique(years[known], return_index=True, return_counts=True)
    if selected is None:
        if distinct.size > 1:
            rows = np.flatnonzero(known)
            listed = "; ".join(
                f"{_fmt(year)}: {count} rows (first row {ctx.label(int(rows[index]))})"
                for year, index, count in zip(distinct, first, counts, strict=True)
            )
            ctx.add(
                "mixed_years",
                f"the table holds several school years ({listed}); a school table covers one "
                "year: pass year= to select one",
                column="year",
            )
        return
    other = known & (years != float(selected))
    if not other.any():
        return
    others = ", ".join(
        f"{_fmt(year)} ({count} rows)"
        for year, count in zip(distinct, counts, strict=True)
        if year != float(selected)
    )
    missing = "" if float(selected) in distinct else f"; no row has year {selected}"
    ctx.add(
        "other_years_excluded",
        f"{int(other.sum())} rows of other years excluded by year={selected}: {others}{missing}",
        column="year",
        severity="warning",
    )
    ctx.keep(~other)


def derive_qualified_teachers(ctx: TableContext) -> None:
    """Derive ``qualified_teachers_<stage>`` from the degree breakdown when absent."""
    for stage, levels in QUALIFIED_DERIVATION.items():
        target = f"qualified_teachers_{stage}"
        parts = [f"teachers_{level}_{stage}" for level in levels]
        if ctx.has(target) or not all(ctx.has(part) for part in parts):
            continue
        total = np.zeros(len(ctx.frame))
        for part in parts:
            total = total + ctx.numbers(part)
        ctx.frame[target] = total
        formula = " + ".join(parts)
        ctx.derived[target] = formula
        ctx.note(
            f"{target}: derived as {formula} (degree breakdown, docs: Input tables "
            "alternative input)"
        )


# --------------------------------------------------------------------------------------
# the shared view


@attrs.frozen(kw_only=True)
class SchoolView:
    """Masks and merged values shared by the checks."""

    types: ObjectArray
    type_codes: IntArray
    type_names: ObjectArray
    ids: ObjectArray
    counties: ObjectArray
    compulsory: BoolArray
    site: BoolArray
    parent_position: FloatArray
    valid_site: BoolArray
    excluded_point: BoolArray
    unit: BoolArray
    needed: BoolArray

    def of_type(self, kinds: Iterable[str]) -> BoolArray:
        """Rows whose ``school_type`` is one of ``kinds``."""
        return _of_type(self.type_codes, self.type_names, kinds)

    def has_section(self, stage: str) -> BoolArray:
        """Rows whose own type has pupils in ``stage``."""
        return self.of_type(
            kind for kind, stages in SCHOOL_TYPE_SECTIONS.items() if stage in stages
        )


def _of_type(codes: IntArray, names: ObjectArray, kinds: Iterable[str]) -> BoolArray:
    """Rows whose type is one of ``kinds``: one table lookup per row, by type code."""
    wanted = set(kinds)
    table = np.array([*(name in wanted for name in names), False])  # code -1: missing
    return np.asarray(table[codes], dtype=np.bool_)


def build_view(ctx: TableContext) -> SchoolView:
    """Compute the row classes and the parent position of every site."""
    n = len(ctx.frame)
    types = ctx.texts("school_type")
    ids = ctx.texts("school_id")
    type_codes, type_names = factorize(types)
    compulsory = _of_type(type_codes, type_names, COMPULSORY_SCHOOL_TYPES)
    parents = ctx.texts("parent_school_id")
    site = np.asarray(pd.notna(parents), dtype=np.bool_)
    sites = np.flatnonzero(site)
    parent_code = np.zeros(sites.size, dtype=np.int64)  # no id column: no parent found
    if ctx.has("school_id") and sites.size:
        # The ids and the parents coded together, ids first: the ids get the codes they get
        # alone (first appearance), and a parent the code of its id, or a higher one.
        codes = factorize(np.concatenate([ids, parents[sites]]))[0]
        ctx.set_codes("school_id", codes[:n])
        parent_code = codes[n:]
    # a parent is the first row of its id
    id_codes = ctx.codes("school_id") if ctx.has("school_id") else np.full(n, -1)
    n_ids = int(id_codes.max(initial=-1)) + 1
    first = first_positions(id_codes, n_ids)
    parent_position: FloatArray = np.full(n, np.nan)
    if sites.size:
        found = parent_code < n_ids
        parent_position[sites[found]] = first[parent_code[found]]
    found = site & ~np.isnan(parent_position)
    parent_index = np.where(found, parent_position, 0).astype(np.int64)
    parent_is_site = found & site[parent_index]
    self_parent = found & (parent_index == np.arange(n))
    valid_site = found & ~parent_is_site & ~self_parent
    view = SchoolView(
        types=types,
        type_codes=type_codes,
        type_names=type_names,
        ids=ids,
        counties=ctx.texts("county"),
        compulsory=compulsory,
        site=site,
        parent_position=parent_position,
        valid_site=valid_site,
        excluded_point=np.zeros(n, dtype=np.bool_),
        unit=np.zeros(n, dtype=np.bool_),
        needed=np.zeros(n, dtype=np.bool_),
    )
    minimum = float(ctx.options.get("min_teaching_point_students", 50))
    students = merged(ctx, view, "students_primary")
    with np.errstate(invalid="ignore"):
        small = (types == "teaching_point") & ~site & (students < minimum)
    excluded = small.copy()
    excluded[valid_site] = small[parent_index[valid_site]]
    unit = compulsory & ~site & ~excluded
    return attrs.evolve(
        view,
        excluded_point=excluded,
        unit=unit,
        needed=compulsory & ~excluded,
    )


def merged(ctx: TableContext, view: SchoolView, column: str) -> FloatArray:
    """Return a numeric column with each valid site's value added to its parent's row."""
    values = ctx.numbers(column)
    total = values.copy()
    rows = np.flatnonzero(view.valid_site)
    if rows.size:
        np.add.at(total, view.parent_position[rows].astype(np.int64), np.nan_to_num(values[rows]))
    return total


def _stage_enrolment(ctx: TableContext, view: SchoolView, stage: str) -> FloatArray:
    """Return the merged enrolment of ``stage`` (blank is 0 where the type lacks the stage)."""
    values = merged(ctx, view, f"students_{stage}")
    return np.where(view.has_section(stage), values, np.nan_to_num(values))


# --------------------------------------------------------------------------------------
# the checks


def check_schools(ctx: TableContext) -> None:
    """Run every school-table check of the docs page Input tables."""
    if not ctx.has("school_type"):
        _check_required_columns(ctx, None)
        _check_duplicate_ids(ctx)
        return
    view = build_view(ctx)
    _check_required_columns(ctx, view)
    _check_duplicate_ids(ctx)
    _check_missing_values(ctx, view)
    _check_sites(ctx, view)
    _check_sections(ctx, view)
    _check_enrolment(ctx, view)
    _check_teacher_subsets(ctx, view)
    _check_areas(ctx, view)
    _check_classes(ctx, view)
    _check_county_codes(ctx)
    _warn_names(ctx)
    _warn_optional(ctx, view)
    _warn_outliers(ctx, view)
    _warn_teachers(ctx, view)
    _warn_location_and_ownership(ctx, view)


def _check_required_columns(ctx: TableContext, view: SchoolView | None) -> None:
    for stage, levels in QUALIFIED_DERIVATION.items():
        target = f"qualified_teachers_{stage}"
        if not ctx.has(target):
            parts = " + ".join(f"teachers_{level}_{stage}" for level in levels)
            report_missing_column(ctx, target, f" (or give the degree breakdown {parts})")
    if not ctx.has("sports_ground_area_m2") and not ctx.has("sports_total_area_m2"):
        report_missing_column(ctx, "sports_ground_area_m2", " (or give sports_total_area_m2)")
    if view is not None and not ctx.has("students_senior"):
        with_senior = view.of_type(("twelve_year", "complete_middle"))
        if with_senior.any():
            rows = ctx.rows_text(np.flatnonzero(with_senior))
            report_missing_column(
                ctx,
                "students_senior",
                " (needed for the split shares of twelve_year and complete_middle schools, "
                f"{rows})",
            )
    include_private = bool(ctx.options.get("include_private", True))
    if not include_private and not ctx.has("ownership"):
        report_missing_column(ctx, "ownership", " (the rule set excludes private schools)")


def _check_duplicate_ids(ctx: TableContext) -> None:
    if not ctx.has("school_id"):
        return
    codes = ctx.codes("school_id")
    present = np.flatnonzero(codes >= 0)
    first = first_positions(codes, int(codes.max(initial=-1)) + 1)
    repeated = np.zeros(codes.size, dtype=np.bool_)
    repeated[present] = first[codes[present]] != present
    if not repeated.any():
        return
    ids = ctx.texts("school_id")
    shared = np.isin(codes, codes[repeated])
    rows_of: dict[str, list[int]] = {}
    for row in np.flatnonzero(shared).tolist():
        rows_of.setdefault(ids[row], []).append(row)
    ctx.flag(
        "duplicate_school_id",
        repeated,
        column="school_id",
        describe=lambda i: (
            f"school_id {ids[i]!r} appears on {ctx.rows_text(rows_of[ids[i]])}; "
            "each school or site needs its own id"
        ),
        value=lambda i: str(ids[i]),
    )


def _flag_missing(
    ctx: TableContext, column: str, rows: BoolArray, why: Callable[[int], str]
) -> None:
    if not ctx.has(column):
        return
    derived = ctx.derived.get(column)
    source = f" (derived as {derived}; a part is blank)" if derived else ""
    ctx.flag(
        "missing_value",
        rows & ctx.missing(column),
        column=column,
        describe=lambda i: f"{column} is missing{source}; {why(i)}",
    )


def _check_missing_values(ctx: TableContext, view: SchoolView) -> None:
    def because(i: int) -> str:
        return f"required for a {view.types[i]} school (blank never means 0)"

    for stage in STAGES:
        rows = view.needed & view.has_section(stage)
        _flag_missing(ctx, f"students_{stage}", view.compulsory & view.has_section(stage), because)
        for stem in STAGE_TEACHER_COLUMNS:
            _flag_missing(ctx, f"{stem}_{stage}", rows, because)
    senior = view.compulsory & view.has_section("senior")
    _flag_missing(ctx, "students_senior", senior, because)
    deduct = bool(ctx.options.get("deduct_indoor_sports", True))
    total_given = ctx.present("sports_total_area_m2")
    for column in SCHOOL_WIDE_REQUIRED:
        rows = view.needed.copy()
        if column == "sports_ground_area_m2":
            rows &= ~total_given
        if column == "indoor_sports_area_m2" and not deduct:
            rows &= ~total_given
        _flag_missing(ctx, column, rows, because)
    if not bool(ctx.options.get("include_private", True)):
        _flag_missing(
            ctx,
            "ownership",
            view.needed & ~view.site,
            lambda _i: "the rule set excludes private schools, so every school needs it",
        )


def _check_sites(ctx: TableContext, view: SchoolView) -> None:
    if not ctx.has("parent_school_id"):
        return
    parents = ctx.texts("parent_school_id")
    found = view.site & ~np.isnan(view.parent_position)
    parent = np.where(found, view.parent_position, 0).astype(np.int64)
    ctx.flag(
        "parent_not_found",
        view.site & ~found,
        column="parent_school_id",
        describe=lambda i: f"parent_school_id {parents[i]!r} names no school_id in the table",
        value=lambda i: str(parents[i]),
    )
    nested = found & ~view.valid_site
    ctx.flag(
        "nested_site",
        nested,
        column="parent_school_id",
        describe=lambda i: (
            "a site cannot be its own parent"
            if parent[i] == i
            else f"the parent {parents[i]!r} ({ctx.rows_text([parent[i]])}) is itself a site of "
            f"{parents[parent[i]]!r}; attach the site to the school directly"
        ),
        value=lambda i: str(parents[i]),
    )
    counties = view.counties
    # compared on the sites only: they are few
    sites = np.flatnonzero(view.valid_site)
    own = pd.Series(counties[sites], dtype=object)
    theirs = pd.Series(counties[parent[sites]], dtype=object)
    other_county = np.zeros(len(counties), dtype=np.bool_)
    other_county[sites] = (own.notna() & theirs.notna() & (own != theirs)).to_numpy(dtype=np.bool_)
    ctx.flag(
        "parent_other_county",
        other_county,
        column="county",
        describe=lambda i: (
            f"the site is in {counties[i]!r} but its parent {parents[i]!r} "
            f"({ctx.rows_text([parent[i]])}) is in {counties[parent[i]]!r}"
        ),
        value=lambda i: str(counties[i]),
    )
    _check_site_stages(ctx, view, parent)


def _check_site_stages(ctx: TableContext, view: SchoolView, parent: IntArray) -> None:
    parents = ctx.texts("parent_school_id")
    sites = view.valid_site
    parent_types: ObjectArray = view.types[parent].copy()
    parent_types[~sites] = None
    excluded_kind = sites & view.of_type(TYPE_AND_SIGN_ONLY_TYPES)
    ctx.flag(
        "site_stage_incompatible",
        excluded_kind,
        column="school_type",
        describe=lambda i: (
            f"a {view.types[i]} site cannot be merged into school {parents[i]!r}; "
            "report it as a school of its own"
        ),
        value=lambda i: str(view.types[i]),
    )
    known_parent = sites & ~excluded_kind & np.asarray(pd.notna(parent_types), dtype=np.bool_)
    for stage in ("primary", "junior", "senior"):
        _flag_site_stage(ctx, known_parent, parents, parent_types, stage)


def _flag_site_stage(
    ctx: TableContext,
    known_parent: BoolArray,
    parents: ObjectArray,
    parent_types: ObjectArray,
    stage: str,
) -> None:
    column = f"students_{stage}"
    if not ctx.has(column):
        return
    allowed = [kind for kind, stages in SCHOOL_TYPE_SECTIONS.items() if stage in stages]
    values = ctx.numbers(column)
    with np.errstate(invalid="ignore"):
        pupils = values > 0
    # the parents' types are looked up for the sites only: they are few
    sites = np.flatnonzero(known_parent)
    disallowed = np.zeros(values.size, dtype=np.bool_)
    disallowed[sites] = ~_isin(parent_types[sites], allowed)
    ctx.flag(
        "site_stage_incompatible",
        known_parent & pupils & disallowed,
        column=column,
        describe=lambda i: (
            f"the site has {_fmt(values[i])} {stage} pupils, but its parent "
            f"{parents[i]!r} is a {parent_types[i]} school without a {stage} section"
        ),
        value=ctx.value_text(column),
    )


def _check_sections(ctx: TableContext, view: SchoolView) -> None:
    for stage in ("primary", "junior", "senior"):
        _flag_section(ctx, view, stage)


def _flag_section(ctx: TableContext, view: SchoolView, stage: str) -> None:
    column = f"students_{stage}"
    if not ctx.has(column):
        return
    values = ctx.numbers(column)
    with np.errstate(invalid="ignore"):
        pupils = values > 0

    def describe(i: int) -> str:
        kind = str(view.types[i])
        allowed = ", ".join(SCHOOL_TYPE_SECTIONS[kind])
        return (
            f"{_fmt(values[i])} {stage} pupils, but a {kind} school has no {stage} section "
            f"(allowed: {allowed})"
        )

    ctx.flag(
        "section_not_allowed",
        view.compulsory & pupils & ~view.has_section(stage),
        column=column,
        describe=describe,
        value=ctx.value_text(column),
    )


def _check_enrolment(ctx: TableContext, view: SchoolView) -> None:
    if not (ctx.has("students_primary") and ctx.has("students_junior")):
        return
    primary = merged(ctx, view, "students_primary")
    junior = merged(ctx, view, "students_junior")
    kinds = view.types
    zero_primary = primary == 0
    zero_junior = junior == 0
    single = view.unit & (
        (view.of_type(("primary", "teaching_point")) & zero_primary)
        | (view.of_type(("junior", "complete_middle")) & zero_junior)
    )
    both = view.unit & view.of_type(("nine_year", "twelve_year")) & zero_primary & zero_junior
    primary_kind = view.of_type(("primary", "teaching_point"))
    ctx.flag(
        "zero_enrolment",
        single & primary_kind,
        column="students_primary",
        describe=lambda i: (
            f"a {kinds[i]} unit with 0 primary pupils; per-pupil ratios would divide by zero"
        ),
        value=lambda _i: "0",
    )
    ctx.flag(
        "zero_enrolment",
        single & ~primary_kind,
        column="students_junior",
        describe=lambda i: (
            f"a {kinds[i]} school with 0 junior pupils; per-pupil ratios would divide by zero"
        ),
        value=lambda _i: "0",
    )
    ctx.flag(
        "zero_enrolment",
        both,
        column="students_primary",
        describe=lambda i: (
            f"a {kinds[i]} school with 0 primary and 0 junior pupils "
            f"({ctx.name_column('students_junior')} is 0 too); per-pupil ratios would divide "
            "by zero"
        ),
        value=lambda _i: "0",
    )
    integrated = view.unit & view.of_type(("nine_year", "twelve_year"))
    for empty, column in ((zero_primary, "students_primary"), (zero_junior, "students_junior")):
        ctx.flag(
            "integrated_school_single_stage",
            integrated & empty & ~(zero_primary & zero_junior) & ~np.isnan(primary + junior),
            column=column,
            describe=lambda i: (
                f"a {kinds[i]} school with pupils in one compulsory stage only "
                f"({_fmt(primary[i])} primary, {_fmt(junior[i])} junior); it forms one unit "
                "of that stage"
            ),
            severity="warning",
        )
    for stage in STAGES:
        pupils = _stage_enrolment(ctx, view, stage)
        for stem in STAGE_TEACHER_COLUMNS:
            _flag_teachers_without_students(ctx, view, pupils, f"{stem}_{stage}", stage)


def _flag_teachers_without_students(
    ctx: TableContext, view: SchoolView, pupils: FloatArray, column: str, stage: str
) -> None:
    if not ctx.has(column):
        return
    teachers = merged(ctx, view, column)
    with np.errstate(invalid="ignore"):
        mask = view.unit & (pupils == 0) & (teachers > 0)
    ctx.flag(
        "teachers_without_students",
        mask,
        column=column,
        describe=lambda i: (
            f"{_fmt(teachers[i])} {stage} teachers but no {stage} pupils "
            f"({ctx.name_column(f'students_{stage}')} is 0 or blank)"
        ),
        value=lambda i: _fmt(teachers[i]),
    )


def _compare_flag(
    ctx: TableContext,
    code: str,
    rows: BoolArray,
    *,
    column: str,
    other: str,
    relation: str,
    extra: str = "",
) -> None:
    if not (ctx.has(column) and ctx.has(other)):
        return
    values = ctx.numbers(column)
    limit = ctx.numbers(other)
    with np.errstate(invalid="ignore"):
        mask = rows & (values > limit)
    ctx.flag(
        code,
        mask,
        column=column,
        describe=lambda i: (
            f"{column} = {_fmt(values[i])} exceeds {ctx.name_column(other)} = "
            f"{_fmt(limit[i])}; {relation}{extra}"
        ),
        value=lambda i: _fmt(values[i]),
    )


def _check_teacher_subsets(ctx: TableContext, view: SchoolView) -> None:
    for stage in STAGES:
        total = f"full_time_teachers_{stage}"
        for stem in SUBSET_TEACHER_COLUMNS:
            _compare_flag(
                ctx,
                "subset_exceeds_total",
                view.needed,
                column=f"{stem}_{stage}",
                other=total,
                relation="a subset of the full-time teachers cannot exceed them",
            )
    _compare_flag(
        ctx,
        "subset_exceeds_total",
        view.needed,
        column="bachelor_plus_teachers_primary",
        other="qualified_teachers_primary",
        relation=(
            "bachelor-or-higher teachers are a subset of the primary qualified teachers "
            "(associate degree or higher)"
        ),
    )


def _check_areas(ctx: TableContext, view: SchoolView) -> None:
    if bool(ctx.options.get("deduct_indoor_sports", True)):
        _compare_flag(
            ctx,
            "indoor_exceeds_teaching_area",
            view.needed,
            column="indoor_sports_area_m2",
            other="teaching_aux_area_m2",
            relation=(
                "indoor sports rooms are part of the teaching and auxiliary rooms, so the net "
                "teaching area would be negative"
            ),
        )


def _check_classes(ctx: TableContext, view: SchoolView) -> None:
    rows = view.needed
    for stage in STAGES:
        _check_stage_classes(ctx, rows, stage)
    if ctx.has("large_classes") and (ctx.has("classes_primary") or ctx.has("classes_junior")):
        large = ctx.numbers("large_classes")
        classes_total = np.nan_to_num(ctx.numbers("classes_primary")) + np.nan_to_num(
            ctx.numbers("classes_junior")
        )
        with np.errstate(invalid="ignore"):
            mask = rows & (large > classes_total)
        ctx.flag(
            "classes_inconsistent",
            mask,
            column="large_classes",
            describe=lambda i: (
                f"{_fmt(large[i])} large classes but only {_fmt(classes_total[i])} classes "
                "(classes_primary + classes_junior)"
            ),
            value=ctx.value_text("large_classes"),
        )
    _compare_flag(
        ctx,
        "classes_inconsistent",
        rows,
        column="super_large_classes",
        other="large_classes",
        relation="super-large classes (66 or more) are a subset of the large classes (56 or more)",
    )


def _check_stage_classes(ctx: TableContext, rows: BoolArray, stage: str) -> None:
    students, classes, largest = (
        f"students_{stage}",
        f"classes_{stage}",
        f"max_class_size_{stage}",
    )
    pupils, count, size = ctx.numbers(students), ctx.numbers(classes), ctx.numbers(largest)
    with np.errstate(invalid="ignore"):
        no_pupils = rows & (count > 0) & (pupils == 0)
        no_classes = rows & (pupils > 0) & (count == 0)
        too_big = rows & (size > pupils)
        too_small = rows & (count > 0) & (size * count < pupils)
    if ctx.has(classes) and ctx.has(students):
        ctx.flag(
            "classes_inconsistent",
            no_pupils,
            column=classes,
            describe=lambda i: f"{_fmt(count[i])} {stage} classes but 0 {stage} pupils",
            value=ctx.value_text(classes),
        )
        ctx.flag(
            "classes_inconsistent",
            no_classes,
            column=classes,
            describe=lambda i: f"0 {stage} classes but {_fmt(pupils[i])} {stage} pupils",
            value=ctx.value_text(classes),
        )
    if not (ctx.has(largest) and ctx.has(students)):
        return
    ctx.flag(
        "classes_inconsistent",
        too_big,
        column=largest,
        describe=lambda i: (
            f"the largest class ({_fmt(size[i])}) exceeds all the pupils of the stage "
            f"({ctx.name_column(students)} = {_fmt(pupils[i])})"
        ),
        value=ctx.value_text(largest),
    )
    if ctx.has(classes):
        ctx.flag(
            "classes_inconsistent",
            too_small,
            column=largest,
            describe=lambda i: (
                f"{_fmt(count[i])} classes of at most {_fmt(size[i])} pupils cannot hold "
                f"{_fmt(pupils[i])} {stage} pupils"
            ),
            value=ctx.value_text(largest),
        )


def _check_county_codes(ctx: TableContext) -> None:
    if not (ctx.has("county") and ctx.has("county_code")):
        return
    labels = {"county": ctx.texts("county"), "code": ctx.texts("county_code")}
    codes = {"county": ctx.codes("county"), "code": ctx.codes("county_code")}
    present = (codes["county"] >= 0) & (codes["code"] >= 0)
    for by, other, noun in (("county", "code", "codes"), ("code", "county", "names")):
        key = np.where(present, codes[by], -1)
        pair = combine_codes(key, codes[other])
        rows = np.flatnonzero(pair >= 0)
        _, first = np.unique(pair[rows], return_index=True)
        variants = np.bincount(key[rows[first]], minlength=int(key.max(initial=-1)) + 1)
        for bad in np.flatnonzero(variants > 1).tolist():
            firsts: dict[str, list[int]] = {}
            for row in np.flatnonzero(key == bad).tolist():
                firsts.setdefault(str(labels[other][row]), []).append(row)
            listed = "; ".join(f"{value!r} ({ctx.rows_text(at)})" for value, at in firsts.items())
            name = labels[by][firsts[next(iter(firsts))][0]]
            subject = f"county {name!r}" if by == "county" else f"county_code {name!r}"
            second_value, second_rows = list(firsts.items())[1]
            ctx.add(
                "county_code_inconsistent",
                f"{subject} has several {noun}: {listed}; one code per county name and one "
                "name per code",
                row=second_rows[0],
                column="county_code",
                value=second_value if by == "county" else str(name),
            )


# --------------------------------------------------------------------------------------
# warnings


def _warn_names(ctx: TableContext) -> None:
    if not (ctx.has("school_name") and ctx.has("school_id")):
        return
    counties = ctx.texts("county")
    names = ctx.texts("school_name")
    ids = ctx.texts("school_id")
    county_codes = ctx.codes("county") if ctx.has("county") else np.full(len(names), -1)
    county_codes = np.where(county_codes < 0, county_codes.max(initial=-1) + 1, county_codes)
    name_codes = ctx.codes("school_name")
    id_codes = ctx.codes("school_id")
    pair = combine_codes(county_codes, name_codes, np.where(id_codes >= 0, 0, -1))
    triple = combine_codes(pair, id_codes)
    present = np.flatnonzero(triple >= 0)
    _, first = np.unique(triple[present], return_index=True)
    ids_per_pair = np.bincount(pair[present[first]], minlength=int(pair.max(initial=-1)) + 1)
    shared = np.flatnonzero(ids_per_pair > 1)
    if not shared.size:
        return
    rows = np.flatnonzero(np.isin(pair, shared))
    groups: dict[int, dict[str, list[int]]] = {}
    for row in rows.tolist():
        groups.setdefault(int(pair[row]), {}).setdefault(str(ids[row]), []).append(row)
    for by_id in groups.values():
        first_row = min(row for listed in by_id.values() for row in listed)
        county = "" if pd.isna(counties[first_row]) else counties[first_row]
        listed_ids = ", ".join(
            f"{value!r} ({ctx.rows_text(positions)})" for value, positions in by_id.items()
        )
        ctx.add(
            "duplicate_school_name",
            f"school name {names[first_row]!r} is used by several ids in county {county!r}: "
            f"{listed_ids}",
            row=first_row,
            column="school_name",
            value=str(names[first_row]),
            severity="warning",
        )


def _warn_optional(ctx: TableContext, view: SchoolView) -> None:
    for check, columns in OPTIONAL_COLUMN_GROUPS.items():
        absent = [column for column in columns if not ctx.has(column)]
        if absent:
            ctx.add(
                "optional_column_missing",
                f"columns {', '.join(absent)} are absent; the {check} check will be incomplete",
                severity="warning",
            )
    _warn_room_area(ctx, view, "music_rooms", "min_music_room_area_m2")
    _warn_room_area(ctx, view, "art_rooms", "min_art_room_area_m2")


def _warn_room_area(ctx: TableContext, view: SchoolView, rooms: str, area: str) -> None:
    if not ctx.has(rooms):
        return
    count = ctx.numbers(rooms)
    with np.errstate(invalid="ignore"):
        some = view.compulsory & (count > 0)
    if not ctx.has(area):
        if some.any():
            ctx.add(
                "room_area_missing",
                f"{int(some.sum())} rows have {rooms} > 0 but column {area} is absent; the "
                "room-area part of G3 cannot be evaluated",
                column=area,
                severity="warning",
            )
        return
    ctx.flag(
        "room_area_missing",
        some & ctx.missing(area),
        column=area,
        describe=lambda i: (
            f"{rooms} = {_fmt(count[i])} but {area} is blank; the room-area part of G3 "
            "cannot be evaluated"
        ),
        severity="warning",
    )


def _outlier_limits(ctx: TableContext) -> Mapping[str, Decimal]:
    limits = dict(OUTLIER_LIMITS)
    limits.update(ctx.options.get("outlier_limits") or {})
    return limits


def _warn_outliers(ctx: TableContext, view: SchoolView) -> None:
    limits = _outlier_limits(ctx)
    primary = _stage_enrolment(ctx, view, "primary")
    junior = _stage_enrolment(ctx, view, "junior")
    senior = np.nan_to_num(merged(ctx, view, "students_senior"))
    pupils = primary + junior + senior
    units = view.unit & (pupils > 0)
    deduct = bool(ctx.options.get("deduct_indoor_sports", True))
    teaching = merged(ctx, view, "teaching_aux_area_m2")
    indoor = merged(ctx, view, "indoor_sports_area_m2")
    net_teaching = teaching - np.nan_to_num(indoor) if deduct else teaching
    total_sports = merged(ctx, view, "sports_total_area_m2")
    sports = np.where(
        ~np.isnan(total_sports),
        total_sports,
        merged(ctx, view, "sports_ground_area_m2") + np.nan_to_num(indoor),
    )
    per_pupil: list[tuple[str, str, FloatArray, FloatArray, str]] = [
        ("teaching_area_per_student", "teaching_aux_area_m2", net_teaching, pupils, "m² per pupil"),
        ("sports_area_per_student", "sports_ground_area_m2", sports, pupils, "m² per pupil"),
        (
            "equipment_value_per_student",
            "equipment_value_yuan",
            merged(ctx, view, "equipment_value_yuan"),
            pupils,
            "yuan per pupil",
        ),
        (
            "multimedia_rooms_per_100",
            "multimedia_classrooms",
            100 * merged(ctx, view, "multimedia_classrooms"),
            pupils,
            "rooms per 100 pupils",
        ),
    ]
    for stage, stage_pupils in (("primary", primary), ("junior", junior)):
        for stem in STAGE_TEACHER_COLUMNS:
            column = f"{stem}_{stage}"
            per_pupil.append(
                (
                    "teachers_per_100",
                    column,
                    100 * merged(ctx, view, column),
                    stage_pupils,
                    f"{stage} teachers per 100 {stage} pupils",
                )
            )
    for measure, column, numerator, denominator, unit in per_pupil:
        if measure not in limits:
            continue
        limit = float(limits[measure])
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = numerator / denominator
            mask = units & (denominator > 0) & (ratio > limit)
        named = column
        if named == "sports_ground_area_m2" and not ctx.has(named):
            named = "sports_total_area_m2"
        _flag_outlier(ctx, mask, column=named, measure=measure, ratio=ratio, limit=limit, unit=unit)
    if "compulsory_enrolment" in limits:
        limit = float(limits["compulsory_enrolment"])
        total = primary + junior
        with np.errstate(invalid="ignore"):
            mask = view.unit & (total > limit)
        _flag_outlier(
            ctx,
            mask,
            column="students_primary",
            measure="compulsory enrolment",
            ratio=total,
            limit=limit,
            unit="pupils",
        )


def _flag_outlier(
    ctx: TableContext,
    mask: BoolArray,
    *,
    column: str,
    measure: str,
    ratio: FloatArray,
    limit: float,
    unit: str,
) -> None:
    ctx.flag(
        "outlier_value",
        mask,
        column=column if ctx.has(column) else None,
        describe=lambda i: (
            f"{measure} = {float(ratio[i]):.6g} {unit} is above the plausibility limit "
            f"{_fmt(limit)}; check the value and its unit"
        ),
        value=lambda i: f"{float(ratio[i]):.6g}",
        severity="warning",
    )


def _warn_teachers(ctx: TableContext, view: SchoolView) -> None:
    for stage in STAGES:
        _warn_zero_qualified(ctx, view, stage)
    if ctx.has("qualified_teachers_junior") and ctx.has("bachelor_plus_teachers_junior"):
        qualified = ctx.numbers("qualified_teachers_junior")
        bachelor = ctx.numbers("bachelor_plus_teachers_junior")
        with np.errstate(invalid="ignore"):
            mask = view.compulsory & (qualified != bachelor) & ~np.isnan(qualified + bachelor)
        ctx.flag(
            "junior_qualified_vs_bachelor",
            mask,
            column="bachelor_plus_teachers_junior",
            describe=lambda i: (
                f"bachelor_plus_teachers_junior = {_fmt(bachelor[i])} differs from "
                f"{ctx.name_column('qualified_teachers_junior')} = {_fmt(qualified[i])}; "
                "both mean bachelor's degree or higher (本科及以上) for junior teachers"
            ),
            value=lambda i: _fmt(bachelor[i]),
            severity="warning",
        )


def _warn_zero_qualified(ctx: TableContext, view: SchoolView, stage: str) -> None:
    column = f"qualified_teachers_{stage}"
    if not ctx.has(column):
        return
    pupils = _stage_enrolment(ctx, view, stage)
    teachers = merged(ctx, view, column)
    with np.errstate(invalid="ignore"):
        mask = view.unit & (pupils > 0) & (teachers == 0)
    ctx.flag(
        "zero_qualified_teachers",
        mask,
        column=column,
        describe=lambda i: (
            f"0 qualified {stage} teachers for {_fmt(pupils[i])} {stage} pupils; "
            "possible, but worth checking"
        ),
        value=lambda _i: "0",
        severity="warning",
    )


def _warn_location_and_ownership(ctx: TableContext, view: SchoolView) -> None:
    units = view.compulsory & ~view.site
    if not ctx.has("location"):
        if units.any():
            ctx.add(
                "location_missing",
                "column location (城乡分类) is absent; urban–rural analyses will skip every unit",
                severity="warning",
            )
    else:
        ctx.flag(
            "location_missing",
            units & ctx.missing("location"),
            column="location",
            describe=lambda _i: "location is blank; urban–rural analyses will skip this unit",
            severity="warning",
        )
    if ctx.has("ownership") and bool(ctx.options.get("include_private", True)):
        private = view.unit & (ctx.texts("ownership") == "private")
        if private.any():
            ctx.add(
                "private_school_included",
                f"{int(private.sum())} private (民办) schools are included, as the rule set "
                f"requires ({ctx.rows_text(np.flatnonzero(private))})",
                column="ownership",
                severity="warning",
            )


SCHOOL_SCHEMA: TableSchema = TableSchema(
    name="schools",
    title="school table (docs: Input tables)",
    columns=SCHOOL_COLUMNS,
    key_columns=("school_id",),
    prepare=(select_year, derive_qualified_teachers),
    checks=(check_schools,),
)
"""The school table: columns of the docs page Input tables and the checks of §1.5."""
