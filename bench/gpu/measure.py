"""Measure decode step time of random-weight transformer shapes on a CUDA GPU, plus the GPU's memory
bandwidth and matmul ceilings, and write a JSON file `breakeven calibrate --format breakeven-gpu` reads.

Needs only PyTorch (no downloads, no model weights): each shape is built from its published
architecture with random bf16 weights, its KV cache filled with random values, and one decode step
(all layers, final norm, output head) captured in a CUDA graph and replayed.

    python bench/gpu/measure.py --shape llama-3.1-8b --shape qwen3-30b-a3b --out bench/gpu/results/run.json
    python bench/gpu/measure.py --device cpu --tiny --out /tmp/smoke.json      # a smoke test without a GPU

Shapes (config.json figures of the published models; see src/breakeven/catalog/data/models.yaml):
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import time

import torch
import torch.nn.functional as F

SHAPES = {
    # layers, hidden, heads, kv_heads, head_dim, ffn width (dense) or expert width, vocab, experts, top-k
    "llama-3.1-8b": dict(layers=32, hidden=4096, heads=32, kv_heads=8, head_dim=128, ffn=14336, vocab=128256),
    "qwen3-8b": dict(layers=36, hidden=4096, heads=32, kv_heads=8, head_dim=128, ffn=12288, vocab=151936),
    "qwen3-30b-a3b": dict(
        layers=48, hidden=2048, heads=32, kv_heads=4, head_dim=128, ffn=768, vocab=151936, experts=128, top_k=8
    ),
    "tiny": dict(layers=2, hidden=256, heads=4, kv_heads=2, head_dim=64, ffn=512, vocab=1000, experts=8, top_k=2),
}
__doc__ += "\n".join(f"    {k}: {v}" for k, v in SHAPES.items())


class Layer:
    """One decoder layer's random weights and its KV cache for a fixed batch and context."""

    def __init__(self, s: dict, batch: int, context: int, device, dtype, gen) -> None:
        h, hd = s["hidden"], s["head_dim"]

        def w(*shape):
            return torch.randn(*shape, device=device, dtype=dtype, generator=gen) * 0.02

        self.s = s
        self.qkv = w((s["heads"] + 2 * s["kv_heads"]) * hd, h)
        self.o = w(h, s["heads"] * hd)
        self.norm1 = torch.ones(h, device=device, dtype=dtype)
        self.norm2 = torch.ones(h, device=device, dtype=dtype)
        self.k = w(batch, s["kv_heads"], context, hd)
        self.v = w(batch, s["kv_heads"], context, hd)
        if s.get("experts"):
            e, f = s["experts"], s["ffn"]
            self.router = w(e, h)
            self.gate_up = w(e, 2 * f, h)
            self.down = w(e, h, f)
            # a fixed, uniform routing for the captured step: each token picks top_k distinct experts
            scores = torch.rand(batch, e, device=device, generator=gen)
            self.route = scores.topk(s["top_k"], dim=-1).indices
            # rows per touched expert, fixed before capture (no host sync inside the CUDA graph)
            self.rows = {
                e: (self.route == e).any(dim=-1).nonzero().squeeze(-1) for e in torch.unique(self.route).tolist()
            }
        else:
            self.gate_up = w(2 * s["ffn"], h)
            self.down = w(h, s["ffn"])

    def mlp(self, x):
        if not self.s.get("experts"):
            g, u = (x @ self.gate_up.T).chunk(2, dim=-1)
            return (F.silu(g) * u) @ self.down.T
        _ = x @ self.router.T  # router logits (routing itself is fixed for the captured graph)
        out = torch.zeros_like(x)
        for e, rows in self.rows.items():  # reads only the experts this batch touches
            g, u = (x[rows] @ self.gate_up[e].T).chunk(2, dim=-1)
            out.index_add_(0, rows, (F.silu(g) * u) @ self.down[e].T)
        return out

    def __call__(self, x):
        s, b = self.s, x.shape[0]
        hd = s["head_dim"]
        y = F.rms_norm(x, (x.shape[-1],), self.norm1)
        q, _k, _v = (y @ self.qkv.T).split([s["heads"] * hd, s["kv_heads"] * hd, s["kv_heads"] * hd], dim=-1)
        q = q.view(b, s["heads"], 1, hd)
        # attend over the cache (the new token's k/v are not appended: the step's reads are the same)
        a = F.scaled_dot_product_attention(q, self.k, self.v, enable_gqa=True)
        x = x + a.reshape(b, -1) @ self.o.T
        return x + self.mlp(F.rms_norm(x, (x.shape[-1],), self.norm2))


def kv_bytes(s: dict, batch: int, context: int, dtype) -> int:
    return 2 * s["layers"] * batch * s["kv_heads"] * context * s["head_dim"] * torch.finfo(dtype).bits // 8


def weight_bytes(s: dict, dtype) -> int:
    h, hd = s["hidden"], s["head_dim"]
    ffn = 3 * h * s["ffn"] * s.get("experts", 1)
    per_layer = (s["heads"] + 2 * s["kv_heads"]) * hd * h + s["heads"] * hd * h + ffn
    return (s["layers"] * per_layer + 2 * s["vocab"] * h) * torch.finfo(dtype).bits // 8


def step_time_ms(s: dict, batch: int, context: int, device, dtype, iters: int) -> float:
    gen = torch.Generator(device=device).manual_seed(0)
    layers = [Layer(s, batch, context, device, dtype, gen) for _ in range(s["layers"])]
    head = torch.randn(s["vocab"], s["hidden"], device=device, dtype=dtype, generator=gen) * 0.02
    x0 = torch.randn(batch, s["hidden"], device=device, dtype=dtype, generator=gen)

    def step():
        x = x0
        for layer in layers:
            x = layer(x)
        return F.rms_norm(x, (x.shape[-1],)) @ head.T

    if device.type != "cuda":
        step()
        t = time.perf_counter()
        for _ in range(iters):
            step()
        return (time.perf_counter() - t) / iters * 1e3
    for _ in range(3):
        step()  # warm up kernels before capture
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        step()
    graph.replay()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(iters):
        graph.replay()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / iters


def ceilings(device, dtype, tiny: bool) -> dict:
    """Device-to-device copy bandwidth (read + write), GEMV weight streaming and dense matmul."""
    n = 1 << (20 if tiny else 30)
    a = torch.empty(n, device=device, dtype=torch.uint8)
    b = torch.empty_like(a)

    def timed(fn, reps):
        fn()
        if device.type == "cuda":
            torch.cuda.synchronize()
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        if device.type == "cuda":
            torch.cuda.synchronize()
        return (time.perf_counter() - t) / reps

    copy_s = timed(lambda: b.copy_(a), 5 if tiny else 20)
    k, m = (256, 1024) if tiny else (8192, 65536)
    x, w = torch.randn(1, k, device=device, dtype=dtype), torch.randn(k, m, device=device, dtype=dtype)
    gemv_s = timed(lambda: x @ w, 5 if tiny else 50)
    d = 256 if tiny else 8192
    p, q = torch.randn(d, d, device=device, dtype=dtype), torch.randn(d, d, device=device, dtype=dtype)
    mm_s = timed(lambda: p @ q, 3 if tiny else 20)
    return {
        "copy_tb_per_s": 2 * n / copy_s / 1e12,
        "gemv_tb_per_s": k * m * 2 / gemv_s / 1e12,
        "matmul_tflop_per_s": 2 * d**3 / mm_s / 1e12,
        "note": "copy counts read + write; gemv is 1 x K by K x M bf16 (weight streaming as in batch-1 decode)",
    }


def fits(s: dict, batch: int, context: int, dtype, device) -> bool:
    if device.type != "cuda":
        return True
    free, _ = torch.cuda.mem_get_info()
    return weight_bytes(s, dtype) + kv_bytes(s, batch, context, dtype) < 0.85 * free


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", action="append", choices=[k for k in SHAPES if k != "tiny"])
    parser.add_argument("--batches", default="1,2,4,8,16,32,64,128")
    parser.add_argument("--contexts", default="512,2048,8192,32768")
    parser.add_argument("--iters", type=int, default=50)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--tiny", action="store_true", help="a tiny shape and sweep, for a smoke test")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    device, dtype = torch.device(args.device), torch.bfloat16
    shapes = ["tiny"] if args.tiny else (args.shape or ["llama-3.1-8b"])
    batches = [1, 4] if args.tiny else [int(v) for v in args.batches.split(",")]
    contexts = [64, 256] if args.tiny else [int(v) for v in args.contexts.split(",")]
    runs = []
    for name in shapes:
        s, points = SHAPES[name], []
        for batch in batches:
            for context in contexts:
                if not fits(s, batch, context, dtype, device):
                    continue
                ms = step_time_ms(s, batch, context, device, dtype, 3 if args.tiny else args.iters)
                points.append({"batch": batch, "context": context, "itl_ms": round(ms, 4)})
                print(f"{name} batch {batch:4d} context {context:6d}: {ms:8.3f} ms", flush=True)
                if device.type == "cuda":
                    torch.cuda.empty_cache()
        runs.append({"shape": name, "precision": "bf16", "kv_precision": "bf16", "gpus": 1, "points": points})
    result = {
        "format": "breakeven-gpu-sweep",
        "version": 1,
        "date": dt.date.today().isoformat(),
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "cpu",
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "python": platform.python_version(),
        "ceilings": ceilings(device, dtype, args.tiny),
        "runs": runs,
        "method": "random bf16 weights; one decode step (all layers, final norm, output head) in a CUDA graph; "
        "KV cache of the full context per sequence; mean over replays",
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    print(f"wrote {args.out}; ceilings {result['ceilings']}")


if __name__ == "__main__":
    main()
