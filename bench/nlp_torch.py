"""PyTorch reference for `pnpm bench nlp`: d2l's char-level GRU or LSTM language model (one-hot
input, nn.GRU / nn.LSTM, linear output), trained with Adam and gradient clipping on the same corpus, batch and
sequence length as dlpipe's run; prints one JSON line with tokens/s and the held-out perplexity.

    /usr/bin/python3 bench/nlp_torch.py corpus.txt --hiddens 256 --steps 200 [--kind lstm]
"""
import argparse
import json
import math
import time

import torch
from torch import nn
from torch.nn import functional as F


class RNNLM(nn.Module):
    def __init__(self, vocab_size, num_hiddens, kind='gru'):
        super().__init__()
        self.vocab_size = vocab_size
        cell = nn.LSTM if kind == 'lstm' else nn.GRU
        self.rnn = cell(vocab_size, num_hiddens, batch_first=True)
        self.out = nn.Linear(num_hiddens, vocab_size)

    def forward(self, X):
        H, _ = self.rnn(F.one_hot(X, self.vocab_size).float())
        return self.out(H)


def batches(ids, batch_size, num_steps, gen):
    offset = int(torch.randint(num_steps, (1,), generator=gen))
    n = (len(ids) - offset - 1) // num_steps
    starts = torch.randperm(n, generator=gen) * num_steps + offset
    for b in range(n // batch_size):
        s = starts[b * batch_size:(b + 1) * batch_size]
        yield (torch.stack([ids[i:i + num_steps] for i in s]), torch.stack([ids[i + 1:i + 1 + num_steps] for i in s]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('corpus')
    ap.add_argument('--hiddens', type=int, default=256)
    ap.add_argument('--batch-size', type=int, default=32)
    ap.add_argument('--num-steps', type=int, default=35)
    ap.add_argument('--steps', type=int, default=200)
    ap.add_argument('--lr', type=float, default=0.005)
    ap.add_argument('--threads', type=int, default=0)
    ap.add_argument('--kind', choices=['gru', 'lstm'], default='gru')
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    text = open(a.corpus, encoding='utf-8').read()
    chars = sorted(set(text))
    idx = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([idx[c] for c in text], dtype=torch.long)
    cut = int(len(ids) * 0.95)
    train, val = ids[:cut], ids[cut:]
    net = RNNLM(len(chars), a.hiddens, a.kind)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    gen = torch.Generator().manual_seed(0)
    step, tokens, t0, timed = 0, 0, None, 0.0
    while step < a.steps:
        for X, Y in batches(train, a.batch_size, a.num_steps, gen):
            if step == 3:
                t0 = time.perf_counter()
            loss = F.cross_entropy(net(X).reshape(-1, len(chars)), Y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            step += 1
            if step > 3:
                tokens += X.numel()
            if step >= a.steps:
                break
    timed = time.perf_counter() - t0
    with torch.no_grad():
        total, count = 0.0, 0
        for X, Y in batches(val, a.batch_size, a.num_steps, torch.Generator().manual_seed(1)):
            total += F.cross_entropy(net(X).reshape(-1, len(chars)), Y.reshape(-1), reduction='sum').item()
            count += Y.numel()
    print(json.dumps({
        'torch': torch.__version__, 'kind': a.kind, 'threads': torch.get_num_threads(), 'tokensPerSecond': tokens / timed,
        'steps': step, 'trainLoss': loss.item(), 'valPerplexity': math.exp(total / count) if count else None,
    }))


if __name__ == '__main__':
    main()
