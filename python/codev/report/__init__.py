"""The funding brief and its tables: what a results file tells a funder.

- :mod:`codev.report.brief`: the brief itself, one self-contained HTML page
  and its PDF (``codev report`` and ``python -m codev.report`` run
  :mod:`codev.report.cli`);
- :mod:`codev.report.export`: the same numbers as spreadsheet tables
  (``codev export``);
- the brief's parts: :mod:`~codev.report.data` (numbers not in the summary
  tables: yearly flows, spread over communes, risk runs, loans),
  :mod:`~codev.report.policy` (the sections of one policy),
  :mod:`~codev.report.charts`, :mod:`~codev.report.page` (cells, tables,
  style) and :mod:`~codev.report.i18n` (English and French words and numbers).

docs/report.md lists the sections and the source of every number.
"""

from .brief import BROWSER_FLAGS, check_writable, find_chromium, print_pdf, write_atomically, write_report

__all__ = [
    "BROWSER_FLAGS",
    "check_writable",
    "find_chromium",
    "print_pdf",
    "write_atomically",
    "write_report",
]
