"""Stage 2: the Action Program as data — the official text, deadline phrases,
the catalogue of tasks, units, events and settings, and the deadline rules
that turn them into obligations."""
