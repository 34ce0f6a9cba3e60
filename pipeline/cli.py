"""The `plandigit` command: thin click commands over the library.

Every failure is a PlandigitError carrying its exit code; this module is the only place
that turns one into a message and an exit status.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .errors import PlandigitError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlandigitError as exc:
            click.echo(f"plandigit: error: {exc}", err=True)
            sys.exit(int(exc.exit_code))


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="plandigit")
def main() -> None:
    """Digitise scanned Swedish municipal plans and agreements.

    \b
    Example:
        plandigit process samples/verksamhetsplan-2022.pdf -o out/
    """


# --- process / validate (foundation, OCR) -------------------------------------------------

# --- correct / corrections (diacritic repair) ---------------------------------------------

# --- export (extraction) ------------------------------------------------------------------

# --- diff ---------------------------------------------------------------------------------

# --- batch / search (batch runs, catalogue) -----------------------------------------------

# --- package (archival packages) ----------------------------------------------------------
