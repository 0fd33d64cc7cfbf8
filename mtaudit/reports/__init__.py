"""Reports: verdicts → JSON, terminal text (and, with the reviewer's report, HTML)."""
