"""evsweep-post: figures, summary tables and sensitivity indices from evsweep results.

  /usr/bin/python3 -m evsweep_post report results/default/results.h5 [-o DIR]
  /usr/bin/python3 -m evsweep_post compare A.h5 B.h5
  /usr/bin/python3 -m evsweep_post contrast BASE.h5 OTHER.h5 [-o DIR]
  /usr/bin/python3 -m evsweep_post scenario RESULTS.h5 K [-o DIR]   (or a JSON of 'evsweep solve --json')
  /usr/bin/python3 -m evsweep_post cases CASE1.h5 CASE2.h5 ... [--labels ...] [-o table.csv]   (stackelberg)
"""
import argparse
import sys

from .results import ResultsError


def main(argv=None):
    ap = argparse.ArgumentParser(prog="evsweep-post", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("compare", help="exit 0 when two results files hold the same results (timings aside)")
    p.add_argument("a")
    p.add_argument("b")
    p = sub.add_parser("report", help="summary table, figures and sensitivity indices of one results file")
    p.add_argument("results")
    p.add_argument("-o", "--output", help="directory for the CSV and figures (default: next to the file)")
    p.add_argument("--metrics", nargs="*", default=None, help="metrics for sensitivity indices")
    p = sub.add_parser("contrast", help="same scenarios, two studies (e.g. fixed vs coordinated charging)")
    p.add_argument("base")
    p.add_argument("other")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--labels", nargs=2, default=None)
    p = sub.add_parser("scenario", help="one scenario's day: power sources, storage, voltage heat map, LMPs")
    p.add_argument("source", help="results.h5, or the JSON of 'evsweep solve --json'")
    p.add_argument("k", nargs="?", type=int, help="scenario id (results files)")
    p.add_argument("-o", "--output", help="directory for the figure")
    p = sub.add_parser("cases", help="the paper 003 table: best / mean / sd of each party's objective per case")
    p.add_argument("results", nargs="+")
    p.add_argument("--labels", nargs="*", default=None)
    p.add_argument("-o", "--output", help="CSV file for the table")
    args = ap.parse_args(argv)
    try:
        if args.command == "compare":
            from .compare import differences
            diff = differences(args.a, args.b)
            for line in diff:
                print(line)
            print(f"{len(diff)} differences" if diff else "identical (timings aside)")
            return 1 if diff else 0
        if args.command == "report":
            from .report import report
            return report(args.results, args.output, args.metrics)
        if args.command == "scenario":
            from .scenario import scenario
            return scenario(args.source, args.k, args.output)
        if args.command == "cases":
            import pandas as pd
            from .stackelberg import case_table
            if args.labels and len(args.labels) != len(args.results):
                print("evsweep-post: error: --labels needs one label per results file", file=sys.stderr)
                return 2
            table = case_table(args.results, args.labels)
            with pd.option_context("display.width", 160, "display.float_format", "{:.6g}".format):
                print(table.to_string(index=False))
            if args.output:
                table.to_csv(args.output, index=False)
            return 0
        if args.command == "contrast":
            from .report import contrast
            return contrast(args.base, args.other, args.output, args.labels)
    except ResultsError as e:
        print(f"evsweep-post: error: {e}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
