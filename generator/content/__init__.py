"""Stage 1-3: the content files read (load), checked (schema, validate, coverage, registry) and resolved into the model (resolve, citations, criteria_inference)."""
