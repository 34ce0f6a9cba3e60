"""plandigit: digitise scanned Swedish municipal plans and agreements for the e-archive."""

__version__ = "0.1.0"
