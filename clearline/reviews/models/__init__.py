"""The after-incident records, one module per sub-domain."""
