"""Trends across audits for every figure kind, overall and by agency, oldest audit first.

- ``questions``: one question's figures in every audit that asked it (grade and yes / partly
  / no distributions, checklist prevalence), by its stable identity (``identity.py``).
- ``completion``: returns submitted of returns expected, per audit and per agency.
- ``themes``: a theme's grades by agency in each audit (the theme's overall grades are
  ``findings.results.theme_trends``).

Each read takes a fixed number of queries whatever the number of audits.
"""
