"""
Schools against the standard (学校达标情况)
===========================================

The demo county 示范县 fails Part 1 on sports ground per pupil (L5, 生均体育运动场馆面积): one
primary school has 2.6 m² per pupil against a standard of 7.5. ``plot_schools`` draws every
school section of a stage as a bar, sorted, with the standard, the 85% floor of the per-school
rule and the enrolment-weighted county value. Amber bars miss the standard; red ones belong to
sections that fail the per-school rule (at least 6 of 7 standards met, the last at 85%).
"""

from matplotlib import pyplot as plt

from eduequity.datasets import load_demo_county
from eduequity.national import assess_county
from eduequity.report.plot import plot_schools

demo = load_demo_county()
assessment = assess_county(
    demo.schools, facts=demo.facts, survey=demo.survey, monitoring=demo.monitoring
)

figure, (primary, junior) = plt.subplots(
    1, 2, figsize=(12, 4.5), layout="constrained", width_ratios=(23, 15)
)
plot_schools(assessment, "sports_area_per_student", stage="primary", ax=primary)
plot_schools(assessment, "sports_area_per_student", stage="junior", ax=junior)
plt.show()
