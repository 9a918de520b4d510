"""DSWatch benchmarks (issue 5): `python -m bench --quick | --full`; see README "Performance"."""
