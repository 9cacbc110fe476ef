"""Bytes per stored value for each weight and KV-cache precision, scale overhead included.

Sources: the formats' definitions. nvfp4: 4-bit E2M1 values with one FP8 (E4M3) scale per block of
16 (NVIDIA, "Introducing NVFP4", 2025) = 4/8 + 1/16 = 0.5625 B. mxfp4: 4-bit values with one 8-bit
E8M0 scale per block of 32 (OCP Microscaling Formats spec v1.0, 2023) = 0.5 + 1/32 = 0.53125 B.
int4 / awq / gptq: 4-bit values, group size 128 with an fp16 scale and a 4-bit zero point per group
(AutoAWQ / AutoGPTQ defaults) = 0.5 + 2/128 + 0.5/128 = 0.51953125 B. fp8: one byte plus one fp32
scale per 128x128 block (DeepSeek-V3 block-wise format) = 1 + 4/16384 B. int8: one byte plus one fp16
scale per output channel (negligible; counted as 1 + 2/4096 for 4096-wide rows).
"""

from __future__ import annotations

WEIGHT_BYTES: dict[str, float] = {
    "bf16": 2.0,
    "fp16": 2.0,
    "fp8": 1.0 + 4 / (128 * 128),
    "int8": 1.0 + 2 / 4096,
    "int4": 0.5 + 2 / 128 + 0.5 / 128,
    "awq": 0.5 + 2 / 128 + 0.5 / 128,
    "gptq": 0.5 + 2 / 128 + 0.5 / 128,
    "nvfp4": 0.5 + 1 / 16,
    "mxfp4": 0.5 + 1 / 32,
}
"""Bytes per weight, scales included."""

KV_BYTES: dict[str, float] = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0}
"""Bytes per cached K or V element (per-tensor scales are negligible)."""

COMPUTE_PRECISION: dict[str, str] = {
    "bf16": "bf16",
    "fp16": "fp16",
    "fp8": "fp8",
    "int8": "bf16",
    "int4": "bf16",
    "awq": "bf16",
    "gptq": "bf16",
    "nvfp4": "fp4",
    "mxfp4": "fp4",
}
"""Tensor-core precision the matmuls run in for each weight format where the GPU has it (fp8 on
Hopper and later, fp4 on Blackwell); elsewhere, and always for int8 and int4 (taken as weight-only,
W8A16 / W4A16, as gpt-fast, Marlin and AWQ kernels run them), the weights are dequantized to bf16."""
