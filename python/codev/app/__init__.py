"""``codev app``: the workbench, a local web page where a policy designer who
does not write code picks scenarios from a catalogue, changes their levers in
a form built from the scenario schema, runs an ensemble in the background,
compares the policies with a baseline and downloads the brief, the tables and
the results file. docs/app.md describes it.

- :mod:`.workspace`: the catalogue, the designer's scenarios and the runs' folders;
- :mod:`.levers`: the form's fields, from the schema, checked by the loader;
- :mod:`.tasks`: the one run (or brief) made in the background at a time;
- :mod:`.compare`: what the results page shows;
- :mod:`.server`: the pages (Starlette), :mod:`.cli`: the command.
"""

from .server import make_app
from .workspace import Workspace

__all__ = ["Workspace", "make_app"]
