# PyTorch parameter counts of d2l's definitions (d2l.ai, PyTorch edition, chapters 5 and 7-8)
import torch
from torch import nn
from torch.nn import functional as F
torch.manual_seed(0)
def count(net, shape):
    net(torch.zeros(shape))  # materialize Lazy modules
    return sum(p.numel() for p in net.parameters())
def mlp(): return nn.Sequential(nn.Flatten(), nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))
def lenet(): return nn.Sequential(nn.LazyConv2d(6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.LazyConv2d(16, 5), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(), nn.LazyLinear(120), nn.Sigmoid(), nn.LazyLinear(84), nn.Sigmoid(), nn.LazyLinear(10))
def lenet_bn(): return nn.Sequential(nn.LazyConv2d(6, 5), nn.LazyBatchNorm2d(), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.LazyConv2d(16, 5), nn.LazyBatchNorm2d(), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(), nn.LazyLinear(120), nn.LazyBatchNorm1d(), nn.Sigmoid(), nn.LazyLinear(84), nn.LazyBatchNorm1d(), nn.Sigmoid(), nn.LazyLinear(10))
def alexnet(): return nn.Sequential(nn.LazyConv2d(96, 11, 4, 1), nn.ReLU(), nn.MaxPool2d(3, 2), nn.LazyConv2d(256, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2), nn.LazyConv2d(384, 3, padding=1), nn.ReLU(), nn.LazyConv2d(384, 3, padding=1), nn.ReLU(), nn.LazyConv2d(256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2), nn.Flatten(), nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5), nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5), nn.LazyLinear(10))
def vgg_block(n, c):
    l = []
    for _ in range(n): l += [nn.LazyConv2d(c, 3, padding=1), nn.ReLU()]
    return nn.Sequential(*l, nn.MaxPool2d(2, 2))
def vgg(arch): return nn.Sequential(*[vgg_block(*a) for a in arch], nn.Flatten(), nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5), nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5), nn.LazyLinear(10))
def nin_block(c, k, s, p): return nn.Sequential(nn.LazyConv2d(c, k, s, p), nn.ReLU(), nn.LazyConv2d(c, 1), nn.ReLU(), nn.LazyConv2d(c, 1), nn.ReLU())
def nin(): return nn.Sequential(nin_block(96, 11, 4, 0), nn.MaxPool2d(3, 2), nin_block(256, 5, 1, 2), nn.MaxPool2d(3, 2), nin_block(384, 3, 1, 1), nn.MaxPool2d(3, 2), nn.Dropout(0.5), nin_block(10, 3, 1, 1), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())
class Inception(nn.Module):
    def __init__(self, c1, c2, c3, c4):
        super().__init__()
        self.b1_1 = nn.LazyConv2d(c1, 1); self.b2_1 = nn.LazyConv2d(c2[0], 1); self.b2_2 = nn.LazyConv2d(c2[1], 3, padding=1)
        self.b3_1 = nn.LazyConv2d(c3[0], 1); self.b3_2 = nn.LazyConv2d(c3[1], 5, padding=2); self.b4_1 = nn.MaxPool2d(3, 1, 1); self.b4_2 = nn.LazyConv2d(c4, 1)
    def forward(self, x):
        return torch.cat((F.relu(self.b1_1(x)), F.relu(self.b2_2(F.relu(self.b2_1(x)))), F.relu(self.b3_2(F.relu(self.b3_1(x)))), F.relu(self.b4_2(self.b4_1(x)))), 1)
def googlenet():
    b1 = nn.Sequential(nn.LazyConv2d(64, 7, 2, 3), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
    b2 = nn.Sequential(nn.LazyConv2d(64, 1), nn.ReLU(), nn.LazyConv2d(192, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
    b3 = nn.Sequential(Inception(64, (96, 128), (16, 32), 32), Inception(128, (128, 192), (32, 96), 64), nn.MaxPool2d(3, 2, 1))
    b4 = nn.Sequential(Inception(192, (96, 208), (16, 48), 64), Inception(160, (112, 224), (24, 64), 64), Inception(128, (128, 256), (24, 64), 64), Inception(112, (144, 288), (32, 64), 64), Inception(256, (160, 320), (32, 128), 128), nn.MaxPool2d(3, 2, 1))
    b5 = nn.Sequential(Inception(256, (160, 320), (32, 128), 128), Inception(384, (192, 384), (48, 128), 128), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())
    return nn.Sequential(b1, b2, b3, b4, b5, nn.LazyLinear(10))
class Residual(nn.Module):
    def __init__(self, c, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.LazyConv2d(c, 3, padding=1, stride=strides); self.conv2 = nn.LazyConv2d(c, 3, padding=1)
        self.conv3 = nn.LazyConv2d(c, 1, stride=strides) if use_1x1conv else None
        self.bn1 = nn.LazyBatchNorm2d(); self.bn2 = nn.LazyBatchNorm2d()
    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X))); Y = self.bn2(self.conv2(Y))
        if self.conv3: X = self.conv3(X)
        return F.relu(Y + X)
def resnet(arch):
    layers = [nn.Sequential(nn.LazyConv2d(64, 7, 2, 3), nn.LazyBatchNorm2d(), nn.ReLU(), nn.MaxPool2d(3, 2, 1))]
    for i, (n, c) in enumerate(arch):
        layers += [Residual(c, True, 2) if j == 0 and i != 0 else Residual(c) for j in range(n)]
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.LazyLinear(10))
# ResNet-50: torchvision's Bottleneck layout (d2l has none): 1x1 -> 3x3(stride) -> 1x1 (x4), no conv biases, BN on the projection
class Bottleneck(nn.Module):
    def __init__(self, cin, c, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, c, 1, bias=False); self.b1 = nn.BatchNorm2d(c)
        self.c2 = nn.Conv2d(c, c, 3, stride, 1, bias=False); self.b2 = nn.BatchNorm2d(c)
        self.c3 = nn.Conv2d(c, 4 * c, 1, bias=False); self.b3 = nn.BatchNorm2d(4 * c)
        self.down = nn.Sequential(nn.Conv2d(cin, 4 * c, 1, stride, bias=False), nn.BatchNorm2d(4 * c)) if stride != 1 or cin != 4 * c else None
    def forward(self, x):
        y = F.relu(self.b1(self.c1(x))); y = F.relu(self.b2(self.c2(y))); y = self.b3(self.c3(y))
        return F.relu(y + (self.down(x) if self.down else x))
def resnet50(cin, classes):
    layers = [nn.Conv2d(cin, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    c_in = 64
    for i, (n, c) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)]):
        for j in range(n):
            layers.append(Bottleneck(c_in, c, 2 if j == 0 and i > 0 else 1)); c_in = 4 * c
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, classes))
def conv_block(c): return nn.Sequential(nn.LazyBatchNorm2d(), nn.ReLU(), nn.LazyConv2d(c, 3, padding=1))
class DenseBlock(nn.Module):
    def __init__(self, n, c):
        super().__init__(); self.net = nn.Sequential(*[conv_block(c) for _ in range(n)])
    def forward(self, X):
        for blk in self.net: X = torch.cat((X, blk(X)), dim=1)
        return X
def transition(c): return nn.Sequential(nn.LazyBatchNorm2d(), nn.ReLU(), nn.LazyConv2d(c, 1), nn.AvgPool2d(2, 2))
def densenet(c=64, g=32, arch=(4, 4, 4, 4)):
    layers = [nn.LazyConv2d(64, 7, 2, 3), nn.LazyBatchNorm2d(), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    for i, n in enumerate(arch):
        layers.append(DenseBlock(n, g)); c += n * g
        if i != len(arch) - 1: c //= 2; layers.append(transition(c))
    return nn.Sequential(*layers, nn.LazyBatchNorm2d(), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.LazyLinear(10))
import sys
out = {
 'mlp 28x28x1': count(mlp(), (1, 1, 28, 28)),
 'lenet 28x28x1': count(lenet(), (1, 1, 28, 28)),
 'lenet-bn 28x28x1': count(lenet_bn(), (2, 1, 28, 28)),
 'alexnet 224x224x1': count(alexnet(), (1, 1, 224, 224)),
 'vgg11 224x224x1': count(vgg(((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))), (1, 1, 224, 224)),
 'vgg11/4 224x224x1': count(vgg(((1, 16), (1, 32), (2, 64), (2, 128), (2, 128))), (1, 1, 224, 224)),
 'nin 224x224x1': count(nin(), (1, 1, 224, 224)),
 'googlenet 96x96x1': count(googlenet(), (1, 1, 96, 96)),
 'resnet18 96x96x1': count(resnet(((2, 64), (2, 128), (2, 256), (2, 512))), (2, 1, 96, 96)),
 'resnet34 96x96x1': count(resnet(((3, 64), (4, 128), (6, 256), (3, 512))), (2, 1, 96, 96)),
 'resnet50 224x224x3 1000': count(resnet50(3, 1000), (2, 3, 224, 224)),
 'densenet 96x96x1': count(densenet(), (2, 1, 96, 96)),
}
for k, v in out.items(): print(k, v)
