# Reference numbers for the tests in this folder (PyTorch 1.13, torchvision 0.14; d2l's torch code
# written out from the book, §14.3–14.8, since d2l itself is not installed).
#
#   /tmp/refpy/bin/python packages/vision/src/detection/boxes/boxes.reference.py
#
# Prints the numbers the tests hold inline (with this script named as source), and writes the long
# ones (random NMS data, RoI outputs and gradients) to boxes.reference.json beside it.
# Feature maps are defined by a formula over (b, h, w, c), so the NHWC tests rebuild the same
# values that torch sees in NCHW.
import json
import os

import torch
import torchvision

torch.set_printoptions(precision=8, sci_mode=False)


def fmt(t):
    return [round(float(v), 7) for v in t.reshape(-1).tolist()]


# ---- d2l §14.3–14.4 -------------------------------------------------------------------------
def box_corner_to_center(boxes):
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    return torch.stack(((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1), axis=-1)


def box_center_to_corner(boxes):
    cx, cy, w, h = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    return torch.stack((cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h), axis=-1)


def multibox_prior(data, sizes, ratios):
    in_height, in_width = data.shape[-2:]
    num_sizes, num_ratios = len(sizes), len(ratios)
    boxes_per_pixel = num_sizes + num_ratios - 1
    size_tensor = torch.tensor(sizes)
    ratio_tensor = torch.tensor(ratios)
    steps_h, steps_w = 1.0 / in_height, 1.0 / in_width
    center_h = (torch.arange(in_height) + 0.5) * steps_h
    center_w = (torch.arange(in_width) + 0.5) * steps_w
    shift_y, shift_x = torch.meshgrid(center_h, center_w, indexing='ij')
    shift_y, shift_x = shift_y.reshape(-1), shift_x.reshape(-1)
    w = torch.cat((size_tensor * torch.sqrt(ratio_tensor[0]),
                   sizes[0] * torch.sqrt(ratio_tensor[1:]))) * in_height / in_width
    h = torch.cat((size_tensor / torch.sqrt(ratio_tensor[0]), sizes[0] / torch.sqrt(ratio_tensor[1:])))
    anchor_manipulations = torch.stack((-w, -h, w, h)).T.repeat(in_height * in_width, 1) / 2
    out_grid = torch.stack([shift_x, shift_y, shift_x, shift_y], dim=1).repeat_interleave(boxes_per_pixel, dim=0)
    return (out_grid + anchor_manipulations).unsqueeze(0)


def box_iou(boxes1, boxes2):
    area = lambda b: (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    a1, a2 = area(boxes1), area(boxes2)
    lt = torch.max(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])
    inter = (rb - lt).clamp(min=0)
    inter = inter[:, :, 0] * inter[:, :, 1]
    return inter / (a1[:, None] + a2 - inter)


def assign_anchor_to_bbox(ground_truth, anchors, iou_threshold=0.5):
    num_anchors, num_gt_boxes = anchors.shape[0], ground_truth.shape[0]
    jaccard = box_iou(anchors, ground_truth)
    anchors_bbox_map = torch.full((num_anchors,), -1, dtype=torch.long)
    max_ious, indices = torch.max(jaccard, dim=1)
    anc_i = torch.nonzero(max_ious >= iou_threshold).reshape(-1)
    box_j = indices[max_ious >= iou_threshold]
    anchors_bbox_map[anc_i] = box_j
    col_discard = torch.full((num_anchors,), -1)
    row_discard = torch.full((num_gt_boxes,), -1)
    for _ in range(num_gt_boxes):
        max_idx = torch.argmax(jaccard)
        box_idx = (max_idx % num_gt_boxes).long()
        anc_idx = (max_idx / num_gt_boxes).long()
        anchors_bbox_map[anc_idx] = box_idx
        jaccard[:, box_idx] = col_discard
        jaccard[anc_idx, :] = row_discard
    return anchors_bbox_map


def offset_boxes(anchors, assigned_bb, eps=1e-6):
    c_anc = box_corner_to_center(anchors)
    c_assigned_bb = box_corner_to_center(assigned_bb)
    offset_xy = 10 * (c_assigned_bb[:, :2] - c_anc[:, :2]) / c_anc[:, 2:]
    offset_wh = 5 * torch.log(eps + c_assigned_bb[:, 2:] / c_anc[:, 2:])
    return torch.cat([offset_xy, offset_wh], axis=1)


def multibox_target(anchors, labels):
    batch_size, anchors = labels.shape[0], anchors.squeeze(0)
    batch_offset, batch_mask, batch_class_labels = [], [], []
    num_anchors = anchors.shape[0]
    for i in range(batch_size):
        label = labels[i, :, :]
        anchors_bbox_map = assign_anchor_to_bbox(label[:, 1:], anchors)
        bbox_mask = ((anchors_bbox_map >= 0).float().unsqueeze(-1)).repeat(1, 4)
        class_labels = torch.zeros(num_anchors, dtype=torch.long)
        assigned_bb = torch.zeros((num_anchors, 4), dtype=torch.float32)
        indices_true = torch.nonzero(anchors_bbox_map >= 0)
        bb_idx = anchors_bbox_map[indices_true]
        class_labels[indices_true] = label[bb_idx, 0].long() + 1
        assigned_bb[indices_true] = label[bb_idx, 1:]
        offset = offset_boxes(anchors, assigned_bb) * bbox_mask
        batch_offset.append(offset.reshape(-1))
        batch_mask.append(bbox_mask.reshape(-1))
        batch_class_labels.append(class_labels)
    return torch.stack(batch_offset), torch.stack(batch_mask), torch.stack(batch_class_labels)


def offset_inverse(anchors, offset_preds):
    anc = box_corner_to_center(anchors)
    pred_bbox_xy = (offset_preds[:, :2] * anc[:, 2:] / 10) + anc[:, :2]
    pred_bbox_wh = torch.exp(offset_preds[:, 2:] / 5) * anc[:, 2:]
    return box_center_to_corner(torch.cat((pred_bbox_xy, pred_bbox_wh), axis=1))


def nms(boxes, scores, iou_threshold):
    B = torch.argsort(scores, dim=-1, descending=True)
    keep = []
    while B.numel() > 0:
        i = B[0]
        keep.append(i)
        if B.numel() == 1:
            break
        iou = box_iou(boxes[i, :].reshape(-1, 4), boxes[B[1:], :].reshape(-1, 4)).reshape(-1)
        inds = torch.nonzero(iou <= iou_threshold).reshape(-1)
        B = B[inds + 1]
    return torch.tensor(keep)


def multibox_detection(cls_probs, offset_preds, anchors, nms_threshold=0.5, pos_threshold=0.009999999):
    batch_size = cls_probs.shape[0]
    anchors = anchors.squeeze(0)
    num_anchors = cls_probs.shape[2]
    out = []
    for i in range(batch_size):
        cls_prob, offset_pred = cls_probs[i], offset_preds[i].reshape(-1, 4)
        conf, class_id = torch.max(cls_prob[1:], 0)
        predicted_bb = offset_inverse(anchors, offset_pred)
        keep = nms(predicted_bb, conf, nms_threshold)
        all_idx = torch.arange(num_anchors, dtype=torch.long)
        combined = torch.cat((keep, all_idx))
        uniques, counts = combined.unique(return_counts=True)
        non_keep = uniques[counts == 1]
        all_id_sorted = torch.cat((keep, non_keep))
        class_id[non_keep] = -1
        class_id = class_id[all_id_sorted]
        conf, predicted_bb = conf[all_id_sorted], predicted_bb[all_id_sorted]
        below_min_idx = conf < pos_threshold
        class_id[below_min_idx] = -1
        conf[below_min_idx] = 1 - conf[below_min_idx]
        out.append(torch.cat((class_id.unsqueeze(1).float(), conf.unsqueeze(1), predicted_bb), dim=1))
    return torch.stack(out)


print('== anchors (d2l §14.4: 561x728, sizes [0.75, 0.5, 0.25], ratios [1, 2, 0.5])')
Y = multibox_prior(torch.zeros((1, 3, 561, 728)), sizes=[0.75, 0.5, 0.25], ratios=[1, 2, 0.5])
print('shape', tuple(Y.shape))
boxes = Y.reshape(561, 728, 5, 4)
for (r, c) in [(250, 250), (0, 0), (560, 727)]:
    print(f'boxes[{r},{c}]', fmt(boxes[r, c]))
print('small 2x3 sizes [0.4, 0.2] ratios [1, 2, 0.5]',
      fmt(multibox_prior(torch.zeros((1, 3, 2, 3)), [0.4, 0.2], [1, 2, 0.5])))

print('== box convert / iou')
a = torch.tensor([[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 4.0], [5.0, 5.0, 6.0, 6.0]])
b = torch.tensor([[1.0, 1.0, 2.0, 2.0], [0.0, 0.0, 0.0, 0.0], [0.5, 0.0, 2.5, 3.0]])
print('corner_to_center', fmt(box_corner_to_center(a)))
print('box_iou', fmt(torchvision.ops.box_iou(a, b)))

print('== multibox_target (d2l §14.4.3)')
ground_truth = torch.tensor([[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]])
anchors = torch.tensor([[0, 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
                        [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]])
print('assign', assign_anchor_to_bbox(ground_truth[:, 1:], anchors).tolist())
labels = multibox_target(anchors.unsqueeze(dim=0), ground_truth.unsqueeze(dim=0))
print('offset', fmt(labels[0]))
print('mask', fmt(labels[1]))
print('class', labels[2].tolist())

print('== multibox_detection (d2l §14.4.4)')
anchors = torch.tensor([[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95],
                        [0.15, 0.3, 0.62, 0.91], [0.55, 0.2, 0.9, 0.88]])
offset_preds = torch.tensor([0.0] * anchors.numel())
cls_probs = torch.tensor([[0] * 4, [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]])
out = multibox_detection(cls_probs.unsqueeze(0), offset_preds.unsqueeze(0), anchors.unsqueeze(0), 0.5)
print('output', fmt(out))
off = torch.tensor([0.1, -0.2, 0.3, 0.05, 0.0, 0.0, -0.5, 0.2, 1.0, 0.5, 0.0, 0.0, -0.3, 0.1, 0.2, -0.1])
print('offset_inverse', fmt(offset_inverse(anchors, off.reshape(-1, 4))))
cls2 = torch.tensor([[0.2, 0.3, 0.995, 0.5], [0.7, 0.6, 0.004, 0.1], [0.1, 0.1, 0.001, 0.4]])
out = multibox_detection(cls2.unsqueeze(0), off.unsqueeze(0), anchors.unsqueeze(0), 0.3)
print('output2 (nms 0.3, one below pos_threshold)', fmt(out))

print('== nms / batched_nms (torchvision.ops)')
g = torch.Generator().manual_seed(0)
n = 40
xy = torch.rand(n, 2, generator=g) * 10
wh = torch.rand(n, 2, generator=g) * 5 + 0.5
bx = torch.round(torch.cat([xy, xy + wh], 1) * 1e4) / 1e4
sc = torch.round(torch.rand(n, generator=g) * 1e4) / 1e4
idxs = torch.randint(0, 3, (n,), generator=g)
fixture = {'nms': {'boxes': [round(v, 4) for v in bx.reshape(-1).tolist()], 'scores': [round(v, 4) for v in sc.tolist()],
                   'idxs': idxs.tolist()}}
for t in [0.3, 0.5]:
    fixture['nms'][f'nms{t}'] = torchvision.ops.nms(bx, sc, t).tolist()
    fixture['nms'][f'batchedNms{t}'] = torchvision.ops.batched_nms(bx, sc, idxs, t).tolist()
    print(f'nms {t}', fixture['nms'][f'nms{t}'])
    print(f'batched_nms {t}', fixture['nms'][f'batchedNms{t}'])
eq = torch.tensor([[0.0, 0, 2, 1], [1, 0, 2, 1]])
print('iou exactly 0.5 at threshold 0.5', torchvision.ops.nms(eq, torch.tensor([0.9, 0.8]), 0.5).tolist())
print('iou exactly 0.5 at threshold 0.49', torchvision.ops.nms(eq, torch.tensor([0.9, 0.8]), 0.49).tolist())


# ---- RoI ops: features[b, h, w, c] = ((((b*H + h)*W + w)*C + c) * 37 % N) / N, all distinct ---------
B, H, W, C = 2, 6, 7, 3
N = B * H * W * C
idx = torch.arange(N, dtype=torch.float64).reshape(B, H, W, C)
nhwc = ((idx * 37) % N / N).float()
x = nhwc.permute(0, 3, 1, 2).contiguous()
rois = torch.tensor([[0, 1.0, 1.0, 4.0, 3.0], [1, 0.3, 0.7, 5.6, 4.9], [0, -2.0, -1.5, 3.2, 2.0],
                     [1, 4.5, 3.0, 9.0, 7.5], [0, 2.0, 2.0, 2.4, 2.2]])
# the upstream gradient: g[k, ph, pw, c] = 1 + (k*5 + ph*3 + pw*2 + c) % 4 (NHWC), as NCHW here
def upstream(k, oh, ow):
    kk, ph, pw, c = torch.meshgrid(torch.arange(k), torch.arange(oh), torch.arange(ow), torch.arange(C), indexing='ij')
    return (1 + (kk * 5 + ph * 3 + pw * 2 + c) % 4).float().permute(0, 3, 1, 2)


fixture['features'] = {'shape': [B, H, W, C], 'rois': rois.tolist()}
fixture['roiAlign'] = []
fixture['roiPool'] = []
print('== roi_align')
for (oh, ow, scale, sr, aligned) in [(2, 2, 1.0, 2, False), (2, 3, 1.0, 0, False), (2, 2, 0.5, 2, True),
                                     (3, 2, 0.25, 0, True), (2, 2, 1.0, 0, True)]:
    xi = x.clone().requires_grad_(True)
    y = torchvision.ops.roi_align(xi, rois, (oh, ow), scale, sr, aligned)
    (y * upstream(rois.shape[0], oh, ow)).sum().backward()
    fixture['roiAlign'].append({'outputSize': [oh, ow], 'spatialScale': scale, 'samplingRatio': sr, 'aligned': aligned,
                                'out': fmt(y.permute(0, 2, 3, 1)), 'grad': fmt(xi.grad.permute(0, 2, 3, 1))})
    print(f'roi_align out={oh}x{ow} scale={scale} sr={sr} aligned={aligned}', fixture['roiAlign'][-1]['out'][:6], '…')

print('== roi_pool')
for (oh, ow, scale) in [(2, 2, 1.0), (3, 2, 0.5)]:
    xi = x.clone().requires_grad_(True)
    y = torchvision.ops.roi_pool(xi, rois, (oh, ow), scale)
    (y * upstream(rois.shape[0], oh, ow)).sum().backward()
    fixture['roiPool'].append({'outputSize': [oh, ow], 'spatialScale': scale,
                               'out': fmt(y.permute(0, 2, 3, 1)), 'grad': fmt(xi.grad.permute(0, 2, 3, 1))})
    print(f'roi_pool out={oh}x{ow} scale={scale}', fixture['roiPool'][-1]['out'][:6], '…')

# d2l §14.8.2's roi_pool example (NCHW 1x1x4x4, two RoIs, spatial_scale 0.1)
X = torch.arange(16.).reshape(1, 1, 4, 4)
print('d2l roi_pool', fmt(torchvision.ops.roi_pool(X, torch.Tensor([[0, 0, 0, 20, 20], [0, 0, 10, 30, 30]]), (2, 2), 0.1)))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'boxes.reference.json'), 'w') as f:
    json.dump({'source': 'boxes.reference.py: torch ' + torch.__version__ + ', torchvision ' + torchvision.__version__, **fixture}, f)
    f.write('\n')
