"""sarkmon: monitoring as code for SARK.

The public building blocks live in :mod:`sarkmon.model`; this top-level module stays
import-light so that ``sarkmon --help`` starts fast.
"""

__version__ = "0.1.0"
