"""xpcli: a county's 一件事一次办 service catalog, kept as code."""

__version__ = "0.2.0"
