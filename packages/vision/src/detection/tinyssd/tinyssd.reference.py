# Reference numbers for tinyssd.test.ts: d2l §14.7's TinySSD in PyTorch (1.13; d2l's code written
# out from the book, since d2l itself is not installed), with every weight and input set by a
# formula both sides compute, so the test rebuilds the same network in NHWC.
#
#   /tmp/refpy/bin/python packages/vision/src/detection/tinyssd/tinyssd.reference.py
#
# Weight formula (torch layout [o, i, kh, kw], flat index k in that order, L = sum of the char
# codes of the layer key mod 97, fanIn = i·9):
#   conv kernel  √3·sin(0.37·(k² mod 1009) + 1.1·L) / √fanIn     conv bias  0.5·cos(0.53·k + L) / √fanIn
#   bn gamma     1 + 0.1·sin(k + L)                 bn beta     0.1·cos(k + L)
# Input x[b, c, h, w] = 0.5 + 0.25·sin(0.13h + 0.29w + 1.7c + 2.3b) + 0.25·cos(0.011·h·w + c).
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.set_printoptions(precision=8, sci_mode=False)


# ---- d2l §14.4 (boxes) ----------------------------------------------------------------------
def box_corner_to_center(boxes):
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    return torch.stack(((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1), axis=-1)


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


# ---- d2l §14.7 (TinySSD) --------------------------------------------------------------------
def cls_predictor(num_inputs, num_anchors, num_classes):
    return nn.Conv2d(num_inputs, num_anchors * (num_classes + 1), kernel_size=3, padding=1)


def bbox_predictor(num_inputs, num_anchors):
    return nn.Conv2d(num_inputs, num_anchors * 4, kernel_size=3, padding=1)


def flatten_pred(pred):
    return torch.flatten(pred.permute(0, 2, 3, 1), start_dim=1)


def concat_preds(preds):
    return torch.cat([flatten_pred(p) for p in preds], dim=1)


def down_sample_blk(in_channels, out_channels):
    blk = []
    for _ in range(2):
        blk.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
        blk.append(nn.BatchNorm2d(out_channels))
        blk.append(nn.ReLU())
        in_channels = out_channels
    blk.append(nn.MaxPool2d(2))
    return nn.Sequential(*blk)


def base_net():
    blk = []
    num_filters = [3, 16, 32, 64]
    for i in range(len(num_filters) - 1):
        blk.append(down_sample_blk(num_filters[i], num_filters[i + 1]))
    return nn.Sequential(*blk)


def get_blk(i):
    if i == 0:
        return base_net()
    if i == 1:
        return down_sample_blk(64, 128)
    if i == 4:
        return nn.AdaptiveMaxPool2d((1, 1))
    return down_sample_blk(128, 128)


sizes = [[0.2, 0.272], [0.37, 0.447], [0.54, 0.619], [0.71, 0.79], [0.88, 0.961]]
ratios = [[1, 2, 0.5]] * 5
num_anchors = len(sizes[0]) + len(ratios[0]) - 1


class TinySSD(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.num_classes = num_classes
        idx_to_in_channels = [64, 128, 128, 128, 128]
        for i in range(5):
            setattr(self, f'blk_{i}', get_blk(i))
            setattr(self, f'cls_{i}', cls_predictor(idx_to_in_channels[i], num_anchors, num_classes))
            setattr(self, f'bbox_{i}', bbox_predictor(idx_to_in_channels[i], num_anchors))

    def forward(self, X):
        anchors, cls_preds, bbox_preds = [None] * 5, [None] * 5, [None] * 5
        for i in range(5):
            X = getattr(self, f'blk_{i}')(X)
            anchors[i] = multibox_prior(X, sizes[i], ratios[i])
            cls_preds[i] = getattr(self, f'cls_{i}')(X)
            bbox_preds[i] = getattr(self, f'bbox_{i}')(X)
        anchors = torch.cat(anchors, dim=1)
        cls_preds = concat_preds(cls_preds)
        cls_preds = cls_preds.reshape(cls_preds.shape[0], -1, self.num_classes + 1)
        return anchors, cls_preds, concat_preds(bbox_preds)


cls_loss = nn.CrossEntropyLoss(reduction='none')
bbox_loss = nn.L1Loss(reduction='none')


def calc_loss(cls_preds, cls_labels, bbox_preds, bbox_labels, bbox_masks):
    batch_size, num_classes = cls_preds.shape[0], cls_preds.shape[2]
    cls = cls_loss(cls_preds.reshape(-1, num_classes), cls_labels.reshape(-1)).reshape(batch_size, -1).mean(dim=1)
    bbox = bbox_loss(bbox_preds * bbox_masks, bbox_labels * bbox_masks).mean(dim=1)
    return cls + bbox


def cls_eval(cls_preds, cls_labels):
    return float((cls_preds.argmax(dim=-1).type(cls_labels.dtype) == cls_labels).sum())


def bbox_eval(bbox_preds, bbox_labels, bbox_masks):
    return float((torch.abs((bbox_labels - bbox_preds) * bbox_masks)).sum())


# ---- the fixed weights and inputs -----------------------------------------------------------
def layer_keys(net):
    """(key, conv, bn or None) with the keys the TypeScript network names its layers by."""
    out = []
    for j in range(3):
        for i in range(2):
            out.append((f'blk0_down{j}_conv{i}', net.blk_0[j][3 * i], net.blk_0[j][3 * i + 1]))
    for k in range(1, 4):
        for i in range(2):
            out.append((f'blk{k}_conv{i}', getattr(net, f'blk_{k}')[3 * i], getattr(net, f'blk_{k}')[3 * i + 1]))
    for i in range(5):
        out.append((f'cls{i}', getattr(net, f'cls_{i}'), None))
        out.append((f'bbox{i}', getattr(net, f'bbox_{i}'), None))
    return out


def set_weights(net):
    with torch.no_grad():
        for key, conv, bn in layer_keys(net):
            L = sum(ord(c) for c in key) % 97
            fan_in = conv.weight.shape[1] * 9
            k = torch.arange(conv.weight.numel(), dtype=torch.float64)
            conv.weight.copy_((math.sqrt(3) * torch.sin(0.37 * torch.fmod(k * k, 1009) + 1.1 * L) / math.sqrt(fan_in)).reshape(conv.weight.shape))
            k = torch.arange(conv.bias.numel(), dtype=torch.float64)
            conv.bias.copy_(0.5 * torch.cos(0.53 * k + L) / math.sqrt(fan_in))
            if bn is not None:
                k = torch.arange(bn.weight.numel(), dtype=torch.float64)
                bn.weight.copy_(1 + 0.1 * torch.sin(k + L))
                bn.bias.copy_(0.1 * torch.cos(k + L))


def image(b, s):
    h = torch.arange(s, dtype=torch.float64).reshape(1, 1, s, 1)
    w = torch.arange(s, dtype=torch.float64).reshape(1, 1, 1, s)
    c = torch.arange(3, dtype=torch.float64).reshape(1, 3, 1, 1)
    bb = torch.arange(b, dtype=torch.float64).reshape(b, 1, 1, 1)
    return (0.5 + 0.25 * torch.sin(0.13 * h + 0.29 * w + 1.7 * c + 2.3 * bb) + 0.25 * torch.cos(0.011 * h * w + c)).float()


print('parameters, 1 class:', sum(p.numel() for p in TinySSD(1).parameters()))
print('parameters, 2 classes:', sum(p.numel() for p in TinySSD(2).parameters()))
print('anchors at 256:', TinySSD(1)(torch.zeros(1, 3, 256, 256))[0].shape)

net = TinySSD(2)
set_weights(net)
X = image(2, 64)
Y = torch.tensor([[[0, 0.1, 0.1, 0.5, 0.6], [1, 0.55, 0.3, 0.95, 0.9]],
                  [[1, 0.2, 0.25, 0.7, 0.8], [0, 0.05, 0.6, 0.35, 0.95]]])
for mode in ['eval', 'train']:
    net.train(mode == 'train')
    anchors, cls_preds, bbox_preds = net(X)
    bbox_labels, bbox_masks, cls_labels = multibox_target(anchors, Y)
    l = calc_loss(cls_preds, cls_labels, bbox_preds, bbox_labels, bbox_masks)
    print(mode, 'anchors', tuple(anchors.shape), 'cls_preds', tuple(cls_preds.shape), 'bbox_preds', tuple(bbox_preds.shape))
    print(mode, 'positive anchors per image', (cls_labels > 0).sum(dim=1).tolist())
    print(mode, 'calc_loss', [round(v, 6) for v in l.tolist()], 'mean', round(float(l.mean()), 6))
    print(mode, 'cls_eval', cls_eval(cls_preds, cls_labels), 'of', cls_labels.numel(),
          'bbox_eval', round(bbox_eval(bbox_preds, bbox_labels, bbox_masks), 5))
    print(mode, 'cls_preds[0, :3]', [round(v, 6) for v in cls_preds[0, :3].reshape(-1).tolist()])
    print(mode, 'bbox_preds[1, -4:]', [round(v, 6) for v in bbox_preds[1, -4:].tolist()])
