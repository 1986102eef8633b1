"""spark-submit entry point: ``spark-submit --py-files onrecord.zip -m``-style runs of ``onrecord spark``.

    spark-submit [spark options] "$(python -c 'import onrecord.spark.__main__ as m; print(m.__file__)')" \\
        INPUT... --out DIR [--partitions N]

Arguments are those of ``onrecord spark``; the session is the one spark-submit configured.
"""

from __future__ import annotations

import sys

from onrecord.cli.spark import spark


def main(argv: list[str] | None = None) -> None:
    """Run ``onrecord spark`` with these arguments (default: the process's own)."""
    spark.main(args=sys.argv[1:] if argv is None else argv, prog_name="onrecord spark")


if __name__ == "__main__":
    main()
