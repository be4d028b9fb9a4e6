"""PyTorch twin of dlpipe's YOLO detector (packages/vision/src/detection/yolo/) for `pnpm bench yolo`:
the same layers (residual backbone, FPN neck, decoupled head at strides 8/16/32, ReLU, BN momentum
0.1 eps 1e-3), the same task-aligned assigner (topk 10, alpha 0.5, beta 6, plain IoU), the same loss
(7.5 * CIoU + 0.5 * BCE over the target-score sum) and optimizer (AdamW, lr, weight decay 5e-4),
pinned to 2 threads. Reads emoji-10 as generateDetectionSet writes it (COCO annotations).

Prints one JSON line: seconds per step (median of the timed steps after warm-up), the projected
seconds per epoch, and, with --epochs N, the mean loss per epoch; with --dets FILE it writes the
val detections as COCO results (image_id, category_id, bbox [x, y, w, h] px, score) for the
TypeScript side to score with cocoEvaluate (pycocotools is not in Debian's python3).

  /usr/bin/python3 bench/detection_torch.py --data ~/.cache/dlpipe/datasets/emoji-10 --steps 8
"""
import argparse
import json
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.ops import batched_nms

torch.set_num_threads(2)
STRIDES = (8, 16, 32)


class Conv(nn.Module):
    def __init__(self, cin, cout, k, s=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class Bottleneck(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.cv1, self.cv2 = Conv(c, c // 2, 1), Conv(c // 2, c, 3)

    def forward(self, x):
        return x + self.cv2(self.cv1(x))


class Branch(nn.Module):
    def __init__(self, cin, width, cout, bias):
        super().__init__()
        self.convs = nn.Sequential(Conv(cin, width, 3), Conv(width, width, 3))
        self.pred = nn.Conv2d(width, cout, 1)
        nn.init.constant_(self.pred.bias, bias)

    def forward(self, x):
        return self.pred(self.convs(x))


class YoloNet(nn.Module):
    def __init__(self, nc=10, widths=(16, 32, 64, 128, 256), n=64, h=64, size=256):
        super().__init__()
        w0, w1, w2, w3, w4 = widths
        self.stem, self.down1 = Conv(3, w0, 3, 2), Conv(w0, w1, 3, 2)
        self.stages = nn.ModuleList(
            [nn.Sequential(Conv(a, b, 3, 2), Bottleneck(b)) for a, b in [(w1, w2), (w2, w3), (w3, w4)]]
        )
        self.p5, self.p4, self.p3 = Conv(w4, n, 1), Conv(w3 + n, n, 3), Conv(w2 + n, n, 3)
        self.box = nn.ModuleList([Branch(n, h, 4, 1.0) for _ in STRIDES])
        self.cls = nn.ModuleList([Branch(n, h, nc, math.log(5 / nc / (size / s) ** 2)) for s in STRIDES])

    def forward(self, x):
        f = self.down1(self.stem(x))
        c = []
        for st in self.stages:
            f = st(f)
            c.append(f)
        p5 = self.p5(c[2])
        p4 = self.p4(torch.cat([c[1], F.interpolate(p5, scale_factor=2.0, mode="nearest")], 1))
        p3 = self.p3(torch.cat([c[0], F.interpolate(p4, scale_factor=2.0, mode="nearest")], 1))
        flat = lambda t: t.flatten(2).transpose(1, 2)  # [B, H*W, C], row-major as NHWC
        levels = [p3, p4, p5]
        box = torch.cat([flat(b(p)) for b, p in zip(self.box, levels)], 1)
        cls = torch.cat([flat(c(p)) for c, p in zip(self.cls, levels)], 1)
        return F.softplus(box), cls


def anchor_points(size):
    pts, st = [], []
    for s in STRIDES:
        n = size // s
        ys, xs = torch.meshgrid(torch.arange(n), torch.arange(n), indexing="ij")
        pts.append(torch.stack([xs, ys], -1).reshape(-1, 2).float() * s + s / 2)
        st.append(torch.full((n * n, 1), float(s)))
    return torch.cat(pts), torch.cat(st)


def pair_iou(a, b, eps=1e-9):
    lt, rb = torch.max(a[..., :2], b[..., :2]), torch.min(a[..., 2:], b[..., 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area = lambda t: (t[..., 2] - t[..., 0]) * (t[..., 3] - t[..., 1])
    return inter / (area(a) + area(b) - inter + eps)


@torch.no_grad()
def assign(scores, boxes, points, labels, gt, mask, topk=10, alpha=0.5, beta=6.0, eps=1e-9):
    b, a, nc = scores.shape
    m = labels.shape[1]
    lab = labels.clamp(0, nc - 1).long()
    d = torch.cat([points[None, None] - gt[:, :, None, :2], gt[:, :, None, 2:] - points[None, None]], -1)
    valid = (d.amin(-1) > eps).float() * mask[:, :, None]
    onehot = F.one_hot(lab, nc).float()
    cls = onehot @ scores.transpose(1, 2)
    overlaps = pair_iou(gt[:, :, None], boxes[:, None]) * valid
    align = cls.pow(alpha) * overlaps.pow(beta) * valid
    idx = align.topk(min(topk, a), -1).indices
    pos = F.one_hot(idx, a).sum(-2).float() * valid
    claims = pos.sum(1, keepdim=True)
    best = F.one_hot(overlaps.argmax(1), m).transpose(1, 2).float()
    pos = torch.where(claims > 1, best, pos)
    fg = pos.sum(1)
    pick = F.one_hot(pos.argmax(1), m).float()
    tboxes = (pick @ gt) * fg[..., None]
    tonehot = (pick @ onehot) * fg[..., None]
    palign = align * pos
    norm = (palign * (overlaps * pos).amax(2, keepdim=True) / (palign.amax(2, keepdim=True) + eps)).amax(1)
    return fg, tboxes, tonehot * norm[..., None]


def ciou_loss(p, g, eps=1e-7):
    return torchvision.ops.complete_box_iou_loss(p, g, reduction="none", eps=eps)


def yolo_loss(dist, logits, points, strides, y, size):
    pd = torch.cat([points - dist[..., :2] * strides, points + dist[..., 2:] * strides], -1)
    labels, gt = y[..., 0], y[..., 1:] * size
    fg, tboxes, tscores = assign(logits.detach().sigmoid(), pd.detach(), points, labels, gt, (labels >= 0).float())
    ssum = tscores.sum().clamp(min=1)
    cls = F.binary_cross_entropy_with_logits(logits, tscores, reduction="sum") / ssum
    dummy = torch.tensor([0.0, 0.0, 1.0, 1.0])
    f = fg[..., None]
    box = (ciou_loss(pd * f + dummy * (1 - f), tboxes * f + dummy * (1 - f)) * tscores.sum(-1)).sum() / ssum
    return 7.5 * box + 0.5 * cls


def load_split(data, split, limit):
    coco = json.load(open(os.path.join(data, "annotations", f"{split}.json")))
    cats = sorted(c["id"] for c in coco["categories"])
    images = coco["images"][: limit or None]
    rows = {im["id"]: [] for im in images}
    for a in coco["annotations"]:
        if a["image_id"] in rows:
            x, y, w, h = a["bbox"]
            rows[a["image_id"]].append([cats.index(a["category_id"]), x, y, x + w, y + h])
    m = max(1, max(len(r) for r in rows.values()))
    xs, ys = [], []
    for im in images:
        img = torchvision.io.read_image(os.path.join(data, "images", split, im["file_name"])).float() / 255
        xs.append(img[:3])
        lab = torch.full((m, 5), -1.0)
        for j, r in enumerate(rows[im["id"]]):
            lab[j] = torch.tensor([r[0], r[1] / im["width"], r[2] / im["height"], r[3] / im["width"], r[4] / im["height"]])
        ys.append(lab)
    return images, cats, torch.stack(xs), torch.stack(ys)


@torch.no_grad()
def detections(net, images, cats, x, size, points, strides, conf=0.001, iou=0.7, max_det=100):
    net.eval()
    out = []
    for s in range(0, len(x), 32):
        dist, logits = net(x[s : s + 32])
        boxes = torch.cat([points - dist[..., :2] * strides, points + dist[..., 2:] * strides], -1).clamp(0, size)
        for i, (b, p) in enumerate(zip(boxes, logits.sigmoid())):
            v, k = p.flatten().topk(min(3000, p.numel()))
            k, v = k[v >= conf], v[v >= conf]
            bb, cc = b[k // p.shape[1]], k % p.shape[1]
            keep = batched_nms(bb, v, cc, iou)[:max_det]
            im = images[s + i]
            for j in keep.tolist():
                x1, y1, x2, y2 = (bb[j] * torch.tensor([im["width"], im["height"]] * 2) / size).tolist()
                out.append({"image_id": im["id"], "category_id": cats[cc[j]], "bbox": [x1, y1, x2 - x1, y2 - y1], "score": v[j].item()})
    net.train()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--steps", type=int, default=8, help="timed steps (after 2 warm-up steps)")
    ap.add_argument("--epochs", type=int, default=0, help="train this many epochs (0: time steps only)")
    ap.add_argument("--limit", type=int, default=0, help="use the first N train images")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--dets", help="write val detections (COCO results) here after training")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    size = 256
    bs = a.batch_size
    need = a.limit or (0 if a.epochs else (a.steps + 2) * bs)
    images, cats, x, y = load_split(a.data, "train", need)
    net = YoloNet(nc=len(cats), size=size)
    points, strides = anchor_points(size)
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=5e-4)
    coco = json.load(open(os.path.join(a.data, "annotations", "train.json")))
    n_train = a.limit or len(coco["images"])

    def step(xb, yb):
        loss = yolo_loss(*net(xb), points, strides, yb, size)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    times = []
    for i in range(a.steps + 2):
        j = (i * bs) % (len(x) - bs + 1)
        t0 = time.perf_counter()
        step(x[j : j + bs], y[j : j + bs])
        if i >= 2:
            times.append(time.perf_counter() - t0)
    s_step = statistics.median(times)
    res = {"torch": torch.__version__, "threads": torch.get_num_threads(), "batch_size": bs,
           "s_per_step": s_step, "s_per_epoch": s_step * math.ceil(n_train / bs), "train_images": n_train}
    if a.epochs:
        losses = []
        t0 = time.perf_counter()
        for e in range(a.epochs):
            perm = torch.randperm(len(x))
            tot = 0.0
            for s in range(0, len(x), bs):
                k = perm[s : s + bs]
                tot += step(x[k], y[k]) * len(k)
            losses.append(tot / len(x))
        res["epoch_loss"] = losses
        res["s_per_epoch_measured"] = (time.perf_counter() - t0) / a.epochs
        if a.dets:
            vimages, _, vx, _ = load_split(a.data, "val", 0)
            json.dump(detections(net, vimages, cats, vx, size, points, strides), open(a.dets, "w"))
            res["dets"] = a.dets
    print(json.dumps(res))


if __name__ == "__main__":
    main()
