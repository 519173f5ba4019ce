"""batch stage: restore, extract and ingest on a distributed engine."""
