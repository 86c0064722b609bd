"""Benchmarks (make bench); not part of the package or the tests."""
