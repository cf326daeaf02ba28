"""
County CVs against their limits (县域校际差异系数)
==================================================

``assess_counties`` computes the seven inter-school coefficients of variation of every county
at once. ``plot_county_cvs`` draws them county by county, sorted by each county's largest CV,
against the limit of the stage (0.50 for primary schools, 0.45 for junior ones); markers above
the limit are edged red. The 30 counties here are synthetic (``generate_schools``).
"""

from matplotlib import pyplot as plt

from eduequity.datasets import generate_schools
from eduequity.national import assess_counties
from eduequity.report.plot import plot_county_cvs

counties = assess_counties(generate_schools(n_counties=30, n_schools=900, seed=11))

figure, (primary, junior) = plt.subplots(2, 1, figsize=(11, 8), layout="constrained")
plot_county_cvs(counties, stage="primary", ax=primary)
plot_county_cvs(counties, stage="junior", ax=junior)
plt.show()
