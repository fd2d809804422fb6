"""extrans: translate a Hugo site through gettext PO catalogs, losslessly."""

from __future__ import annotations

__version__ = "0.2.0"

__all__ = ["__version__"]
