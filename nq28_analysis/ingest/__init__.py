"""Stage 4: from returned workbooks to consolidated tables — guards against
hostile files, isolated reading, validation with every problem at its cell,
worker batches, consolidation of resubmissions, and the units' feedback."""
