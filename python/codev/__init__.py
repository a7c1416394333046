"""codev: an agent-based model of migrant remittances and the public matching
funds that co-finance diaspora projects.

The simulation itself is C++ (the ``codev`` command installed beside this
package); this package is the Python side for notebooks: reading results,
comparing scenarios and plotting. The Python API proper (``codev.Scenario``,
``codev.run``, ``codev.open``) is still to come.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("codev")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
