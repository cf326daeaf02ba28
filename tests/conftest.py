"""Fixtures shared by the test packages."""

import pytest

from eduequity.io import tables as io_tables


@pytest.fixture
def runs(monkeypatch):
    """Record the table name of every validation run of the readers, in order."""
    seen = []
    original = io_tables.run

    def counting(source, schema, **kwargs):
        seen.append(schema.name)
        return original(source, schema, **kwargs)

    monkeypatch.setattr(io_tables, "run", counting)
    return seen
