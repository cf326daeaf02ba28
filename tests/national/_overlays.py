"""Rule sets changed in one entry, for tests of rules read from the rule set."""

from eduequity.national.rules import Overlay, RuleOperation


def changed(rules, key, *, value=None, op="set"):
    """Return ``rules`` with one operation applied: ``set`` ``key`` to ``value``, or ``remove``."""
    operation = RuleOperation(op=op, key=key, value=value)
    overlay = Overlay(
        id="test_change", title="test overlay", parent=rules.id, operations=(operation,)
    )
    return rules.with_overlay(overlay)
