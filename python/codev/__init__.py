"""codev: an agent-based model of migrant remittances and the public matching
funds that co-finance diaspora projects.

The model is C++ (the compiled module ``codev._core``, and the ``codev``
command installed beside this package); this package runs it from Python and
reads its results:

- :class:`codev.Scenario`: load a scenario file, change parameters by dotted
  key (``sc.with_(**{"programmes.codev.share": 0.5})``), save it;
- :func:`codev.run`: run scenarios x replicates in this process, with a
  progress bar; Ctrl-C stops it;
- :func:`codev.open`: open a results file; it and :func:`codev.run` give a
  :class:`codev.Results` (``.summary()``, ``.compare()``, ``.plot()``,
  ``.to_xarray()``, ``.to_dataframe()``, and ``.report()``, the funding
  brief of :mod:`codev.report`);
- :mod:`codev.indicators`: the indicators, each with its formula.
- decision analysis (docs/decision-analysis.md): :mod:`codev.sensitivity`
  (SALib's Sobol' and Morris indices of an indicator over a sweep),
  :mod:`codev.robust` (each policy's regret over states of the world),
  :func:`codev.search` (the smallest value of a factor that meets a target
  with a given probability) and ``Results.to_ema()`` (EMA Workbench's PRIM).
- :mod:`codev.calibrate` (``from codev import calibrate``; ``codev calibrate``):
  the national scenario fitted to public figures (docs/validation.md);
  ``Results.yearly()`` gives flows by calendar year.
"""

from . import indicators
from ._version import __version__
from .analysis import robust, sensitivity
from .analysis.search import search
from .ensemble import run
from .results import Results, open_results
from .scenario import Scenario
from .shipped import scenarios
from .sweep import sweep

open = open_results  # codev.open; not in __all__, so `from codev import *` keeps the built-in open

__all__ = [
    "Results",
    "Scenario",
    "__version__",
    "indicators",
    "open_results",
    "robust",
    "run",
    "scenarios",
    "search",
    "sensitivity",
    "sweep",
]
