"""Substance analyzers: who is quoted, which sources are leaned on, what is counted, who acts.

Each analyzer lives in its own module and registers through the ``unspun.analyzers`` entry
points; they share one spaCy parse per article (:mod:`unspun.substance.nlp`).
"""
