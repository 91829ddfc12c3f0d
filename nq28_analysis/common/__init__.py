"""Stage 1: what every stage uses — Vietnamese text and legacy encodings,
periods, number and date formatting, CSV tables, problems, errors, and the
project folder with its paths.

Imports flow one way through the stages: ``common`` → ``reference`` →
``forms`` → ``ingest`` → ``metrics`` → ``reports``; only ``cli`` and
``workflow`` sit above them all.
"""
