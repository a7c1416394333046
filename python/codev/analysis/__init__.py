"""Decision analysis on sweeps (docs/decision-analysis.md): which parameters
drive an outcome (:mod:`~codev.analysis.sensitivity`, SALib's Sobol' and
Morris indices), where in the parameter space an outcome holds
(:mod:`~codev.analysis.ema`, scenario discovery with the EMA Workbench),
which policy holds up over states of the world
(:mod:`~codev.analysis.robust`), and the least value of a lever that meets a
target (:mod:`~codev.analysis.search`, with ``codev search`` in
:mod:`~codev.analysis.search_cli`). ``codev.sensitivity``, ``codev.robust``
and ``codev.search`` are the same modules and function, from the package's
top."""
