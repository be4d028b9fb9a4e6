"""Reference numbers of box-loss.test.ts: torchvision 0.14 `ops.generalized_box_iou_loss` and
`ops.complete_box_iou_loss` (reduction 'none', eps 1e-7) and the gradient of their sum with respect
to the first boxes. Run: /tmp/refpy/bin/python box-loss.reference.py"""
import json

import torch
import torchvision
from torchvision.ops import complete_box_iou_loss, generalized_box_iou_loss

torch.set_printoptions(precision=7)
pred = [[0, 0, 2, 2], [1, 1, 3, 4], [5, 5, 6, 6], [0.2, 0.1, 1.9, 2.3], [10, 10, 30, 20]]
gt = [[1, 1, 2, 2], [0.5, 0, 2.5, 3], [0, 0, 1, 1], [0, 0, 2, 2], [12, 8, 28, 24]]
out = {"torchvision": torchvision.__version__}
for name, fn in [("giou", generalized_box_iou_loss), ("ciou", complete_box_iou_loss)]:
    p = torch.tensor(pred, dtype=torch.float64, requires_grad=True)
    g = torch.tensor(gt, dtype=torch.float64)
    loss = fn(p, g, reduction="none")
    loss.sum().backward()
    out[name] = [round(v, 7) for v in loss.tolist()]
    out[name + "_grad"] = [[round(v, 7) for v in row] for row in p.grad.tolist()]
print(json.dumps(out))
