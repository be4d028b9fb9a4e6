"""PyTorch reference for `pnpm bench engine` (bench/engine.ts): the same d2l models, batches,
optimizers and step counts as bench/models/*.ts, timed on this machine with 2 threads. Prints one
`RESULT {json}` line: per workload the median seconds of the timed steps (`s`), and FLOP figures
where they mean something (`train_flop` = 3 x the forward's conv/matmul FLOP, `gflops`).

    /usr/bin/python3 bench/engine_torch.py [--quick] [--params] [--only GROUP]

Keys (bench/lib/torch-reference.ts reads them): sgemm1024, bmm_attention, bmm_square,
lenet_b256, lenetfwd_b256, resnet18_b64 (resnet18_b32 with --quick), resnetfwd_b64,
resnetlat_b1, transformer_b64, transformerfwd_b64, grulm_b32, grulmfwd_b32, lstmlm_b32,
lstmlmfwd_b32, grulmscratch_b32, grulmscratchfwd_b32, lstmlmscratch_b32, lstmlmscratchfwd_b32,
version, threads.
`--params` prints each model's parameter count instead (bench/models/*.ts compare their own
counts with these). `--only GROUP` runs one group (matmul, lenet, transformer, lm, resnet), so
that each entry's `rss_mb` (this process's peak resident memory after it ran, MB) and
`base_rss_mb` (before the group's tensors were made) belong to that group alone.
"""
import os

os.environ['OMP_WAIT_POLICY'] = 'PASSIVE'  # before torch loads OpenMP: idle threads sleep, not spin

import json
import math
import resource
import statistics
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

THREADS = 2
QUICK = '--quick' in sys.argv
ITERS = 3 if QUICK else 5  # timed steps, as engine-worker.ts


def peak_rss_mb():
    """This process's peak resident memory so far, MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def median_seconds(step, warmup, iters=ITERS):
    """Median wall time of `iters` calls of `step` after `warmup` untimed ones."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


MATMUL_OPS = {'aten::conv2d', 'aten::mm', 'aten::addmm', 'aten::bmm'}


def forward_flop(forward):
    """Conv and matmul FLOP of one call of `forward` (2 per multiply-add), from torch's profiler."""
    with torch.no_grad(), torch.profiler.profile(with_flops=True) as prof:
        forward()
    return sum(e.flops for e in prof.events() if e.name in MATMUL_OPS and e.flops)


def count_params(net):
    return sum(p.numel() for p in net.parameters())


# ---------------- classifiers: d2l's train_ch6 step (softmax CE, plain SGD) ----------------

def lenet():
    """d2l 7.6 LeNet: sigmoid, average pooling, 1x28x28 inputs."""
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(),
        nn.Linear(84, 10))


class Residual(nn.Module):
    """d2l 8.6 Residual: two 3x3 convs with batch norm, a 1x1 conv on the shortcut when reshaping."""

    def __init__(self, in_channels, num_channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, num_channels, 3, padding=1, stride=strides)
        self.conv2 = nn.Conv2d(num_channels, num_channels, 3, padding=1)
        self.conv3 = nn.Conv2d(in_channels, num_channels, 1, stride=strides) if use_1x1conv else None
        self.bn1 = nn.BatchNorm2d(num_channels)
        self.bn2 = nn.BatchNorm2d(num_channels)

    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        return F.relu(Y + (self.conv3(X) if self.conv3 is not None else X))


def resnet_block(in_channels, num_channels, num_residuals, first_block=False):
    blocks = []
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blocks.append(Residual(in_channels, num_channels, use_1x1conv=True, strides=2))
        else:
            blocks.append(Residual(num_channels, num_channels))
    return nn.Sequential(*blocks)


def resnet18():
    """d2l 8.6 ResNet-18 for 1-channel images: 7x7 conv, max-pool, 4 blocks (64..512), pool, 10."""
    return nn.Sequential(
        nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3), nn.BatchNorm2d(64), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2, padding=1),
        resnet_block(64, 64, 2, first_block=True),
        resnet_block(64, 128, 2),
        resnet_block(128, 256, 2),
        resnet_block(256, 512, 2),
        nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(512, 10))


def classifier(net, batch, fwd_batch, shape, lr):
    """Fixed random batches with random labels; returns (train step, forward pass)."""
    X = torch.randn(batch, *shape)
    y = torch.randint(0, 10, (batch,))
    X_fwd = X if fwd_batch == batch else torch.randn(fwd_batch, *shape)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    net.train()

    def train():
        opt.zero_grad()
        loss = F.cross_entropy(net(X), y)
        loss.backward()
        opt.step()
        return loss.item()

    def forward():
        with torch.no_grad():
            net(X_fwd).sum().item()  # training mode, as dlpipe's forward; read back

    return train, forward


# ---------------- d2l 11.7 Transformer encoder-decoder ----------------

def masked_softmax(X, valid_lens):
    """Softmax over the last axis of X [N, Lq, Lk]; keys at or past valid_lens ([N] or [N, Lq]) get -1e6."""
    if valid_lens is None:
        return F.softmax(X, dim=-1)
    N, Lq, Lk = X.shape
    lens = valid_lens.reshape(N, 1, 1) if valid_lens.dim() == 1 else valid_lens.reshape(N, Lq, 1)
    keep = torch.arange(Lk).reshape(1, 1, Lk) < lens
    return F.softmax(X.masked_fill(~keep, -1e6), dim=-1)


class MultiHeadAttention(nn.Module):
    """Scaled dot-product attention in `num_heads` heads, projections without biases."""

    def __init__(self, num_hiddens, num_heads, dropout):
        super().__init__()
        self.num_heads = num_heads
        self.W_q = nn.Linear(num_hiddens, num_hiddens, bias=False)
        self.W_k = nn.Linear(num_hiddens, num_hiddens, bias=False)
        self.W_v = nn.Linear(num_hiddens, num_hiddens, bias=False)
        self.W_o = nn.Linear(num_hiddens, num_hiddens, bias=False)
        self.dropout = nn.Dropout(dropout)

    def split_heads(self, X):  # [B, L, n] -> [B*h, L, n/h]
        B, L, n = X.shape
        h = self.num_heads
        return X.reshape(B, L, h, n // h).permute(0, 2, 1, 3).reshape(B * h, L, n // h)

    def merge_heads(self, X):  # [B*h, L, d] -> [B, L, h*d]
        Bh, L, d = X.shape
        h = self.num_heads
        return X.reshape(Bh // h, h, L, d).permute(0, 2, 1, 3).reshape(Bh // h, L, h * d)

    def forward(self, queries, keys, values, valid_lens):
        q = self.split_heads(self.W_q(queries))
        k = self.split_heads(self.W_k(keys))
        v = self.split_heads(self.W_v(values))
        scores = torch.bmm(q, k.transpose(1, 2)) / math.sqrt(q.shape[-1])
        if valid_lens is not None:
            valid_lens = torch.repeat_interleave(valid_lens, self.num_heads, dim=0)
        weights = self.dropout(masked_softmax(scores, valid_lens))
        return self.W_o(self.merge_heads(torch.bmm(weights, v)))


class AddNorm(nn.Module):
    def __init__(self, n, dropout):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.ln = nn.LayerNorm(n)

    def forward(self, X, Y):
        return self.ln(self.dropout(Y) + X)


def position_wise_ffn(n, ffn_hiddens):
    return nn.Sequential(nn.Linear(n, ffn_hiddens), nn.ReLU(), nn.Linear(ffn_hiddens, n))


class EncoderBlock(nn.Module):
    def __init__(self, n, ffn_hiddens, heads, dropout):
        super().__init__()
        self.attention = MultiHeadAttention(n, heads, dropout)
        self.addnorm1 = AddNorm(n, dropout)
        self.ffn = position_wise_ffn(n, ffn_hiddens)
        self.addnorm2 = AddNorm(n, dropout)

    def forward(self, X, valid_lens):
        Y = self.addnorm1(X, self.attention(X, X, X, valid_lens))
        return self.addnorm2(Y, self.ffn(Y))


class DecoderBlock(nn.Module):
    """Masked self-attention, attention over the encoder's outputs, FFN (training: no state cache)."""

    def __init__(self, n, ffn_hiddens, heads, dropout):
        super().__init__()
        self.attention1 = MultiHeadAttention(n, heads, dropout)
        self.addnorm1 = AddNorm(n, dropout)
        self.attention2 = MultiHeadAttention(n, heads, dropout)
        self.addnorm2 = AddNorm(n, dropout)
        self.ffn = position_wise_ffn(n, ffn_hiddens)
        self.addnorm3 = AddNorm(n, dropout)

    def forward(self, X, enc, enc_valid_lens, dec_valid_lens):
        Y = self.addnorm1(X, self.attention1(X, X, X, dec_valid_lens))
        Z = self.addnorm2(Y, self.attention2(Y, enc, enc, enc_valid_lens))
        return self.addnorm3(Z, self.ffn(Z))


def positional_encoding(n, max_len=1000):
    """The [max_len, n] table: sin on even columns, cos on odd ones."""
    pos = torch.arange(max_len, dtype=torch.float32).reshape(-1, 1)
    angles = pos / torch.pow(10000, torch.arange(0, n, 2, dtype=torch.float32) / n)
    P = torch.zeros(max_len, n)
    P[:, 0::2] = torch.sin(angles)
    P[:, 1::2] = torch.cos(angles)
    return P


class Transformer(nn.Module):
    """Encoder-decoder: hidden 32, 2+2 blocks, 4 heads, FFN 64, dropout 0.1 (bench/models/transformer.ts)."""

    def __init__(self, src_vocab, tgt_vocab, n=32, ffn_hiddens=64, heads=4, layers=2, dropout=0.1):
        super().__init__()
        self.n = n
        self.register_buffer('P', positional_encoding(n))
        self.dropout = nn.Dropout(dropout)
        self.enc_embedding = nn.Embedding(src_vocab, n)
        self.enc_blocks = nn.ModuleList(EncoderBlock(n, ffn_hiddens, heads, dropout) for _ in range(layers))
        self.dec_embedding = nn.Embedding(tgt_vocab, n)
        self.dec_blocks = nn.ModuleList(DecoderBlock(n, ffn_hiddens, heads, dropout) for _ in range(layers))
        self.dense = nn.Linear(n, tgt_vocab)

    def embed(self, table, tokens):
        return self.dropout(table(tokens) * math.sqrt(self.n) + self.P[:tokens.shape[1]])

    def forward(self, src, src_valid_lens, dec_in):
        X = self.embed(self.enc_embedding, src)
        for block in self.enc_blocks:
            X = block(X, src_valid_lens)
        B, L = dec_in.shape
        dec_valid_lens = torch.arange(1, L + 1).repeat(B, 1)  # causal: query i sees keys < i + 1
        Y = self.embed(self.dec_embedding, dec_in)
        for block in self.dec_blocks:
            Y = block(Y, X, src_valid_lens, dec_valid_lens)
        return self.dense(Y)


def masked_ce_loss(logits, labels, valid_lens):
    """Sum over the batch of each sequence's mean token loss, tokens past valid_lens weighted 0."""
    B, L, V = logits.shape
    per_token = F.cross_entropy(logits.reshape(-1, V), labels.reshape(-1), reduction='none').reshape(B, L)
    mask = (torch.arange(L).reshape(1, L) < valid_lens.reshape(B, 1)).float()
    return (per_token * mask).mean(dim=1).sum()


def transformer_workload(batch=64, L=10, src_vocab=184, tgt_vocab=201):
    """Random tokens and lengths, teacher forcing, Adam lr 0.005, gradient norm clipped to 1."""
    net = Transformer(src_vocab, tgt_vocab)
    src = torch.randint(3, src_vocab, (batch, L))
    tgt = torch.randint(3, tgt_vocab, (batch, L))
    src_valid_lens = torch.randint(3, L + 1, (batch,))
    tgt_valid_lens = torch.randint(3, L + 1, (batch,))
    dec_in = torch.cat([torch.ones(batch, 1, dtype=torch.long), tgt[:, :-1]], dim=1)  # <bos> = 1
    opt = torch.optim.Adam(net.parameters(), lr=0.005)
    net.train()

    def train():
        opt.zero_grad()
        loss = masked_ce_loss(net(src, src_valid_lens, dec_in), tgt, tgt_valid_lens)
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        return loss.item()

    def forward():
        with torch.no_grad():
            net(src, src_valid_lens, dec_in).sum().item()

    return net, train, forward


# ---------------- d2l 10.2 GRU language model from scratch ----------------

class GRUScratch(nn.Module):
    """One-hot inputs, the gates written out per time step, a linear output layer."""

    def __init__(self, vocab_size, num_hiddens, sigma=0.01):
        super().__init__()
        self.vocab_size = vocab_size
        self.num_hiddens = num_hiddens

        def gate():
            return (nn.Parameter(torch.randn(vocab_size, num_hiddens) * sigma),
                    nn.Parameter(torch.randn(num_hiddens, num_hiddens) * sigma),
                    nn.Parameter(torch.zeros(num_hiddens)))

        self.W_xz, self.W_hz, self.b_z = gate()  # update gate
        self.W_xr, self.W_hr, self.b_r = gate()  # reset gate
        self.W_xh, self.W_hh, self.b_h = gate()  # candidate state
        self.W_hq = nn.Parameter(torch.randn(num_hiddens, vocab_size) * sigma)
        self.b_q = nn.Parameter(torch.zeros(vocab_size))

    def forward(self, X):  # X [B, T] token ids -> logits [T*B, V]
        H = torch.zeros(X.shape[0], self.num_hiddens)
        outputs = []
        for x in F.one_hot(X.T, self.vocab_size).float():
            Z = torch.sigmoid(x @ self.W_xz + H @ self.W_hz + self.b_z)
            R = torch.sigmoid(x @ self.W_xr + H @ self.W_hr + self.b_r)
            H_tilde = torch.tanh(x @ self.W_xh + (R * H) @ self.W_hh + self.b_h)
            H = Z * H + (1 - Z) * H_tilde
            outputs.append(H @ self.W_hq + self.b_q)
        return torch.cat(outputs, dim=0)


class LSTMScratch(nn.Module):
    """d2l 10.1 LSTMScratch with d2l 9.5's output layer: input, forget, output gates, candidate cell."""

    def __init__(self, vocab_size, num_hiddens, sigma=0.01):
        super().__init__()
        self.vocab_size = vocab_size
        self.num_hiddens = num_hiddens

        def triple():
            return (nn.Parameter(torch.randn(vocab_size, num_hiddens) * sigma),
                    nn.Parameter(torch.randn(num_hiddens, num_hiddens) * sigma),
                    nn.Parameter(torch.zeros(num_hiddens)))

        self.W_xi, self.W_hi, self.b_i = triple()
        self.W_xf, self.W_hf, self.b_f = triple()
        self.W_xo, self.W_ho, self.b_o = triple()
        self.W_xc, self.W_hc, self.b_c = triple()
        self.W_hq = nn.Parameter(torch.randn(num_hiddens, vocab_size) * sigma)
        self.b_q = nn.Parameter(torch.zeros(vocab_size))

    def forward(self, X):  # X [B, T] token ids -> logits [T*B, V]
        H = torch.zeros(X.shape[0], self.num_hiddens)
        C = torch.zeros(X.shape[0], self.num_hiddens)
        outputs = []
        for x in F.one_hot(X.T, self.vocab_size).float():
            I = torch.sigmoid(x @ self.W_xi + H @ self.W_hi + self.b_i)
            Fg = torch.sigmoid(x @ self.W_xf + H @ self.W_hf + self.b_f)
            O = torch.sigmoid(x @ self.W_xo + H @ self.W_ho + self.b_o)
            C_tilde = torch.tanh(x @ self.W_xc + H @ self.W_hc + self.b_c)
            C = Fg * C + I * C_tilde
            H = O * torch.tanh(C)
            outputs.append(H @ self.W_hq + self.b_q)
        return torch.cat(outputs, dim=0)


class RNNLMConcise(nn.Module):
    """d2l 9.6 RNNLM on nn.GRU / nn.LSTM: one-hot input, one layer, linear output."""

    def __init__(self, vocab_size, num_hiddens, kind):
        super().__init__()
        self.vocab_size = vocab_size
        self.rnn = (nn.LSTM if kind == 'lstm' else nn.GRU)(vocab_size, num_hiddens)
        self.linear = nn.Linear(num_hiddens, vocab_size)

    def forward(self, X):  # X [B, T] -> logits [T*B, V]
        Y, _ = self.rnn(F.one_hot(X.T, self.vocab_size).float())
        return self.linear(Y.reshape(-1, Y.shape[-1]))


def lm_net(kind, impl, vocab=28, num_hiddens=256):
    if impl == 'scratch':
        return (LSTMScratch if kind == 'lstm' else GRUScratch)(vocab, num_hiddens)
    return RNNLMConcise(vocab, num_hiddens, kind)


def lm_workload(net, vocab=28, T=35, batch=32, lr=1.0):
    """d2l's train_ch8 step on random tokens: mean CE, gradient norm clipped to 1, SGD lr 1."""
    X = torch.randint(0, vocab, (batch, T))
    Y = torch.randint(0, vocab, (batch, T))
    opt = torch.optim.SGD(net.parameters(), lr=lr)

    def train():
        opt.zero_grad()
        loss = F.cross_entropy(net(X), Y.T.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        return loss.item()

    def forward():
        with torch.no_grad():
            net(X).sum().item()

    return train, forward


# ---------------- the run ----------------

def sgemm_entry(n=1024):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    s = median_seconds(lambda: torch.mm(a, b), warmup=3, iters=3 if QUICK else 10)
    return {'s': s, 'gflops': 2 * n ** 3 / s / 1e9}


# the shapes of bench/lib/bmm-shapes.ts's BMM_SHAPES: (batch, m, k, n)
BMM_SHAPES = {'attention': (64, 256, 64, 256), 'square': (64, 256, 256, 256)}


def bmm_entry(batch, m, k, n):
    a = torch.randn(batch, m, k)
    b = torch.randn(batch, k, n)
    s = median_seconds(lambda: torch.bmm(a, b), warmup=3, iters=5 if QUICK else 15)
    return {'s': s, 'gflops': 2 * batch * m * n * k / s / 1e9}


def matmul_entries():
    out = {'sgemm1024': sgemm_entry()}
    for name, shape in BMM_SHAPES.items():
        out[f'bmm_{name}'] = bmm_entry(*shape)
    return out


def model_entries(name, fwd_name, train, forward, batch, fwd_batch, warmup, iters=5):
    """Train and forward entries; FLOP from the forward pass of the timed batch. `warmup` and
    `iters` are the model's in bench/models/*.ts (`iters` is 3 with --quick)."""
    iters = 3 if QUICK else iters
    flop = forward_flop(forward)
    t_fwd = median_seconds(forward, warmup, iters)
    rss_fwd = peak_rss_mb()
    t_train = median_seconds(train, warmup, iters)
    train_flop = 3 * flop * batch / fwd_batch
    return {
        f'{name}_b{batch}': {'s': t_train, 'train_flop': train_flop, 'gflops': train_flop / t_train / 1e9,
                             'rss_mb': peak_rss_mb()},
        f'{fwd_name}_b{fwd_batch}': {'s': t_fwd, 'gflops': flop / t_fwd / 1e9, 'rss_mb': rss_fwd},
    }


def lenet_entries():
    train, forward = classifier(lenet(), 256, 256, (1, 28, 28), lr=0.9)
    return model_entries('lenet', 'lenetfwd', train, forward, 256, 256, warmup=10, iters=15)


def resnet_entries():
    batch = 32 if QUICK else 64
    net = resnet18()
    train, forward = classifier(net, batch, 64, (1, 96, 96), lr=0.05)
    out = model_entries('resnet18', 'resnetfwd', train, forward, batch, 64, warmup=1)
    # latency: one image, inference mode (batch norm on running statistics), read back
    net.eval()
    x1 = torch.randn(1, 1, 96, 96)

    def infer():
        with torch.no_grad():
            net(x1).sum().item()

    out['resnetlat_b1'] = {'s': median_seconds(infer, warmup=3, iters=10 if QUICK else 30)}
    return out


def transformer_entries():
    _, train, forward = transformer_workload()
    return model_entries('transformer', 'transformerfwd', train, forward, 64, 64, warmup=10, iters=15)


def lm_entries():
    """bench/models/char-lm.ts's four rows: grulm, lstmlm (nn.GRU / nn.LSTM), grulmscratch, lstmlmscratch."""
    out = {}
    for kind in ('gru', 'lstm'):
        for impl in ('layers', 'scratch'):
            key = f"{kind}lm{'scratch' if impl == 'scratch' else ''}"
            train, forward = lm_workload(lm_net(kind, impl))
            out.update(model_entries(key, f'{key}fwd', train, forward, 32, 32, warmup=5, iters=10))
    return out


def param_counts():
    return {
        'lenet': count_params(lenet()),
        'resnet18': count_params(resnet18()),
        'transformer': count_params(Transformer(184, 201)),
        **{f'{k}lm{"scratch" if i == "scratch" else ""}': count_params(lm_net(k, i))
           for k in ('gru', 'lstm') for i in ('layers', 'scratch')},
    }


def main():
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)
    if '--params' in sys.argv:
        print(json.dumps(param_counts()))
        return
    res = {'version': torch.__version__, 'threads': torch.get_num_threads()}
    groups = {'matmul': matmul_entries, 'lenet': lenet_entries, 'transformer': transformer_entries,
              'lm': lm_entries, 'resnet': resnet_entries}
    only = sys.argv[sys.argv.index('--only') + 1] if '--only' in sys.argv else None
    if only is not None and only not in groups:
        raise ValueError(f"--only {only}: expected one of {', '.join(groups)}")
    for what, entries in groups.items():
        if only is not None and what != only:
            continue
        t0 = time.perf_counter()
        base = peak_rss_mb()
        got = entries()
        for entry in got.values():
            entry['base_rss_mb'] = base
        res.update(got)
        log(f'{what}: {time.perf_counter() - t0:.1f} s')
    print('RESULT ' + json.dumps(res), flush=True)


if __name__ == '__main__':
    try:
        main()
    except Exception as err:  # one line the bench can show, instead of a traceback it cannot parse
        print('ERROR ' + json.dumps({'message': f'{type(err).__name__}: {err}'}), flush=True)
        raise
