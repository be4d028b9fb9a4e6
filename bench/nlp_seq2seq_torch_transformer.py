"""d2l §11.7's Transformer in PyTorch, the model dlpipe's `packages/nlp/src/transformer` builds, for
the seq2seq bench's same-model comparison (imported by bench/nlp_seq2seq_torch.py) and for the
reference numbers of dlpipe's tests (packages/nlp/src/transformer/transformer.reference.py).

    import sys; sys.path.insert(0, 'bench')
    from nlp_seq2seq_torch_transformer import make_transformer
    net = make_transformer(src_vocab, tgt_vocab)            # d2l's 256 / ffn 64 / 4 heads / 2 blocks / 0.2
    logits = net(src, tgt_in, src_valid_len)                # teacher forcing: [B, T, tgt_vocab]
    state = net.decoder.init_state(net.encoder(src, src_valid_len), src_valid_len)
    logits, state = net.decoder(tgt_step, state)            # step by step (T = 1), keys/values cached

d2l's classes (PyTorch tab) with the same initialization as dlpipe's: PyTorch defaults, i.e.
nn.Embedding N(0, 1), nn.Linear U(±1/√in) for weight and bias, nn.LayerNorm ones/zeros (eps 1e-5);
attention projections without bias. Linear layers are built with their input widths (all
num_hiddens) instead of LazyLinear, which initializes the same way. Two changes from the book, both
also in dlpipe, so that decoding one step at a time equals one teacher-forced pass:
- the decoder's positional encoding starts at the number of cached steps (d2l adds P[0] at every
  prediction step);
- the decoder's self-attention is causal whenever it sees several queries, in eval mode too:
  dec_valid_lens = offset + (1..T) per row. In training (offset 0) this is d2l's 1..T; with T = 1
  it lets the query see every cached key, as d2l's `None`.

`dlpipe_named_weights(net)` maps dlpipe's weight names (`EncoderDecoder.namedWeights()` keys, e.g.
`decoder.blks.block0.attention1.W_q.kernel`) to (parameter, transposed): dlpipe's kernels are
[in, out], PyTorch's Linear weights [out, in]; `load_dlpipe_weights(net, {name: array})` sets them.
"""
import math

import torch
from torch import nn


def masked_softmax(X, valid_lens):
    """d2l §11.3: softmax over the last axis, keys at or past the valid length (1-D or 2-D) masked."""

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


class DotProductAttention(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens=None):
        d = queries.shape[-1]
        scores = torch.bmm(queries, keys.transpose(1, 2)) / math.sqrt(d)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


class MultiHeadAttention(nn.Module):
    """d2l §11.5, with input widths num_hiddens (the Transformer's)."""

    def __init__(self, num_hiddens, num_heads, dropout, bias=False):
        super().__init__()
        self.num_heads = num_heads
        self.attention = DotProductAttention(dropout)
        self.W_q = nn.Linear(num_hiddens, num_hiddens, bias=bias)
        self.W_k = nn.Linear(num_hiddens, num_hiddens, bias=bias)
        self.W_v = nn.Linear(num_hiddens, num_hiddens, bias=bias)
        self.W_o = nn.Linear(num_hiddens, num_hiddens, bias=bias)

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


class PositionalEncoding(nn.Module):
    """d2l §11.6; `offset` selects the first position (0 in d2l)."""

    def __init__(self, num_hiddens, dropout, max_len=1000):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        P = torch.zeros((1, max_len, num_hiddens))
        X = torch.arange(max_len, dtype=torch.float32).reshape(-1, 1) / torch.pow(
            10000, torch.arange(0, num_hiddens, 2, dtype=torch.float32) / num_hiddens
        )
        P[:, :, 0::2] = torch.sin(X)
        P[:, :, 1::2] = torch.cos(X)
        self.register_buffer("P", P, persistent=False)

    def forward(self, X, offset=0):
        X = X + self.P[:, offset : offset + X.shape[1], :]
        return self.dropout(X)


class PositionWiseFFN(nn.Module):
    """d2l §11.7.2: dense2(relu(dense1(X))); its input width is ffn_num_outputs (num_hiddens)."""

    def __init__(self, ffn_num_hiddens, ffn_num_outputs):
        super().__init__()
        self.dense1 = nn.Linear(ffn_num_outputs, ffn_num_hiddens)
        self.relu = nn.ReLU()
        self.dense2 = nn.Linear(ffn_num_hiddens, ffn_num_outputs)

    def forward(self, X):
        return self.dense2(self.relu(self.dense1(X)))


class AddNorm(nn.Module):
    """d2l §11.7.3: layer norm of the residual sum, dropout on the sublayer's output."""

    def __init__(self, norm_shape, dropout):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.ln = nn.LayerNorm(norm_shape)

    def forward(self, X, Y):
        return self.ln(self.dropout(Y) + X)


class TransformerEncoderBlock(nn.Module):
    def __init__(self, num_hiddens, ffn_num_hiddens, num_heads, dropout, use_bias=False):
        super().__init__()
        self.attention = MultiHeadAttention(num_hiddens, num_heads, dropout, use_bias)
        self.addnorm1 = AddNorm(num_hiddens, dropout)
        self.ffn = PositionWiseFFN(ffn_num_hiddens, num_hiddens)
        self.addnorm2 = AddNorm(num_hiddens, dropout)

    def forward(self, X, valid_lens):
        Y = self.addnorm1(X, self.attention(X, X, X, valid_lens))
        return self.addnorm2(Y, self.ffn(Y))


class TransformerEncoder(nn.Module):
    def __init__(self, vocab_size, num_hiddens, ffn_num_hiddens, num_heads, num_blks, dropout, use_bias=False):
        super().__init__()
        self.num_hiddens = num_hiddens
        self.embedding = nn.Embedding(vocab_size, num_hiddens)
        self.pos_encoding = PositionalEncoding(num_hiddens, dropout)
        self.blks = nn.Sequential()
        for i in range(num_blks):
            self.blks.add_module(
                "block" + str(i), TransformerEncoderBlock(num_hiddens, ffn_num_hiddens, num_heads, dropout, use_bias)
            )

    def forward(self, X, valid_lens):
        X = self.pos_encoding(self.embedding(X) * math.sqrt(self.num_hiddens))
        self.attention_weights = [None] * len(self.blks)
        for i, blk in enumerate(self.blks):
            X = blk(X, valid_lens)
            self.attention_weights[i] = blk.attention.attention.attention_weights
        return X


class TransformerDecoderBlock(nn.Module):
    """The i-th decoder block; state = [enc_outputs, enc_valid_lens, per-block cached inputs]."""

    def __init__(self, num_hiddens, ffn_num_hiddens, num_heads, dropout, i):
        super().__init__()
        self.i = i
        self.attention1 = MultiHeadAttention(num_hiddens, num_heads, dropout)
        self.addnorm1 = AddNorm(num_hiddens, dropout)
        self.attention2 = MultiHeadAttention(num_hiddens, num_heads, dropout)
        self.addnorm2 = AddNorm(num_hiddens, dropout)
        self.ffn = PositionWiseFFN(ffn_num_hiddens, num_hiddens)
        self.addnorm3 = AddNorm(num_hiddens, dropout)

    def forward(self, X, state):
        enc_outputs, enc_valid_lens = state[0], state[1]
        if state[2][self.i] is None:
            key_values = X
        else:
            key_values = torch.cat((state[2][self.i], X), dim=1)
        state[2][self.i] = key_values
        batch_size, num_steps, _ = X.shape
        offset = key_values.shape[1] - num_steps
        # Causal: query t sees the cached steps and itself (d2l: 1..T in training, None otherwise).
        dec_valid_lens = torch.arange(offset + 1, offset + num_steps + 1, device=X.device).repeat(batch_size, 1)
        X2 = self.attention1(X, key_values, key_values, dec_valid_lens)
        Y = self.addnorm1(X, X2)
        Y2 = self.attention2(Y, enc_outputs, enc_outputs, enc_valid_lens)
        Z = self.addnorm2(Y, Y2)
        return self.addnorm3(Z, self.ffn(Z)), state


class TransformerDecoder(nn.Module):
    def __init__(self, vocab_size, num_hiddens, ffn_num_hiddens, num_heads, num_blks, dropout):
        super().__init__()
        self.num_hiddens = num_hiddens
        self.num_blks = num_blks
        self.embedding = nn.Embedding(vocab_size, num_hiddens)
        self.pos_encoding = PositionalEncoding(num_hiddens, dropout)
        self.blks = nn.Sequential()
        for i in range(num_blks):
            self.blks.add_module(
                "block" + str(i), TransformerDecoderBlock(num_hiddens, ffn_num_hiddens, num_heads, dropout, i)
            )
        self.dense = nn.Linear(num_hiddens, vocab_size)

    def init_state(self, enc_outputs, enc_valid_lens):
        return [enc_outputs, enc_valid_lens, [None] * self.num_blks]

    def forward(self, X, state):
        offset = 0 if state[2][0] is None else state[2][0].shape[1]
        X = self.pos_encoding(self.embedding(X) * math.sqrt(self.num_hiddens), offset)
        self._attention_weights = [[None] * len(self.blks) for _ in range(2)]
        for i, blk in enumerate(self.blks):
            X, state = blk(X, state)
            self._attention_weights[0][i] = blk.attention1.attention.attention_weights
            self._attention_weights[1][i] = blk.attention2.attention.attention_weights
        return self.dense(X), state

    @property
    def attention_weights(self):
        return self._attention_weights


class EncoderDecoder(nn.Module):
    """d2l §10.6: forward(enc_X, dec_X, enc_valid_lens) → the decoder's logits [B, T, V]."""

    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, enc_X, dec_X, *args):
        enc_all_outputs = self.encoder(enc_X, *args)
        dec_state = self.decoder.init_state(enc_all_outputs, *args)
        return self.decoder(dec_X, dec_state)[0]


def make_transformer(
    src_vocab_size, tgt_vocab_size, num_hiddens=256, ffn_num_hiddens=64, num_heads=4, num_blks=2, dropout=0.2
):
    """d2l §11.7's translation Transformer (its defaults), as dlpipe's `createSeq2Seq({arch: 'transformer'})`."""
    encoder = TransformerEncoder(src_vocab_size, num_hiddens, ffn_num_hiddens, num_heads, num_blks, dropout)
    decoder = TransformerDecoder(tgt_vocab_size, num_hiddens, ffn_num_hiddens, num_heads, num_blks, dropout)
    return EncoderDecoder(encoder, decoder)


def dlpipe_named_weights(net):
    """{dlpipe weight name: (parameter, transposed)}: Linear `weight` → `kernel` (transposed)."""
    out = {}
    for module_name, module in net.named_modules():
        for pname, p in module.named_parameters(recurse=False):
            key = f"{module_name}.{pname}" if module_name else pname
            if isinstance(module, nn.Linear) and pname == "weight":
                out[key[: -len("weight")] + "kernel"] = (p, True)
            else:
                out[key] = (p, False)
    return out


def load_dlpipe_weights(net, values):
    """Sets every weight from {dlpipe name: array-like in dlpipe's layout}; names must match exactly."""
    named = dlpipe_named_weights(net)
    if sorted(named) != sorted(values):
        raise KeyError(f"weights {sorted(values)} do not match the model's {sorted(named)}")
    with torch.no_grad():
        for k, (p, transposed) in named.items():
            v = torch.as_tensor(values[k], dtype=torch.float32)
            p.copy_(v.T if transposed else v)
