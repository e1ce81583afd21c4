"""Full fine-tuning throughput of the same 25.3M-parameter Llama in PyTorch eager, the peer of TrainBench.java.

Same shapes and work per step: random token ids, a sigmoid step head read every 32 tokens, binary cross-entropy
from logits, AdamW and clip_grad_norm_. The model is written out in plain torch (RMSNorm, rotate-half rotary,
grouped-query attention, SwiGLU) because Debian's python3-torch ships without transformers.

Usage: /usr/bin/python3 torch_train_bench.py BATCH TOKENS STEPS THREADS
"""
import math
import resource
import sys
import time

import torch
import torch.nn.functional as F

HIDDEN, LAYERS, HEADS, KV_HEADS, INTERMEDIATE, VOCAB = 512, 8, 8, 4, 1376, 4096
HEAD_DIM = HIDDEN // HEADS


class RmsNorm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(HIDDEN))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.weight


def rotate_half(x):
    first, second = x.chunk(2, dim=-1)
    return torch.cat((-second, first), dim=-1)


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.input_norm = RmsNorm()
        self.q = torch.nn.Linear(HIDDEN, HEADS * HEAD_DIM, bias=False)
        self.k = torch.nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.v = torch.nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.o = torch.nn.Linear(HEADS * HEAD_DIM, HIDDEN, bias=False)
        self.post_norm = RmsNorm()
        self.gate = torch.nn.Linear(HIDDEN, INTERMEDIATE, bias=False)
        self.up = torch.nn.Linear(HIDDEN, INTERMEDIATE, bias=False)
        self.down = torch.nn.Linear(INTERMEDIATE, HIDDEN, bias=False)

    def forward(self, x, cos, sin, bias):
        b, t, _ = x.shape
        h = self.input_norm(x)
        q = self.q(h).view(b, t, HEADS, HEAD_DIM).transpose(1, 2)
        k = self.k(h).view(b, t, KV_HEADS, HEAD_DIM).transpose(1, 2)
        v = self.v(h).view(b, t, KV_HEADS, HEAD_DIM).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(HEADS // KV_HEADS, dim=1)
        v = v.repeat_interleave(HEADS // KV_HEADS, dim=1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(HEAD_DIM) + bias
        attention = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        x = x + self.o(attention)
        h = self.post_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, HIDDEN)
        self.blocks = torch.nn.ModuleList(Block() for _ in range(LAYERS))
        self.norm = RmsNorm()
        self.score = torch.nn.Linear(HIDDEN, 1, bias=False)

    def forward(self, ids):
        t = ids.shape[1]
        inverse = 1.0 / (10000 ** (torch.arange(0, HEAD_DIM, 2).float() / HEAD_DIM))
        angles = torch.outer(torch.arange(t).float(), inverse)
        angles = torch.cat((angles, angles), dim=-1)
        cos, sin = angles.cos(), angles.sin()
        bias = torch.full((t, t), torch.finfo(torch.float32).min).triu(1)
        x = self.embed(ids)
        for block in self.blocks:
            x = block(x, cos, sin, bias)
        return self.norm(x)


def main():
    batch, tokens, steps, threads = (int(a) for a in sys.argv[1:5])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Model()
    parameters = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0)
    positions = torch.arange(31, tokens, 32)
    timings = []
    for step in range(steps + 1):
        ids = torch.randint(0, VOCAB, (batch, tokens))
        labels = torch.randint(0, 2, (batch, len(positions))).float()
        start = time.perf_counter()
        hidden = model(ids)[:, positions, :]
        loss = F.binary_cross_entropy_with_logits(model.score(hidden).squeeze(-1), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        if step > 0:
            timings.append(time.perf_counter() - start)
    seconds = sum(timings)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"parameters: {parameters}")
    print(f"torch {torch.__version__}: batch {batch} x {tokens} tokens, {steps} steps, {seconds / steps:.2f} s/step, "
          f"{batch * tokens * steps / seconds:.1f} tokens/s, peak RSS {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
