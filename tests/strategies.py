"""Hypothesis strategies shared by the test suite."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

positive_floats = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
nonnegative_floats = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
positive_weights = st.floats(min_value=1e-2, max_value=1e4, allow_nan=False, allow_infinity=False)
enrolments = st.integers(min_value=1, max_value=3000)
scale_factors = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def values_and_weights(draw, *, min_size=1, max_size=40, values=positive_floats):
    """Equal-length arrays of per-unit values and positive weights."""
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    x = draw(hnp.arrays(np.float64, n, elements=values))
    w = draw(hnp.arrays(np.float64, n, elements=positive_weights))
    return x, w


@st.composite
def grouped_values(draw, *, max_groups=6, max_size=60, values=positive_floats):
    """Values, integer enrolments and group labels (strings), every group non-empty."""
    n_groups = draw(st.integers(min_value=1, max_value=max_groups))
    n = draw(st.integers(min_value=n_groups, max_value=max(n_groups, max_size)))
    labels = [f"g{i}" for i in range(n_groups)]
    groups = labels + draw(
        st.lists(st.sampled_from(labels), min_size=n - n_groups, max_size=n - n_groups)
    )
    order = draw(st.permutations(range(n)))
    groups = [groups[i] for i in order]
    x = draw(hnp.arrays(np.float64, n, elements=values))
    w = draw(hnp.arrays(np.int64, n, elements=enrolments))
    return x, groups, w
