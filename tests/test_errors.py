import json

import pytest

from eduequity import errors


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (errors.InvalidArgumentError, ValueError),
        (errors.InvalidValueError, ValueError),
        (errors.InvalidTypeError, TypeError),
        (errors.InputError, ValueError),
        (errors.RuleSetError, ValueError),
    ],
)
def test_concrete_errors_subclass_the_builtin_and_the_base(cls, builtin):
    assert issubclass(cls, errors.EduEquityError)
    assert issubclass(cls, builtin)


def test_degenerate_data_warning_is_a_runtime_warning():
    assert issubclass(errors.DegenerateDataWarning, RuntimeWarning)


def test_input_error_renders_every_issue_with_its_location():
    issues = [
        errors.Issue(
            code="not_a_number",
            message="'12a' is not a number",
            table="schools",
            row=17,
            key="school_id=3701020001",
            column="students_primary",
            header="小学在校生数",
            value="12a",
        ),
        errors.Issue(
            code="negative_value", message="-3 is below 0", table="schools", row=18, column="books"
        ),
        errors.Issue(code="unknown_column", message="ignored", severity="warning", column="x"),
    ]
    error = errors.InputError(issues, table="schools")
    text = str(error)
    assert text.startswith("2 problems in table 'schools':")
    assert (
        "[not_a_number] '12a' is not a number @ table schools, row 17 "
        "(school_id=3701020001), column students_primary (header '小学在校生数')"
    ) in text
    assert "row 18" in text
    assert "unknown_column" not in text  # warnings travel in .issues, not in the message
    assert error.issues == tuple(issues)
    assert [issue.code for issue in error.errors] == ["not_a_number", "negative_value"]
    assert error.code == "invalid_input"


def test_input_error_with_one_issue_takes_its_code():
    error = errors.InputError([errors.Issue(code="mixed_years", message="two years")])
    assert error.code == "mixed_years"


def test_input_error_needs_an_issue():
    with pytest.raises(ValueError, match="at least one issue"):
        errors.InputError([])


def test_issue_to_dict_is_json_safe():
    issue = errors.Issue(code="x", message="m", row=2)
    assert json.loads(json.dumps(issue.to_dict()))["row"] == 2


def test_render_does_not_repeat_a_location_the_message_already_gives():
    issue = errors.Issue(
        code="negative_value",
        message="row 3 (school_id=7), column books: '-5' is negative; expected a value >= 0",
        table="schools",
        row=3,
        key="school_id=7",
        column="books",
    )
    assert issue.render() == (
        "[negative_value] row 3 (school_id=7), column books: '-5' is negative; "
        "expected a value >= 0"
    )
