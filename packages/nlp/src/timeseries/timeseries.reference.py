"""PyTorch reference for autoregressive-mlp.test.ts: d2l 0.17 §8.1's MLP and forecasts.

A deterministic series x_t = sin(0.01 t) + 0.2 sin(12.9898 t), t = 1..40; tau = 4; the net
Linear(4, 10) -> ReLU -> Linear(10, 1) with fixed initial weights; MSE (mean); Adam lr 0.01; the
first 32 examples in order (no shuffle), batches of 16, 2 epochs = 4 steps. Prints the epoch losses
(mean of the batch losses), the weights after training, the one-step predictions, d2l's multistep
predictions from 36 on and its k-step predictions for k = 1, 2, 4.

    /tmp/refpy/bin/python timeseries.reference.py   # torch 1.13
"""
import json
import math

import torch
from torch import nn

torch.set_default_dtype(torch.float64)
T, tau = 40, 4
time = torch.arange(1, T + 1, dtype=torch.float64)
x = torch.sin(0.01 * time) + 0.2 * torch.sin(12.9898 * time)
features = torch.zeros((T - tau, tau))
for i in range(tau):
    features[:, i] = x[i : T - tau + i]
labels = x[tau:].reshape((-1, 1))

net = nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Linear(10, 1))
with torch.no_grad():
    net[0].weight.copy_(torch.tensor([[0.3 * math.sin(o * tau + i + 1) for i in range(tau)] for o in range(10)]))
    net[0].bias.copy_(torch.tensor([0.1 * math.cos(o) for o in range(10)]))
    net[2].weight.copy_(torch.tensor([[0.3 * math.cos(o + 0.5) for o in range(10)]]))
    net[2].bias.fill_(0.05)
net = net.float()
features, labels, x = features.float(), labels.float(), x.float()
torch.set_default_dtype(torch.float32)
opt = torch.optim.Adam(net.parameters(), lr=0.01)
loss = nn.MSELoss()
epoch_losses = []
for epoch in range(2):
    ls = []
    for b in range(2):
        X, y = features[b * 16 : (b + 1) * 16], labels[b * 16 : (b + 1) * 16]
        opt.zero_grad()
        l = loss(net(X), y)
        l.backward()
        opt.step()
        ls.append(l.item())
    epoch_losses.append(sum(ls) / len(ls))

with torch.no_grad():
    onestep = net(features).reshape(-1)
    start = 36
    multistep = torch.zeros(T)
    multistep[:start] = x[:start]
    for i in range(start, T):
        multistep[i] = net(multistep[i - tau : i].reshape((1, -1)))
    max_steps = 4
    kfeat = torch.zeros((T - tau - max_steps + 1, tau + max_steps))
    for i in range(tau):
        kfeat[:, i] = x[i : i + T - tau - max_steps + 1]
    for i in range(tau, tau + max_steps):
        kfeat[:, i] = net(kfeat[:, i - tau : i]).reshape(-1)

r = lambda t: [round(v, 7) for v in t.reshape(-1).tolist()]
print(json.dumps({
    "torch": torch.__version__,
    "epochLosses": [round(v, 8) for v in epoch_losses],
    "W1": r(net[0].weight), "b1": r(net[0].bias), "W2": r(net[2].weight), "b2": r(net[2].bias),
    "oneStep": r(onestep),
    "multistep": r(multistep[36:]),
    "kStep": {str(k): r(kfeat[:, tau + k - 1]) for k in (1, 2, 4)},
}))
