"""Reference numbers for packages/nlp/src/transformer/*.test.ts (PyTorch; d2l §11.7's Transformer).

Run from the repository root:
    python packages/nlp/src/transformer/transformer.reference.py > packages/nlp/src/transformer/transformer.reference.json
(used with torch 1.13.0, numpy 1.x). The model is bench/nlp_seq2seq_torch_transformer.py, d2l's
classes with the decoder's position offset and causal mask during step-by-step decoding; this
script also checks that in training mode it equals d2l's verbatim decoder (copied below).

Weights and inputs are deterministic: `det(shape, salt)` = 0.5 * sin(0.7 * i + salt) over the
flat index i (float64, then float32), built the same way by the tests. Every weight, in dlpipe's
layout (kernels [in, out]), is det(shape, 200 + k) where k is its index among the model's dlpipe
weight names sorted (JavaScript's default sort and Python's agree on these ASCII names), except
layer-norm scales 1 + det(shape, 200 + k) and biases 0.1 · det(shape, 200 + k).
"""
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "bench"))
import nlp_seq2seq_torch_transformer as T  # noqa: E402


def det(shape, salt):
    n = int(np.prod(shape))
    return torch.tensor((0.5 * np.sin(0.7 * np.arange(n) + salt)).reshape(shape), dtype=torch.float32)


def flat(t):
    return [float(f"{v:.7g}") for v in t.detach().reshape(-1).tolist()]


def ref_weight(name, shape, salt):
    """Layer-norm scales 1 + det, biases 0.1 · det, the rest det (so every sublayer matters)."""
    if name.endswith("ln.weight"):
        return 1 + det(shape, salt)
    if name.endswith("bias"):
        return 0.1 * det(shape, salt)
    return det(shape, salt)


def set_det_weights(net):
    named = T.dlpipe_named_weights(net)
    values = {}
    for k, name in enumerate(sorted(named)):
        p, transposed = named[name]
        shape = list(p.shape[::-1]) if transposed else list(p.shape)
        values[name] = ref_weight(name, shape, 200 + k)
    T.load_dlpipe_weights(net, values)
    return sorted(named)


# ---- d2l's decoder verbatim (prediction: P[0] at every step, no mask in eval) for the training-mode check ----
class D2lDecoderBlock(T.TransformerDecoderBlock):
    def forward(self, X, state):
        enc_outputs, enc_valid_lens = state[0], state[1]
        if state[2][self.i] is None:
            key_values = X
        else:
            key_values = torch.cat((state[2][self.i], X), dim=1)
        state[2][self.i] = key_values
        if self.training:
            batch_size, num_steps, _ = X.shape
            dec_valid_lens = torch.arange(1, num_steps + 1, device=X.device).repeat(batch_size, 1)
        else:
            dec_valid_lens = None
        X2 = self.attention1(X, key_values, key_values, dec_valid_lens)
        Y = self.addnorm1(X, X2)
        Y2 = self.attention2(Y, enc_outputs, enc_outputs, enc_valid_lens)
        Z = self.addnorm2(Y, Y2)
        return self.addnorm3(Z, self.ffn(Z)), state


def d2l_decoder_forward(dec, X, state):
    X = dec.pos_encoding(dec.embedding(X) * math.sqrt(dec.num_hiddens))
    for blk in dec.blks:
        X, state = D2lDecoderBlock.forward(blk, X, state)
    return dec.dense(X), state


out = {"torch": torch.__version__}

# ---- d2l's shape check: TransformerEncoderBlock(24, 48, 8, 0.5), X ones (2, 100, 24), valid_lens [3, 2] ----
blk = T.TransformerEncoderBlock(24, 48, 8, 0.5).eval()
out["encoderBlockShape"] = list(blk(torch.ones((2, 100, 24)), torch.tensor([3, 2])).shape)

# ---- encoder block values: numHiddens 8, ffn 12, 2 heads, X = det([2, 5, 8], 21) * 2, valid_lens [3, 2] ----
blk = T.TransformerEncoderBlock(8, 12, 2, 0.5).eval()
names = set_det_weights(blk)
X = det([2, 5, 8], 21) * 2
Y = blk(X, torch.tensor([3, 2]))
out["encoderBlock"] = {
    "names": names,
    "output": flat(Y),
    "attentionWeights": flat(blk.attention.attention.attention_weights),
}

# ---- the model: vocab 11 → 13, numHiddens 8, ffn 12, 2 heads, 2 blocks, dropout 0 ----
torch.manual_seed(0)
net = T.make_transformer(11, 13, num_hiddens=8, ffn_num_hiddens=12, num_heads=2, num_blks=2, dropout=0.0)
names = set_det_weights(net)
src = torch.tensor([[3, 7, 1, 9, 2], [5, 10, 2, 0, 0]])
src_valid_len = torch.tensor([5, 3])
tgt_in = torch.tensor([[1, 4, 12, 6], [1, 8, 3, 5]])

net.eval()
with torch.no_grad():
    enc = net.encoder(src, src_valid_len)
    enc_weights = [w.clone() for w in net.encoder.attention_weights]
    logits, _ = net.decoder(tgt_in, net.decoder.init_state(enc, src_valid_len))
    self_w = [w.clone() for w in net.decoder.attention_weights[0]]
    cross_w = [w.clone() for w in net.decoder.attention_weights[1]]
    # step by step with the cached keys/values equals the teacher-forced pass
    state = net.decoder.init_state(enc, src_valid_len)
    steps = []
    for t in range(tgt_in.shape[1]):
        step_logits, state = net.decoder(tgt_in[:, t : t + 1], state)
        steps.append(step_logits)
    assert torch.allclose(torch.cat(steps, 1), logits, atol=1e-5), "incremental decoding differs"

# training mode (dropout 0): equals d2l's verbatim decoder; gradients of sum(logits · det(shape, 9))
net.train()
enc_t = net.encoder(src, src_valid_len)
logits_t, _ = net.decoder(tgt_in, net.decoder.init_state(enc_t, src_valid_len))
d2l_logits, _ = d2l_decoder_forward(net.decoder, tgt_in, net.decoder.init_state(enc_t, src_valid_len))
assert torch.allclose(logits_t, d2l_logits, atol=1e-6), "training mode differs from d2l's decoder"
assert torch.allclose(logits_t, logits, atol=1e-5), "training and eval teacher forcing differ (dropout 0)"
(logits_t * det(list(logits_t.shape), 9)).sum().backward()
named = T.dlpipe_named_weights(net)
grads = {}
for name in [
    "encoder.embedding.weight",
    "encoder.blks.block1.addnorm1.ln.weight",
    "decoder.blks.block0.attention1.W_q.kernel",
    "decoder.blks.block1.attention2.W_k.kernel",
    "decoder.dense.bias",
]:
    p, transposed = named[name]
    grads[name] = flat(p.grad.T if transposed else p.grad)

out["model"] = {
    "config": {"srcVocabSize": 11, "tgtVocabSize": 13, "numHiddens": 8, "ffnNumHiddens": 12, "numHeads": 2, "numLayers": 2},
    "names": names,
    "src": src.tolist(),
    "srcValidLen": src_valid_len.tolist(),
    "tgtIn": tgt_in.tolist(),
    "encoderOutputs": flat(enc),
    "encoderAttentionWeights1": flat(enc_weights[1]),
    "logits": flat(logits),
    "decoderSelfAttentionWeights0": flat(self_w[0]),
    "decoderCrossAttentionWeights1": flat(cross_w[1]),
    "grads": grads,
}

print(json.dumps(out))
