"""Stage 4, the report: selection and target applied to the findings, the minimum Python, and
the output formats (text, JSON, SARIF, GitHub annotations)."""
