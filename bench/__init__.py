"""Benchmarks and the scripts that fit and measure the parser; run by hand, never by the package."""
