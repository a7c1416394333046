"""``python -m codev.analysis.search_cli``: what ``codev search`` runs (the C++ command
execs this module, as it does ``codev.report``). The search itself is
:func:`codev.search`, in :mod:`codev.analysis.search`."""

import json
import sys

from .._cli import Parser, fail
from .search import search


def _parser() -> Parser:
    parser = Parser(
        "search",
        description=(
            "Find the smallest value of one factor of a scenario that meets a target with a given probability "
            "(bisection, the same seed at every value). Exit status 0 when found, 1 when the target is not met "
            "within the bounds, 2 on an error."
        ),
    )
    parser.add_argument("scenario", help="base scenario file (TOML)")
    parser.add_argument("--factor", required=True, help="dotted key, e.g. programmes.codev.budget_per_year_xof")
    parser.add_argument("--target", required=True, help="'INDICATOR OP NUMBER', e.g. 'projects_completed >= 100'")
    parser.add_argument("--bounds", required=True, metavar="LOW:HIGH", help="interval searched")
    parser.add_argument("--probability", type=float, default=0.9, help="share of replicates")
    parser.add_argument("--replicates", "-r", type=int, default=40, help="replicates per value")
    parser.add_argument("--seed", "-s", type=int, default=0, help="random seed")
    parser.add_argument("--tolerance", type=float, help="bracket width to stop at (default: (HIGH-LOW)/100)")
    parser.add_argument("--max-evaluations", type=int, default=30, help="at most this many values")
    parser.add_argument("--threads", "-t", type=int, help="worker threads (default: every core)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.add_argument("--quiet", "-q", action="store_true", help="no line per evaluation on stderr")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        bounds = [float(b) for b in args.bounds.split(":")]
        if len(bounds) != 2:
            raise ValueError(f"--bounds: expected LOW:HIGH, got '{args.bounds}'")
        found = search(
            args.scenario,
            args.factor,
            args.target,
            probability=args.probability,
            bounds=bounds,
            replicates=args.replicates,
            seed=args.seed,
            tolerance=args.tolerance,
            max_evaluations=args.max_evaluations,
            threads=args.threads,
            progress=not args.quiet,
        )
    except (OSError, KeyError, ValueError) as error:
        return fail("search", error)
    print(json.dumps(found.to_dict()) if args.json else found)
    return 0 if found.found else 1


if __name__ == "__main__":
    sys.exit(main())
