"""What every ``codev`` command written in Python shares with the native ones
(``codev report``, ``export``, ``calibrate``, ``search``): errors are one line,
``codev: error: COMMAND: ...``, with exit status 2, and ``--help`` shows each
option's default."""

import argparse
import sys


class _DefaultsShown(argparse.RawDescriptionHelpFormatter):
    """Each option's help ends with its default, unless it already names one or has none."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "default" in text or action.default in (None, False, argparse.SUPPRESS) or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """argparse for ``codev COMMAND``: one-line errors, exit status 2, defaults shown."""

    def __init__(self, command: str, **kwargs):
        super().__init__(prog=f"codev {command}", formatter_class=_DefaultsShown, **kwargs)
        self.command = command

    def error(self, message):
        self.exit(2, f"codev: error: {self.command}: {message} (see codev {self.command} --help)\n")


def fail(command: str, error: BaseException) -> int:
    """Print ``error`` as the one line every codev error is, and return exit status 2."""
    text = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
    message = text.splitlines()[0] if text.strip() else type(error).__name__
    print(f"codev: error: {command}: {message}", file=sys.stderr)
    return 2
