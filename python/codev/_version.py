"""The installed package's version (``codev.__version__``), in a module of its
own so that any part of the package can read it without importing the whole
package."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("codev")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0.0.0+unknown"
