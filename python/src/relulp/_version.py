"""The package's version: always the relulp binary's (`relulp --version`, relulpVersion in the Swift sources)."""

__version__ = "0.10.0"
