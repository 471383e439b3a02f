"""Stage 2, the engine: one module's tree to findings. Scopes and bindings are gathered in one
pass (`resolve`), values are evaluated lazily (`evaluate`), uses are matched against the table
(`detect`), guards and pitfalls are judged, and what the module exports is summarised."""
