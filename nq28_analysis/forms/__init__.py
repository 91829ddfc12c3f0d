"""Stage 3: the reporting form — its layout and header vocabulary, the
vocabulary of its cells (statuses, dates, task ids), the pre-filled template
written for each unit, and the synthetic demo submissions made with it."""
