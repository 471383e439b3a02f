"""Stage 3, the project: many files checked together, their modules' names, what each exports
to the others, the cache and the worker processes."""
