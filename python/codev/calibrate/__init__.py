"""Calibration: ``codev calibrate``, in two stages (docs/validation.md).

- :mod:`codev.calibrate.national` (``--stage remittances``, the default): the
  national scenario's remittance and migration parameters fitted to public
  figures by the simulated method of moments, and the water-point hazard in
  closed form; writes ``mali-national-calibrated.toml`` and its record.
- :mod:`codev.calibrate.associations` (``--stage associations``): the
  assumptions of ``mali-kayes-baseline`` that association-level figures
  (:mod:`codev.calibrate.association_level`) can speak to, ranked on a grid.

The national stage's names are reachable from here, as they were when it was
the whole module: ``from codev import calibrate; calibrate.calibrate(...)``.
"""

import sys

from .national import (
    CALIBRATED,
    DATA,
    PARAMETERS,
    RECORD,
    SCENARIO,
    SCENARIOS,
    STAGES,
    TARGETS,
    WATER_CURVE,
    WATER_KEY,
    XOF_PER_EUR,
    Config,
    Parameter,
    Simulator,
    Target,
    at,
    calibrate,
    calibrated_toml,
    covariance,
    fit,
    fit_water_hazard,
    load_targets,
    load_water_curve,
    moments_of,
    posterior_sample,
    read_table,
    residuals,
    water_curve,
    with_probe,
    write,
    zone_formal,
)

__all__ = [
    "CALIBRATED",
    "DATA",
    "PARAMETERS",
    "RECORD",
    "SCENARIO",
    "SCENARIOS",
    "STAGES",
    "TARGETS",
    "WATER_CURVE",
    "WATER_KEY",
    "XOF_PER_EUR",
    "Config",
    "Parameter",
    "Simulator",
    "Target",
    "at",
    "calibrate",
    "calibrated_toml",
    "covariance",
    "fit",
    "fit_water_hazard",
    "load_targets",
    "load_water_curve",
    "main",
    "moments_of",
    "posterior_sample",
    "read_table",
    "residuals",
    "water_curve",
    "with_probe",
    "write",
    "zone_formal",
]


def main(argv=None) -> int:
    """``codev calibrate``: the stage named by ``--stage`` (remittances by default)."""
    from .._cli import Parser

    argv = list(sys.argv[1:] if argv is None else argv)
    stages = Parser("calibrate", add_help=False)
    stages.add_argument("--stage", choices=STAGES, default=STAGES[0])
    chosen, rest = stages.parse_known_args(argv)
    if chosen.stage == "associations":
        from . import associations

        return associations.main(rest)
    from . import national

    return national.main(rest)
