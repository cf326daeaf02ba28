"""Every script of examples/ runs cleanly from any working directory and prints its result.

Expected values come from the synthetic demo data's description
(``src/eduequity/datasets/data/README.md`` §1 and §1.4), not from running the examples.
"""

import json
import runpy
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _run(name, monkeypatch, tmp_path, capsys, *args):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(EXAMPLES / name), *args])
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.out


def test_every_example_is_listed_in_the_readme():
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    scripts = sorted(path.name for path in EXAMPLES.glob("*.py"))
    assert scripts == [
        "assess_county_from_csv.py",
        "checklist_status.py",
        "city_overview.py",
        "compare_counties.py",
        "plot_county_cvs.py",
        "plot_lorenz.py",
        "plot_schools_against_standard.py",
        "read_chinese_excel.py",
        "score_survey.py",
    ]
    for script in scripts:
        assert f"`{script}`" in readme


def test_assess_county_from_csv(monkeypatch, tmp_path, capsys):
    output = tmp_path / "out" / "assessment.json"
    output.parent.mkdir()
    out = _run("assess_county_from_csv.py", monkeypatch, tmp_path, capsys, str(output))
    # data README §1: the demo county fails Parts 1, 2 and 3 and passes Part 4 and the vetoes.
    assert "verdict: fail" in out
    for part, status in [
        ("resource_allocation", "fail"),
        ("government_guarantee", "fail"),
        ("education_quality", "fail"),
        ("social_recognition", "pass"),
    ]:
        assert any(line.split() == [part, status] for line in out.splitlines())
    # The failing items named by the data README: schools, G4, G5, G11, Q9.
    for subject in ["0990010002", "0990010005", "0990010203", "0990010101", "0990010202"]:
        assert subject in out
    assert "数学 (grade 8)" in out
    # Excluded: four teaching points under 50 pupils and the special-education school.
    assert "5 schools excluded" in out
    assert "0990010504" in out
    assert "0990010505" not in out.split("excluded", 1)[1].split("JSON")[0]
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["passed"] is False
    assert document["status"] == "fail"


def test_compare_counties(monkeypatch, tmp_path, capsys):
    out = _run("compare_counties.py", monkeypatch, tmp_path, capsys)
    names = [
        "示范县 (Demo County)",
        "示范东区 (Demo East District)",
        "示范西县 (Demo West County)",
        "示范高新区 (Demo Hi-tech Zone)",
    ]
    lines = out.splitlines()
    rows = [line for line in lines if any(name in line for name in names)]
    assert len(rows) == 4
    # The ranking column counts 1..4 in order.
    assert [row.split()[0] for row in rows] == ["1", "2", "3", "4"]
    # Demo County's worst gap is its primary sports-area CV 0.587 over the limit 0.50 (data
    # README §1.2): 0.587 - 0.50 = 0.087.
    demo_row = next(row for row in rows if "Demo County" in row)
    assert "sports_area_per_student" in demo_row
    assert "0.087" in demo_row
    assert "Part 1 passed in" in out


def test_score_survey(monkeypatch, tmp_path, capsys):
    out = _run("score_survey.py", monkeypatch, tmp_path, capsys)
    # data README §1.4: 1264 / 1452 = 0.8705 (pass), Wilson (0.852, 0.887); strict 995 / 1452.
    assert f"rate {1264 / 1452:.4f} -> passed=True" in out
    assert "(0.852, 0.887)" in out
    assert f"rate {995 / 1452:.4f} -> passed=False" in out
    assert "wilson_interval(1264/1452) = (0.852, 0.887)" in out
    # Per group, e.g. parents 666 / 758.
    parent = next(line for line in out.splitlines() if line.startswith("parent"))
    assert parent.split() == ["parent", "758", "666", f"{666 / 758:.4f}"]
    # 1500 respondents >= ceil(0.0015 x 520 000) = 780; parents 780 / 1500 = 0.52 >= 0.5.
    assert "sample_size" in out
    assert "achieved 1500 >= 780" in out
    assert "parent_share" in out


def test_read_chinese_excel(monkeypatch, tmp_path, capsys):
    out = _run("read_chinese_excel.py", monkeypatch, tmp_path, capsys)
    assert "read back 40 schools" in out
    # 示范县实验小学: equipment 6 660 000 yuan, written as 666 万元 and read back in yuan.
    assert "equipment 6,660,000 yuan" in out
    assert "verdict from Excel 'fail', from the canonical CSV 'fail'" in out
    assert "same failing items: True; same coefficients of variation: True" in out


def test_checklist_status(monkeypatch, tmp_path, capsys):
    out = _run("checklist_status.py", monkeypatch, tmp_path, capsys)
    # data README §2: 示范东区 has every item done; 示范高新区 has condition S3 in progress.
    assert "示范东区 (Demo East District): 100% done" in out
    assert "示范高新区 (Demo Hi-tech Zone):" in out
    hitech = next(
        line for line in out.splitlines() if line.startswith("  示范高新区") and "done" in line
    )
    assert hitech.endswith("not_eligible")
    assert "still to do" in out


def test_city_overview(monkeypatch, tmp_path, capsys):
    out = _run("city_overview.py", monkeypatch, tmp_path, capsys)
    # data README §2 / demo register: one unit recognised (示范东区, 2023), one provincially
    # assessed, one applied (示范县), one creating.
    assert "示范东区 (Demo East District): nationally_recognized" in out
    assert "示范县 (Demo County): applied" in out
    assert "whole city recognised: False" in out
    line = next(line for line in out.splitlines() if line.startswith("primary sports area"))
    total, between, within = (
        float(part.split()[-1])
        for part in (
            line.split("=")[1].split("between")[0],
            line.split("between")[1].split("+")[0],
            line.split("within")[1].split("(")[0],
        )
    )
    assert abs(total - (between + within)) <= 1e-4  # printed to 4 decimals
