"""Training code for unspun's models. Needs the ``train`` extra (torch, transformers, onnx)."""
