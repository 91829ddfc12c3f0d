"""Stage 6: reports — the data a report is made of, the words every output
uses for it, charts, the HTML page, the Excel annex, the Word draft, the
papermill run that renders them, and the exploration notebook's API."""
