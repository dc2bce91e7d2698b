"""Load, crash, bad-input and fuzzing tests of the real service (see docs/reliability.md)."""
