"""Reading and writing model weights as safetensors, with numpy alone.

The format is a little-endian u64 header length, a JSON header naming each tensor's dtype,
shape and byte range, then the raw bytes. It is simple enough that inference need not
depend on the ``safetensors`` package, and unlike pickle it cannot run code when loaded.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt

_DTYPES: dict[str, str] = {"F32": "<f4", "F64": "<f8", "I32": "<i4", "I64": "<i8"}
_NAMES: dict[str, str] = {np.dtype(v).str: k for k, v in _DTYPES.items()}


def save_tensors(path: Path, tensors: Mapping[str, npt.NDArray[np.generic]]) -> None:
    """Write ``tensors`` to ``path``; names are sorted so the file is byte-for-byte reproducible."""
    header: dict[str, object] = {}
    blobs: list[bytes] = []
    offset = 0
    for name in sorted(tensors):
        arr = np.ascontiguousarray(tensors[name])
        arr = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
        key = _NAMES.get(arr.dtype.str)
        if key is None:
            raise ValueError(f"{name}: unsupported dtype {arr.dtype}")
        data = arr.tobytes()
        header[name] = {"dtype": key, "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)  # the format aligns the data on 8 bytes
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def load_tensors(path: Path) -> dict[str, npt.NDArray[np.generic]]:
    """Read every tensor of a safetensors file into numpy arrays."""
    blob = path.read_bytes()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n])
    base = 8 + n
    out: dict[str, npt.NDArray[np.generic]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        arr = np.frombuffer(blob[base + start : base + end], dtype=np.dtype(_DTYPES[info["dtype"]]))
        out[name] = arr.reshape(info["shape"]).copy()
    return out


__all__ = ["load_tensors", "save_tensors"]
