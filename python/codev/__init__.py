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
"""

from importlib.metadata import PackageNotFoundError, version

from . import indicators
from .ensemble import run
from .results import Results, open_results
from .scenario import Scenario
from .sweep import sweep

open = open_results  # codev.open; not in __all__, so `from codev import *` keeps the built-in open

try:
    __version__ = version("codev")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["Results", "Scenario", "__version__", "indicators", "open_results", "run", "sweep"]
