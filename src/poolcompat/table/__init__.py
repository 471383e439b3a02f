"""The rule table: `rules/*.toml` loaded and validated, the type model, the probes that verify
it on real interpreters, and each rule's documentation (`poolcompat explain`)."""
