"""Benchmarks and the large-data generator (docs/benchmarks.md). Not part of `make test`."""
