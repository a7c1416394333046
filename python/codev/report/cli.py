"""``codev report`` (``python -m codev.report``): the funding brief of a results file."""

import sys

from .._cli import Parser, fail
from ..results import open_results
from .brief import write_report
from .export import add_draw_options
from .i18n import LANGUAGES


def main(argv=None) -> int:
    parser = Parser(
        "report",
        description="Write the funding brief of a results file: one "
        "self-contained HTML page (and a PDF) comparing each policy scenario with the baseline.",
    )
    parser.add_argument("file", help="results file (HDF5) written by codev run")
    parser.add_argument(
        "--baseline", help="name of the baseline scenario (default: the scenario whose file declares baseline = true)"
    )
    parser.add_argument("--out", required=True, help="HTML file to write")
    parser.add_argument("--pdf", help="also print the brief to this PDF (needs Debian's chromium)")
    parser.add_argument("--lang", default="en", choices=LANGUAGES, help="language of the brief")
    parser.add_argument(
        "--scenarios",
        nargs="+",
        metavar="NAME",
        help="policy scenarios to report (default: all but the baseline and the risk runs)",
    )
    parser.add_argument(
        "--risk-scenarios",
        nargs="+",
        metavar="NAME",
        default=[],
        help="scenarios to treat as risk runs, besides those recognised (a scenario that differs "
        "from another only by shocks or by higher failure hazards)",
    )
    add_draw_options(parser)
    args = parser.parse_args(argv)
    try:
        with open_results(args.file) as results:
            write_report(
                results,
                args.baseline,
                args.out,
                pdf=args.pdf,
                lang=args.lang,
                scenarios=args.scenarios,
                risk_scenarios=args.risk_scenarios,
                draws=args.draws,
                draw_replicates=args.draw_replicates,
            )
    except (OSError, ValueError) as error:
        return fail("report", error)
    written = f"{args.out} and {args.pdf}" if args.pdf else args.out
    print(f"codev: wrote {written}", file=sys.stderr)
    return 0
