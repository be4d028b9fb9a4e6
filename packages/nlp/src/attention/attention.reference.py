"""Reference numbers for packages/nlp/src/attention/*.test.ts (PyTorch; d2l's classes as in the book).

Run: python attention.reference.py > attention.reference.json   (used with torch 1.13.0, numpy 1.x)

d2l is not installed: its classes (d2l.ai ch. 11, PyTorch tab) are copied below. Weights and inputs
are deterministic, `det(shape, salt)` = 0.5 * sin(0.7 * i + salt) over the flat index i (float64,
then float32), which the tests build the same way. Linear layers: torch's weight is [out, in]; the
tests hold kernels [in, out], so each torch weight is set to det([in, out], salt).T.
"""
import json
import warnings
import math

import numpy as np
import torch
from torch import nn

warnings.filterwarnings("ignore", message="Lazy modules")


def det(shape, salt):
    n = int(np.prod(shape))
    return torch.tensor((0.5 * np.sin(0.7 * np.arange(n) + salt)).reshape(shape), dtype=torch.float32)


# ---- d2l §11.3 ----
def masked_softmax(X, valid_lens):
    def _sequence_mask(X, valid_len, value=0):
        maxlen = X.size(1)
        mask = torch.arange((maxlen), dtype=torch.float32, device=X.device)[None, :] < valid_len[:, None]
        X[~mask] = value
        return X

    if valid_lens is None:
        return nn.functional.softmax(X, dim=-1)
    shape = X.shape
    if valid_lens.dim() == 1:
        valid_lens = torch.repeat_interleave(valid_lens, shape[1])
    else:
        valid_lens = valid_lens.reshape(-1)
    X = _sequence_mask(X.reshape(-1, shape[-1]), valid_lens, value=-1e6)
    return nn.functional.softmax(X.reshape(shape), dim=-1)


class AdditiveAttention(nn.Module):
    def __init__(self, num_hiddens, dropout):
        super().__init__()
        self.W_k = nn.LazyLinear(num_hiddens, bias=False)
        self.W_q = nn.LazyLinear(num_hiddens, bias=False)
        self.w_v = nn.LazyLinear(1, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens):
        queries, keys = self.W_q(queries), self.W_k(keys)
        features = queries.unsqueeze(2) + keys.unsqueeze(1)
        features = torch.tanh(features)
        scores = self.w_v(features).squeeze(-1)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


class DotProductAttention(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens=None):
        d = queries.shape[-1]
        scores = torch.bmm(queries, keys.transpose(1, 2)) / math.sqrt(d)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


# ---- d2l §11.5 ----
class MultiHeadAttention(nn.Module):
    def __init__(self, num_hiddens, num_heads, dropout, bias=False):
        super().__init__()
        self.num_heads = num_heads
        self.attention = DotProductAttention(dropout)
        self.W_q = nn.LazyLinear(num_hiddens, bias=bias)
        self.W_k = nn.LazyLinear(num_hiddens, bias=bias)
        self.W_v = nn.LazyLinear(num_hiddens, bias=bias)
        self.W_o = nn.LazyLinear(num_hiddens, bias=bias)

    def forward(self, queries, keys, values, valid_lens):
        queries = self.transpose_qkv(self.W_q(queries))
        keys = self.transpose_qkv(self.W_k(keys))
        values = self.transpose_qkv(self.W_v(values))
        if valid_lens is not None:
            valid_lens = torch.repeat_interleave(valid_lens, repeats=self.num_heads, dim=0)
        output = self.attention(queries, keys, values, valid_lens)
        return self.W_o(self.transpose_output(output))

    def transpose_qkv(self, X):
        X = X.reshape(X.shape[0], X.shape[1], self.num_heads, -1)
        X = X.permute(0, 2, 1, 3)
        return X.reshape(-1, X.shape[2], X.shape[3])

    def transpose_output(self, X):
        X = X.reshape(-1, self.num_heads, X.shape[1], X.shape[2])
        X = X.permute(0, 2, 1, 3)
        return X.reshape(X.shape[0], X.shape[1], -1)


# ---- d2l §11.6 ----
class PositionalEncoding(nn.Module):
    def __init__(self, num_hiddens, dropout, max_len=1000):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.P = torch.zeros((1, max_len, num_hiddens))
        X = torch.arange(max_len, dtype=torch.float32).reshape(-1, 1) / torch.pow(
            10000, torch.arange(0, num_hiddens, 2, dtype=torch.float32) / num_hiddens
        )
        self.P[:, :, 0::2] = torch.sin(X)
        self.P[:, :, 1::2] = torch.cos(X)

    def forward(self, X):
        X = X + self.P[:, : X.shape[1], :].to(X.device)
        return self.dropout(X)


def flat(t):
    return [float(f"{v:.7g}") for v in t.detach().reshape(-1).tolist()]


def set_linear(lin, in_dim, salt):
    lin(torch.zeros(1, in_dim))  # materializes the lazy weight
    with torch.no_grad():
        lin.weight.copy_(det([in_dim, lin.out_features], salt).T)
        if lin.bias is not None:
            lin.bias.copy_(det([lin.out_features], salt + 0.5))


out = {"torch": torch.__version__}

# maskedSoftmax: d2l's (2, 2, 4) example shape, inputs det instead of rand.
X = det([2, 2, 4], 0.3) * 4
out["maskedSoftmax"] = {
    "X": flat(X),
    "lens1d": [2, 3],
    "out1d": flat(masked_softmax(X.clone(), torch.tensor([2, 3]))),
    "lens2d": [[1, 3], [2, 4]],
    "out2d": flat(masked_softmax(X.clone(), torch.tensor([[1, 3], [2, 4]]))),
}


def attention_case(attn, queries, keys, values, valid_lens, params):
    queries = queries.clone().requires_grad_(True)
    o = attn(queries, keys, values, valid_lens)
    loss = (o * det(list(o.shape), 9.0)).sum()
    loss.backward()
    case = {
        "output": flat(o),
        "attentionWeights": flat(getattr(attn, "attention", attn).attention_weights),
        "gradQueries": flat(queries.grad),
    }
    for name, p in params.items():
        case["grad_" + name] = flat(p.grad.T)  # [in, out], as the TS kernels
    return case


values = torch.arange(40, dtype=torch.float32).reshape(1, 10, 4).repeat(2, 1, 1)
valid_lens = torch.tensor([2, 6])

# AdditiveAttention, d2l's example: keys all ones → uniform weights over the valid keys.
add = AdditiveAttention(num_hiddens=8, dropout=0.1).eval()
set_linear(add.W_q, 20, 1.0)
set_linear(add.W_k, 2, 2.0)
set_linear(add.w_v, 8, 3.0)
q = det([2, 1, 20], 4.0)
out["additiveD2l"] = attention_case(add, q, torch.ones((2, 10, 2)), values, valid_lens, {"W_q": add.W_q.weight})
# The same layer with keys that differ (non-uniform weights).
add.zero_grad()
out["additive"] = attention_case(
    add, q, det([2, 10, 2], 5.0) * 2, values, valid_lens, {"W_q": add.W_q.weight, "W_k": add.W_k.weight, "w_v": add.w_v.weight}
)

# DotProductAttention, d2l's example (queries (2, 1, 2), keys ones) and with distinct keys.
dot = DotProductAttention(dropout=0.5).eval()
out["dotD2l"] = attention_case(dot, det([2, 1, 2], 6.0), torch.ones((2, 10, 2)), values, valid_lens, {})
out["dot"] = attention_case(dot, det([2, 3, 2], 6.0) * 3, det([2, 10, 2], 7.0) * 3, values, torch.tensor([[2, 10, 5], [6, 1, 3]]), {})

# MultiHeadAttention at a small size: numHiddens 8, 2 heads, query/key/value dims 5/6/7, bias on.
mha = MultiHeadAttention(num_hiddens=8, num_heads=2, dropout=0.5, bias=True).eval()
set_linear(mha.W_q, 5, 11.0)
set_linear(mha.W_k, 6, 12.0)
set_linear(mha.W_v, 7, 13.0)
set_linear(mha.W_o, 8, 14.0)
qm, km, vm = det([2, 3, 5], 15.0) * 2, det([2, 4, 6], 16.0) * 2, det([2, 4, 7], 17.0) * 2
out["mha"] = attention_case(mha, qm, km, vm, torch.tensor([3, 2]), {"W_q": mha.W_q.weight, "W_o": mha.W_o.weight})
mha.zero_grad()
out["mha2d"] = attention_case(mha, qm, km, vm, torch.tensor([[1, 2, 4], [4, 3, 2]]), {"W_v": mha.W_v.weight})
# d2l §11.5's shape check: numHiddens 100, 5 heads, batch 2, 4 queries, 6 key-value pairs → (2, 4, 100).
big = MultiHeadAttention(100, 5, 0.5).eval()
Xb, Yb = torch.ones((2, 4, 100)), torch.ones((2, 6, 100))
out["mhaShape"] = list(big(Xb, Yb, Yb, torch.tensor([3, 2])).shape)

# PositionalEncoding, d2l §11.6: encoding_dim 32, num_steps 60.
pe = PositionalEncoding(32, 0).eval()
P = pe(torch.zeros((1, 60, 32)))[0]
out["positional"] = {
    "entries": [[i, j, float(f"{P[i, j].item():.7g}")] for i in (0, 1, 7, 30, 59) for j in (0, 1, 6, 7, 8, 9, 30, 31)]
}

# Nadaraya–Watson (d2l 0.17 §10.2): the data are generated here (numpy, seed 0) and fed to both.
rng = np.random.default_rng(0)
n_train = 50
x_train = torch.tensor(np.sort(rng.uniform(0, 5, n_train)), dtype=torch.float32)
f = lambda x: 2 * torch.sin(x) + x**0.8
y_train = f(x_train) + torch.tensor(rng.normal(0.0, 0.5, n_train), dtype=torch.float32)
x_test = torch.arange(0, 5, 0.1)
n_test = len(x_test)
X_repeat = x_test.repeat_interleave(n_train).reshape((-1, n_train))
aw = nn.functional.softmax(-((X_repeat - x_train) ** 2) / 2, dim=1)
y_hat_np = torch.matmul(aw, y_train)


class NWKernelRegression(nn.Module):
    def __init__(self, w0):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([w0]))

    def forward(self, queries, keys, values):
        queries = queries.repeat_interleave(keys.shape[1]).reshape((-1, keys.shape[1]))
        self.attention_weights = nn.functional.softmax(-(((queries - keys) * self.w) ** 2) / 2, dim=1)
        return torch.bmm(self.attention_weights.unsqueeze(1), values.unsqueeze(-1)).reshape(-1)


X_tile = x_train.repeat((n_train, 1))
Y_tile = y_train.repeat((n_train, 1))
keys = X_tile[(1 - torch.eye(n_train)).type(torch.bool)].reshape((n_train, -1))
vals = Y_tile[(1 - torch.eye(n_train)).type(torch.bool)].reshape((n_train, -1))
net = NWKernelRegression(0.5)
loss = nn.MSELoss(reduction="none")
trainer = torch.optim.SGD(net.parameters(), lr=0.5)
losses, ws = [], []
for epoch in range(5):
    trainer.zero_grad()
    l = loss(net(x_train, keys, vals), y_train)
    l.sum().backward()
    trainer.step()
    losses.append(float(f"{l.sum().item():.7g}"))
    ws.append(float(f"{net.w.item():.7g}"))
y_hat_p = net(x_test, x_train.repeat((n_test, 1)), y_train.repeat((n_test, 1))).detach()
out["nadarayaWatson"] = {
    "xTrain": flat(x_train),
    "yTrain": flat(y_train),
    "nonParametricYHat": flat(y_hat_np),
    "w0": 0.5,
    "losses": losses,
    "ws": ws,
    "parametricYHat": flat(y_hat_p),
}

print(json.dumps(out))
