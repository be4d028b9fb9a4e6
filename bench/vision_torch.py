# PyTorch side of `pnpm bench vision`: d2l's LeNet and LeNet-BN on Fashion-MNIST (idx files from
# Debian's dataset-fashion-mnist), plain SGD, batch 128, Xavier init as d2l; prints one JSON line
# per model: {"model", "accuracy", "seconds_per_epoch"}.
#   python3 bench/vision_torch.py --epochs 10 --lr 0.1 --models lenet,lenet-bn
import argparse, gzip, json, os, time
import numpy as np
import torch
from torch import nn

def idx(path):
    op = gzip.open if path.endswith('.gz') else open
    with op(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)

def find(d, base):
    for p in (os.path.join(d, base), os.path.join(d, base + '.gz')):
        if os.path.exists(p): return p
    raise SystemExit(f'{d}: missing {base}(.gz); apt-get install dataset-fashion-mnist')

def load(d, prefix, limit=0):
    x = torch.tensor(idx(find(d, f'{prefix}-images-idx3-ubyte')), dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(idx(find(d, f'{prefix}-labels-idx1-ubyte')), dtype=torch.long)
    return (x[:limit], y[:limit]) if limit else (x, y)

def lenet(bn):
    if not bn:
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(), nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))
    return nn.Sequential(nn.Conv2d(1, 6, 5), nn.BatchNorm2d(6), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Conv2d(6, 16, 5), nn.BatchNorm2d(16), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(), nn.Linear(256, 120), nn.BatchNorm1d(120), nn.Sigmoid(), nn.Linear(120, 84), nn.BatchNorm1d(84), nn.Sigmoid(), nn.Linear(84, 10))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--epochs', type=int, default=10); ap.add_argument('--lr', type=float, default=0.1)
    ap.add_argument('--batch', type=int, default=128); ap.add_argument('--limit', type=int, default=0)
    ap.add_argument('--models', default='lenet,lenet-bn'); ap.add_argument('--data', default=os.environ.get('DLPIPE_FASHION_MNIST', '/usr/share/datasets/fashion-mnist'))
    a = ap.parse_args()
    torch.manual_seed(42); torch.set_num_threads(os.cpu_count() or 1)
    xtr, ytr = load(a.data, 'train', a.limit); xte, yte = load(a.data, 't10k')
    for name in a.models.split(','):
        net = lenet(name == 'lenet-bn')
        for m in net.modules():
            if isinstance(m, (nn.Linear, nn.Conv2d)): nn.init.xavier_uniform_(m.weight)
        opt = torch.optim.SGD(net.parameters(), lr=a.lr); loss = nn.CrossEntropyLoss()
        t0 = time.perf_counter()
        for _ in range(a.epochs):
            net.train(); perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), a.batch):
                b = perm[i:i + a.batch]; opt.zero_grad(); l = loss(net(xtr[b]), ytr[b]); l.backward(); opt.step()
        spe = (time.perf_counter() - t0) / a.epochs
        net.eval()
        with torch.no_grad(): acc = (net(xte).argmax(1) == yte).float().mean().item()
        print(json.dumps({'model': name, 'accuracy': acc, 'seconds_per_epoch': spe}), flush=True)

main()
