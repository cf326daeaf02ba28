"""The command line of the least-cost plan: ``eduequity plan`` and ``eduequity assess --plan``.

The county is the worked example of the documentation page (docs/remediation.md): 东山小学 is
short of backbone teachers below the 85% floor and of sports area above it, 西河小学 of
equipment and of multimedia rooms above their floors (national-method.md §3.1, §3.5). The
cheapest way to pass is two backbone teachers and one room; the naive plan buys all four.
"""

import json

import pandas as pd
import pytest

from eduequity.cli import build_parser, main
from eduequity.national import DEFAULT_COSTS

from .national.conftest import AT_STANDARD_PRIMARY

# national-method.md §3.1: a primary school of 500 pupils exactly at every primary standard.
BASE = {"county": "示例县", **AT_STANDARD_PRIMARY}


@pytest.fixture
def schools(tmp_path):
    table = pd.DataFrame(
        [
            {**BASE, "school_id": "A", "school_name": "城关小学"},
            {
                **BASE,
                "school_id": "B",
                "school_name": "东山小学",
                "backbone_teachers_primary": 3,
                "sports_ground_area_m2": 2900.0,
            },
            {
                **BASE,
                "school_id": "C",
                "school_name": "西河小学",
                "equipment_value_yuan": 900_000.0,
                "multimedia_classrooms": 11,
            },
        ]
    )
    path = tmp_path / "schools.csv"
    table.to_csv(path, index=False)
    return path


def _run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_plan_prints_the_cheapest_additions_against_the_naive_plan(capsys, schools):
    code, out, err = _run(capsys, "plan", schools)
    assert code == 0, err
    assert "最低成本达标方案" in out
    # The columns added to, by their Chinese header and in English words.
    assert "小学县级及以上骨干教师数 backbone teachers primary" in out
    assert "网络多媒体教室数 multimedia classrooms" in out
    # 2 × 30 000 + 40 000 yuan; the naive plan adds 500 m² × 400 and 100 000 yuan of equipment.
    assert "100 000 元" in out
    assert "400 000 元" in out
    assert "Highs" not in out


def test_plan_as_csv_and_json(capsys, schools):
    code, out, _ = _run(capsys, "plan", schools, "--format", "csv")
    assert code == 0
    rows = pd.read_csv(pd.io.common.StringIO(out), dtype={"school_id": str})
    assert set(zip(rows["school_id"], rows["resource"], strict=True)) == {
        ("B", "backbone_teachers_primary"),
        ("C", "multimedia_classrooms"),
    }
    code, out, _ = _run(capsys, "plan", schools, "--format", "json")
    document = json.loads(out)
    assert document["passes"] is True
    assert (
        document["cost"]
        == 2 * DEFAULT_COSTS["backbone_teachers_primary"] + DEFAULT_COSTS["multimedia_classrooms"]
    )
    assert "eduequity_version" in document


def test_plan_reads_costs_and_caps_files(capsys, schools, tmp_path):
    costs = tmp_path / "costs.json"
    # Rooms dearer than the equipment shortfall: the plan now buys the equipment instead.
    costs.write_text(json.dumps({"multimedia_classrooms": 150000}), encoding="utf-8")
    code, out, _ = _run(capsys, "plan", schools, "--costs", costs, "--format", "csv")
    assert code == 0
    assert "equipment_value_yuan" in out
    assert "multimedia_classrooms" not in out
    caps = tmp_path / "caps.csv"
    caps.write_text("school_id,column,max\nC,multimedia_classrooms,0\n", encoding="utf-8")
    code, out, _ = _run(capsys, "plan", schools, "--caps", caps, "--format", "csv")
    assert code == 0
    assert "multimedia_classrooms" not in out


def test_plan_errors_speak_of_flags_and_files(capsys, schools, tmp_path):
    costs = tmp_path / "costs.json"
    costs.write_text(json.dumps({"swimming_pools": 5}), encoding="utf-8")
    code, _, err = _run(capsys, "plan", schools, "--costs", costs)
    assert code == 2
    assert f"--costs '{costs}'" in err
    assert "swimming_pools" in err
    assert "Traceback" not in err
    caps = tmp_path / "caps.csv"
    caps.write_text("school_id,column,max\nB,backbone_teachers_primary,0\n", encoding="utf-8")
    code, _, err = _run(capsys, "plan", schools, "--caps", caps)
    assert code == 2
    assert "school_id=B" in err
    assert "backbone_teachers_primary" in err
    assert "--caps" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("school_id,column,max\nB,backbone_teachers_primary,many\n", encoding="utf-8")
    code, _, err = _run(capsys, "plan", schools, "--caps", bad)
    assert code == 2
    assert "row 2 (school_id=B), column max" in err


def test_assess_with_plan_adds_the_section(capsys, schools):
    code, out, _ = _run(capsys, "assess", schools, "--plan", "--format", "markdown")
    assert code == 0
    assert "最低成本达标方案 Least-cost plan" in out
    assert "各校成本 Cost by school" in out
    code, out, _ = _run(capsys, "assess", schools, "--plan", "--format", "json")
    document = json.loads(out)
    assert document["plan"]["passes"] is True
    assert document["resources"]["passed"] is False


def test_plan_has_help_with_examples(capsys):
    code, out, _ = _run(capsys, "plan", "--help")
    assert code == 0
    assert "usage: eduequity plan" in out
    assert "eduequity plan" in out.split("examples:", 1)[1]
    args = build_parser().parse_args(
        ["plan", "s.csv", "--costs", "c.json", "--caps", "k.csv", "--transfers"]
    )
    assert (args.costs, args.caps, args.transfers) == ("c.json", "k.csv", True)
