"""
Lorenz curves and the Gini coefficient (洛伦兹曲线)
===================================================

A Lorenz curve plots the share of a resource held by the poorest share of pupils; twice the
area between the diagonal and the curve is the Gini coefficient (``eduequity.gini``). Here the
equipment value per pupil (生均教学仪器设备值) of the demo county's schools, weighted by their
enrolment, for each stage.
"""

from matplotlib import pyplot as plt

from eduequity.datasets import load_demo_county
from eduequity.national import assess_county
from eduequity.report.plot import plot_lorenz

demo = load_demo_county()
schools = assess_county(demo.schools).resources.schools

values = {}
pupils = {}
for stage, rows in schools.groupby("stage", sort=False):
    values[stage] = rows["equipment_value_per_student"]
    pupils[stage] = rows["students"]

plot_lorenz(values, pupils)
plt.show()
