"""unspun's built-in general-purpose analyzers (the model-backed ones live beside their models)."""
