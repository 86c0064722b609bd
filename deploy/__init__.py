"""Serving many users: the `make serve` launcher and the configuration files for one or several hosts."""
