#!/usr/bin/env python3
"""PyTorch's own peak memory for the training step Headroom plans, in the forms that correspond.

Builds Headroom's GPT (nanoGPT: token + position embeddings, L blocks of LayerNorm -> causal
self-attention -> residual -> LayerNorm -> MLP -> residual, final LayerNorm, LM head tied to the
token embedding, mean cross-entropy) in PyTorch and measures torch.cuda.max_memory_allocated for
one training step at each batch size, in these forms:

  manual      attention written out with autograd (nanoGPT's slow path)     ~ Headroom view/minimal
  sdpa        F.scaled_dot_product_attention(is_causal=True)                ~ Headroom fused/minimal
  checkpoint  manual attention, torch.utils.checkpoint around every block   ~ Headroom view/checkpoint

Run where PyTorch and a CUDA GPU are (no other dependency):

  python3 scripts/torch_compare.py --preset seed --batch 1,2,4,8,16,32,64 --out torch-seed.json

The JSON lists one row per (form, batch): the peak (bytes), what was allocated before the step
began (parameters and buffers, optimizer state, inputs, and the rest: the CUDA libraries'
workspaces), the step's wall time, and the machine.
`node scripts/torch-vs-plan.mjs torch-seed.json` sets each row beside Headroom's plan.
"""

import argparse
import json
import math
import platform
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint as ckpt

# The same presets as src/engine/models/spec.ts.
PRESETS = {
    "seed": dict(vocab=65, seq=256, embd=384, heads=6, layers=6, mlp_ratio=4, activation="relu"),
    "gpt2-small": dict(vocab=50257, seq=1024, embd=768, heads=12, layers=12, mlp_ratio=4, activation="gelu"),
    "tiny": dict(vocab=17, seq=16, embd=32, heads=4, layers=2, mlp_ratio=4, activation="gelu"),
}
FORMS = ("manual", "sdpa", "checkpoint")
HEADROOM_FORM = {"manual": "view/minimal", "sdpa": "fused/minimal", "checkpoint": "view/checkpoint"}


class Attention(nn.Module):
    def __init__(self, embd, heads, seq, fused):
        super().__init__()
        self.heads, self.fused = heads, fused
        self.c_attn = nn.Linear(embd, 3 * embd)
        self.c_proj = nn.Linear(embd, embd)
        self.register_buffer("mask", torch.tril(torch.ones(seq, seq, dtype=torch.bool)), persistent=False)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        if self.fused:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(~self.mask[:t, :t], float("-inf"))
            y = F.softmax(att, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))


class Block(nn.Module):
    def __init__(self, m, fused):
        super().__init__()
        self.ln_1 = nn.LayerNorm(m["embd"])
        self.attn = Attention(m["embd"], m["heads"], m["seq"], fused)
        self.ln_2 = nn.LayerNorm(m["embd"])
        hidden = m["embd"] * m["mlp_ratio"]
        act = nn.ReLU() if m["activation"] == "relu" else nn.GELU()
        self.mlp = nn.Sequential(nn.Linear(m["embd"], hidden), act, nn.Linear(hidden, m["embd"]))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, m, form):
        super().__init__()
        self.checkpointed = form == "checkpoint"
        self.wte = nn.Embedding(m["vocab"], m["embd"])
        self.wpe = nn.Embedding(m["seq"], m["embd"])
        self.h = nn.ModuleList(Block(m, form == "sdpa") for _ in range(m["layers"]))
        self.ln_f = nn.LayerNorm(m["embd"])

    def forward(self, tokens, targets):
        pos = torch.arange(tokens.size(1), device=tokens.device)
        x = self.wte(tokens) + self.wpe(pos)
        for block in self.h:
            x = ckpt.checkpoint(block, x, use_reentrant=False) if self.checkpointed else block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()  # LM head tied to the token embedding
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def make_optimizer(name, params):
    if name == "sgd":
        return torch.optim.SGD(params, lr=1e-3, momentum=0.9)
    if name == "adamw":
        # foreach=False: one parameter at a time, as Headroom's update runs; foreach would add
        # temporaries of all parameters at once.
        return torch.optim.AdamW(params, lr=1e-3, foreach=False)
    return None


def step(model, opt, tokens, targets, mixed):
    with torch.autocast("cuda", dtype=torch.float16, enabled=mixed):
        loss = model(tokens, targets)
    loss.backward()
    if opt is not None:
        opt.step()
    return loss


def measure(preset, form, batches, optimizer, dtype, warmup):
    m = PRESETS[preset]
    dev = torch.device("cuda")
    torch.manual_seed(0)
    model = GPT(m, form).to(dev)
    if dtype == "f16":
        model = model.half()
    mixed = dtype == "mixed"
    opt = make_optimizer(optimizer, model.parameters())
    rows = []
    # One step first, so the optimizer's state exists (PyTorch creates it lazily, Headroom's is an
    # input of the step) and the CUDA libraries' workspaces are allocated.
    for b in batches:
        tokens = torch.randint(0, m["vocab"], (b, m["seq"]), device=dev)
        targets = torch.randint(0, m["vocab"], (b, m["seq"]), device=dev)
        try:
            for _ in range(warmup):
                model.zero_grad(set_to_none=True)
                step(model, opt, tokens, targets, mixed)
            model.zero_grad(set_to_none=True)
            torch.cuda.synchronize()
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
            before = torch.cuda.memory_allocated()
            model_bytes = sum(t.numel() * t.element_size() for t in [*model.parameters(), *model.buffers()])
            state_bytes = sum(
                v.numel() * v.element_size()
                for s in (opt.state.values() if opt is not None else [])
                for v in s.values()
                if torch.is_tensor(v) and v.is_cuda
            )
            input_bytes = 2 * tokens.numel() * tokens.element_size()
            t0 = time.perf_counter()
            loss = step(model, opt, tokens, targets, mixed)
            torch.cuda.synchronize()
            ms = (time.perf_counter() - t0) * 1e3
            rows.append(
                dict(
                    preset=preset, form=form, headroom=HEADROOM_FORM[form], optimizer=optimizer,
                    dtype=dtype, batch=b, peakBytes=torch.cuda.max_memory_allocated(),
                    reservedBytes=torch.cuda.max_memory_reserved(), beforeBytes=before,
                    modelBytes=model_bytes, stateBytes=state_bytes, inputBytes=input_bytes,
                    # what was allocated before the step beyond the model, its state and inputs:
                    # the CUDA libraries' workspaces (cuBLAS), which Headroom does not plan
                    otherBytes=before - model_bytes - state_bytes - input_bytes,
                    stepMs=round(ms, 3), loss=float(loss),
                )
            )
        except torch.OutOfMemoryError as e:
            rows.append(dict(preset=preset, form=form, optimizer=optimizer, dtype=dtype, batch=b,
                             error=f"out of memory: {str(e).splitlines()[0]}"))
            model.zero_grad(set_to_none=True)
            torch.cuda.empty_cache()
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    del model, opt
    torch.cuda.empty_cache()
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--preset", default="seed", help="comma list of: " + ", ".join(PRESETS))
    ap.add_argument("--form", default=",".join(FORMS), help="comma list of: " + ", ".join(FORMS))
    ap.add_argument("--batch", default="1,2,4,8", help="comma list of batch sizes")
    ap.add_argument("--optimizer", default="none", help="comma list of: none, sgd, adamw")
    ap.add_argument("--dtype", default="f32", help="comma list of: f32, f16, mixed")
    ap.add_argument("--activation", choices=["relu", "gelu"], help="override the presets' MLP activation")
    ap.add_argument("--warmup", type=int, default=1, help="steps before the measured one (default 1)")
    ap.add_argument("--out", default="-", help="JSON file (default: stdout)")
    a = ap.parse_args()
    if not torch.cuda.is_available():
        sys.exit("error: no CUDA GPU: torch_compare.py measures torch.cuda.max_memory_allocated")
    lists = {k: [s for s in getattr(a, k).split(",") if s] for k in ("preset", "form", "optimizer", "dtype")}
    for p in lists["preset"]:
        if p not in PRESETS:
            sys.exit(f"error: unknown preset {p}: one of {', '.join(PRESETS)}")
        if a.activation:
            PRESETS[p] = {**PRESETS[p], "activation": a.activation}
    for f in lists["form"]:
        if f not in FORMS:
            sys.exit(f"error: unknown form {f}: one of {', '.join(FORMS)}")
    batches = [int(b) for b in a.batch.split(",")]
    rows = []
    for p in lists["preset"]:
        for o in lists["optimizer"]:
            for d in lists["dtype"]:
                for f in lists["form"]:
                    rows += measure(p, f, batches, o, d, a.warmup)
    doc = dict(
        tool="scripts/torch_compare.py", torch=torch.__version__, cuda=torch.version.cuda,
        gpu=torch.cuda.get_device_name(), python=platform.python_version(),
        models={p: PRESETS[p] for p in lists["preset"]}, rows=rows,
    )
    text = json.dumps(doc, indent=1)
    if a.out == "-":
        print(text)
    else:
        with open(a.out, "w") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
