"""Reference numbers for packages/nlp/src/seq2seq/*.test.ts (PyTorch; d2l's classes as in the book).

Run: python seq2seq.reference.py > seq2seq.reference.json   (used with torch 1.13.0, numpy 1.x)

d2l is not installed: its classes (d2l.ai §10.7 Seq2SeqEncoder/Seq2SeqDecoder/MaskedSoftmaxCELoss,
§11.4 Seq2SeqAttentionDecoder, §11.3 AdditiveAttention/masked_softmax, PyTorch tab) are copied
below. Weights are deterministic, `det(shape, salt)` = 0.5 * sin(0.7 * i + salt) over the flat
index i (float64, then float32), which the tests build the same way. The tests hold kernels
[in, out], so each torch weight [out, in] (GRU: weight_ih_l<k> [3H, in], gates r|z|n) is set to
det([in, out], salt).T; embeddings [vocab, embed] are det([vocab, embed], salt) as they are.
Layouts in the JSON are batch-major (the tests' layout): encoder outputs [B, T, H], logits
[B, T, V], states [layers, B, H], attention weights [B, T, Ts].
"""
import json
import warnings

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


# ---- d2l §10.7 ----
class Seq2SeqEncoder(nn.Module):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.GRU(embed_size, num_hiddens, num_layers, dropout=dropout)

    def forward(self, X, *args):
        embs = self.embedding(X.t().type(torch.int64))
        outputs, state = self.rnn(embs)
        return outputs, state


class Seq2SeqDecoder(nn.Module):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.GRU(embed_size + num_hiddens, num_hiddens, num_layers, dropout=dropout)
        self.dense = nn.LazyLinear(vocab_size)

    def init_state(self, enc_all_outputs, *args):
        return enc_all_outputs

    def forward(self, X, state):
        embs = self.embedding(X.t().type(torch.int32))
        enc_output, hidden_state = state
        context = enc_output[-1]
        context = context.repeat(embs.shape[0], 1, 1)
        embs_and_context = torch.cat((embs, context), -1)
        outputs, hidden_state = self.rnn(embs_and_context, hidden_state)
        outputs = self.dense(outputs).swapaxes(0, 1)
        return outputs, [enc_output, hidden_state]


def sequence_mask(X, valid_len, value=0):
    maxlen = X.size(1)
    mask = torch.arange((maxlen), dtype=torch.float32, device=X.device)[None, :] < valid_len[:, None]
    X[~mask] = value
    return X


class MaskedSoftmaxCELoss(nn.CrossEntropyLoss):
    def forward(self, pred, label, valid_len):
        weights = torch.ones_like(label)
        weights = sequence_mask(weights, valid_len)
        self.reduction = 'none'
        unweighted_loss = super(MaskedSoftmaxCELoss, self).forward(pred.permute(0, 2, 1), label)
        weighted_loss = (unweighted_loss * weights).mean(dim=1)
        return weighted_loss


# ---- d2l §11.4 ----
class Seq2SeqAttentionDecoder(nn.Module):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0):
        super().__init__()
        self.attention = AdditiveAttention(num_hiddens, dropout)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.GRU(embed_size + num_hiddens, num_hiddens, num_layers, dropout=dropout)
        self.dense = nn.LazyLinear(vocab_size)

    def init_state(self, enc_outputs, enc_valid_lens):
        outputs, hidden_state = enc_outputs
        return (outputs.permute(1, 0, 2), hidden_state, enc_valid_lens)

    def forward(self, X, state):
        enc_outputs, hidden_state, enc_valid_lens = state
        X = self.embedding(X).permute(1, 0, 2)
        outputs, self._attention_weights = [], []
        for x in X:
            query = torch.unsqueeze(hidden_state[-1], dim=1)
            context = self.attention(query, enc_outputs, enc_outputs, enc_valid_lens)
            x = torch.cat((context, torch.unsqueeze(x, dim=1)), dim=-1)
            out, hidden_state = self.rnn(x.permute(1, 0, 2), hidden_state)
            outputs.append(out)
            self._attention_weights.append(self.attention.attention_weights)
        outputs = self.dense(torch.cat(outputs, dim=0))
        return outputs.permute(1, 0, 2), [enc_outputs, hidden_state, enc_valid_lens]


# ---- fixed weights ----
def set_gru(rnn, in_dim, H, layers, salt):
    """weight_ih_l<k> = det([in, 3H], s).T, weight_hh = det([H, 3H], s+1).T, b_ih = det([3H], s+2), b_hh = det([3H], s+3)."""
    with torch.no_grad():
        for k in range(layers):
            d = in_dim if k == 0 else H
            s = salt + 4 * k
            getattr(rnn, f"weight_ih_l{k}").copy_(det([d, 3 * H], s).T)
            getattr(rnn, f"weight_hh_l{k}").copy_(det([H, 3 * H], s + 1).T)
            getattr(rnn, f"bias_ih_l{k}").copy_(det([3 * H], s + 2))
            getattr(rnn, f"bias_hh_l{k}").copy_(det([3 * H], s + 3))


def set_encoder(enc, V, E, H, L):
    with torch.no_grad():
        enc.embedding.weight.copy_(det([V, E], 1))
    set_gru(enc.rnn, E, H, L, 2)


def flat(t):
    return [round(float(x), 7) for x in t.detach().reshape(-1).tolist()]


V, E, H, L = 10, 8, 16, 2
out = {"torch": torch.__version__}

# GRU seq2seq (d2l §10.7: vocab 10, embed 8, hiddens 16, 2 layers, batch 4, 9 steps).
B, T = 4, 9
src = torch.tensor([[(3 * b + 2 * t + 1) % V for t in range(T)] for b in range(B)])
tgt_in = torch.tensor([[(5 * b + t) % V for t in range(T)] for b in range(B)])
labels = torch.tensor([[(7 * b + 3 * t + 2) % V for t in range(T)] for b in range(B)])
tgt_len = torch.tensor([9, 4, 6, 1])
encoder = Seq2SeqEncoder(V, E, H, L).eval()
set_encoder(encoder, V, E, H, L)
decoder = Seq2SeqDecoder(V, E, H, L).eval()
decoder.dense(torch.zeros(1, H))  # materialize the lazy layer
with torch.no_grad():
    decoder.embedding.weight.copy_(det([V, E], 11))
    decoder.dense.weight.copy_(det([H, V], 20).T)
    decoder.dense.bias.copy_(det([V], 21))
set_gru(decoder.rnn, E + H, H, L, 12)
enc_outputs, enc_state = encoder(src)
logits, (_, dec_state) = decoder(tgt_in, decoder.init_state((enc_outputs, enc_state)))
loss = MaskedSoftmaxCELoss()(logits, labels, tgt_len)
loss.sum().backward()
out["gru"] = {
    "src": src.tolist(), "tgtIn": tgt_in.tolist(), "labels": labels.tolist(), "tgtLen": tgt_len.tolist(),
    "encOutputs": flat(enc_outputs.permute(1, 0, 2)), "encState": flat(enc_state),
    "logits": flat(logits), "decState": flat(dec_state), "loss": flat(loss),
    # d(sum of the losses) for kernels in the tests' [in, out] layout.
    "gradEncoderW_hh_l0": flat(encoder.rnn.weight_hh_l0.grad.T),
    "gradDecoderW_ih_l1": flat(decoder.rnn.weight_ih_l1.grad.T),
    "gradDecoderEmbedding": flat(decoder.embedding.weight.grad),
}

# Bahdanau (d2l §11.4: vocab 10, embed 8, hiddens 16, 2 layers, batch 4, 7 steps), source lengths masked.
B, T = 4, 7
src = torch.tensor([[(3 * b + 2 * t + 1) % V for t in range(T)] for b in range(B)])
tgt_in = torch.tensor([[(5 * b + t) % V for t in range(T)] for b in range(B)])
src_len = torch.tensor([7, 3, 5, 1])
encoder = Seq2SeqEncoder(V, E, H, L).eval()
set_encoder(encoder, V, E, H, L)
decoder = Seq2SeqAttentionDecoder(V, E, H, L).eval()
decoder.dense(torch.zeros(1, H))
decoder.attention(torch.zeros(1, 1, H), torch.zeros(1, 1, H), torch.zeros(1, 1, H), None)
with torch.no_grad():
    decoder.attention.W_q.weight.copy_(det([H, H], 30).T)
    decoder.attention.W_k.weight.copy_(det([H, H], 31).T)
    decoder.attention.w_v.weight.copy_(det([H, 1], 32).T)
    decoder.embedding.weight.copy_(det([V, E], 33))
    decoder.dense.weight.copy_(det([H, V], 50).T)
    decoder.dense.bias.copy_(det([V], 51))
set_gru(decoder.rnn, E + H, H, L, 34)
enc_outputs, enc_state = encoder(src)
logits, (_, dec_state, _) = decoder(tgt_in, decoder.init_state((enc_outputs, enc_state), src_len))
labels = torch.tensor([[(7 * b + 3 * t + 2) % V for t in range(T)] for b in range(B)])
tgt_len = torch.tensor([7, 2, 5, 4])
loss = MaskedSoftmaxCELoss()(logits, labels, tgt_len)
loss.sum().backward()
out["bahdanau"] = {
    "src": src.tolist(), "tgtIn": tgt_in.tolist(), "srcLen": src_len.tolist(),
    "labels": labels.tolist(), "tgtLen": tgt_len.tolist(),
    "logits": flat(logits), "decState": flat(dec_state),
    "attentionWeights": flat(torch.cat(decoder._attention_weights, dim=1)),
    "loss": flat(loss),
    "gradW_q": flat(decoder.attention.W_q.weight.grad.T),
    "gradEncoderW_ih_l0": flat(encoder.rnn.weight_ih_l0.grad.T),
}

# d2l §10.7's loss example.
out["maskedLoss"] = flat(MaskedSoftmaxCELoss()(torch.ones(3, 4, 10), torch.ones((3, 4), dtype=torch.long),
                                               torch.tensor([4, 2, 0])))
print(json.dumps(out))
