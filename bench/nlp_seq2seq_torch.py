"""PyTorch reference for `pnpm bench nlp --only seq2seq`: d2l's translation models — the GRU
encoder-decoder (§10.7), the Bahdanau attention decoder (§11.4) and the Transformer (§11.7,
from bench/nlp_seq2seq_torch_transformer.py) — trained on the ids dlpipe wrote (same pairs,
vocabularies, numSteps, batch, Adam lr, clipping 1, d2l's masked CE summed over the batch), then
greedy and beam-search (GNMT length penalty) decoding of the test sources. Prints one line
`RESULT {json}` with seconds per epoch, the last epoch's mean batch loss and the output ids.

    /usr/bin/python3 bench/nlp_seq2seq_torch.py data.json --arch bahdanau --epochs 10
"""
import argparse
import json
import math
import os
import sys
import time

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nlp_seq2seq_torch_transformer import make_transformer  # noqa: E402


def init_seq2seq(module):
    """d2l's init_seq2seq as it acts in the book: Xavier-uniform GRU weights. Its Linear branch never
    fires there (the dense layers and the attention's W_q, W_k, w_v are LazyLinear, still unmaterialized
    when it runs), so they keep PyTorch's default U(±1/√in), as in dlpipe's models."""
    if type(module) == nn.GRU:
        for name in module._flat_weights_names:
            if 'weight' in name:
                nn.init.xavier_uniform_(module._parameters[name])


class Encoder(nn.Module):
    def __init__(self, vocab, embed, hiddens, layers, dropout):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed)
        self.rnn = nn.GRU(embed, hiddens, layers, dropout=dropout)

    def forward(self, X):  # X [B, T]
        outputs, state = self.rnn(self.embedding(X.t()))
        return outputs, state  # [T, B, H], [L, B, H]


class GruDecoder(nn.Module):
    """d2l §10.7: each step sees the encoder's last-layer final state as context."""

    def __init__(self, vocab, embed, hiddens, layers, dropout):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed)
        self.rnn = nn.GRU(embed + hiddens, hiddens, layers, dropout=dropout)
        self.dense = nn.Linear(hiddens, vocab)

    def init_state(self, enc, src_len):
        outputs, hidden = enc
        return hidden, hidden[-1]

    def forward(self, X, state):
        hidden, context = state
        emb = self.embedding(X.t())
        ctx = context.unsqueeze(0).repeat(emb.shape[0], 1, 1)
        out, hidden = self.rnn(torch.cat((emb, ctx), -1), hidden)
        return self.dense(out).swapaxes(0, 1), (hidden, context)

    @staticmethod
    def reorder(state, idx):
        hidden, context = state
        return hidden[:, idx], context[idx]


def masked_softmax(X, valid_lens):
    shape = X.shape
    lens = torch.repeat_interleave(valid_lens, shape[1]) if valid_lens.dim() == 1 else valid_lens.reshape(-1)
    mask = torch.arange(shape[-1], dtype=torch.float32)[None, :] < lens[:, None]
    X = X.reshape(-1, shape[-1]).masked_fill(~mask, -1e6)
    return F.softmax(X.reshape(shape), dim=-1)


class AdditiveAttention(nn.Module):
    def __init__(self, hiddens, dropout):
        super().__init__()
        self.W_k = nn.Linear(hiddens, hiddens, bias=False)
        self.W_q = nn.Linear(hiddens, hiddens, bias=False)
        self.w_v = nn.Linear(hiddens, 1, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, q, k, v, valid_lens):
        features = torch.tanh(self.W_q(q).unsqueeze(2) + self.W_k(k).unsqueeze(1))
        weights = masked_softmax(self.w_v(features).squeeze(-1), valid_lens)
        return torch.bmm(self.dropout(weights), v)


class BahdanauDecoder(nn.Module):
    """d2l §11.4: additive attention of the top hidden state over the encoder outputs."""

    def __init__(self, vocab, embed, hiddens, layers, dropout):
        super().__init__()
        self.attention = AdditiveAttention(hiddens, dropout)
        self.embedding = nn.Embedding(vocab, embed)
        self.rnn = nn.GRU(embed + hiddens, hiddens, layers, dropout=dropout)
        self.dense = nn.Linear(hiddens, vocab)

    def init_state(self, enc, src_len):
        outputs, hidden = enc
        return outputs.permute(1, 0, 2), hidden, src_len

    def forward(self, X, state):
        enc_outputs, hidden, src_len = state
        outs = []
        for x in self.embedding(X).permute(1, 0, 2):
            query = hidden[-1].unsqueeze(1)
            context = self.attention(query, enc_outputs, enc_outputs, src_len)
            out, hidden = self.rnn(torch.cat((context, x.unsqueeze(1)), -1).permute(1, 0, 2), hidden)
            outs.append(out)
        return self.dense(torch.cat(outs, 0)).swapaxes(0, 1), (enc_outputs, hidden, src_len)

    @staticmethod
    def reorder(state, idx):
        enc_outputs, hidden, src_len = state
        return enc_outputs[idx], hidden[:, idx], src_len[idx]


class RnnSeq2Seq(nn.Module):
    def __init__(self, arch, vs, vt, embed, hiddens, layers, dropout):
        super().__init__()
        self.encoder = Encoder(vs, embed, hiddens, layers, dropout)
        dec = BahdanauDecoder if arch == 'bahdanau' else GruDecoder
        self.decoder = dec(vt, embed, hiddens, layers, dropout)
        self.apply(init_seq2seq)

    def forward(self, src, src_len, dec_in):
        return self.decoder(dec_in, self.decoder.init_state(self.encoder(src), src_len))[0]

    def start(self, src, src_len):
        return self.decoder.init_state(self.encoder(src), src_len)

    def step(self, prefix, state):
        """Logits of the next token after `prefix` [N, t] (only its last token is fed)."""
        logits, state = self.decoder(prefix[:, -1:], state)
        return logits[:, -1], state

    def reorder(self, state, idx):
        return self.decoder.reorder(state, idx)


class TransformerSeq2Seq(nn.Module):
    """d2l §11.7's Transformer (bench/nlp_seq2seq_torch_transformer.py, the twin of dlpipe's
    TransformerSeq2Seq: positions continue after cached steps, self-attention always causal);
    decoding feeds one token per step with the blocks' cached inputs, as dlpipe does."""

    def __init__(self, vs, vt, hiddens, ffn, heads, layers, dropout):
        super().__init__()
        self.net = make_transformer(vs, vt, num_hiddens=hiddens, ffn_num_hiddens=ffn, num_heads=heads,
                                    num_blks=layers, dropout=dropout)

    def forward(self, src, src_len, dec_in):
        return self.net(src, dec_in, src_len)

    def start(self, src, src_len):
        return self.net.decoder.init_state(self.net.encoder(src, src_len), src_len)

    def step(self, prefix, state):
        logits, state = self.net.decoder(prefix[:, -1:], state)
        return logits[:, -1], state

    def reorder(self, state, idx):
        enc, src_len, cached = state
        return [enc[idx], src_len[idx], [None if c is None else c[idx] for c in cached]]


def masked_ce(logits, labels, valid_len):
    """d2l's MaskedSoftmaxCELoss: per-sequence mean over all steps of the masked token losses."""
    mask = (torch.arange(labels.shape[1])[None, :] < valid_len[:, None]).float()
    l = F.cross_entropy(logits.permute(0, 2, 1), labels, reduction='none')
    return (l * mask).mean(dim=1)


@torch.no_grad()
def greedy(net, src, src_len, bos, eos, max_len):
    B = src.shape[0]
    state = net.start(src, src_len)
    prefix = torch.full((B, 1), bos, dtype=torch.long)
    out = [[] for _ in range(B)]
    done = [False] * B
    for _ in range(max_len):
        logits, state = net.step(prefix, state)
        nxt = logits.argmax(-1)
        for b, t in enumerate(nxt.tolist()):
            if done[b]:
                continue
            if t == eos:
                done[b] = True
            else:
                out[b].append(t)
        if all(done):
            break
        prefix = torch.cat([prefix, nxt[:, None]], 1)
    return out


def lp(length, alpha):
    return ((5 + length) / 6) ** alpha


@torch.no_grad()
def beam_search(net, src, src_len, bos, eos, max_len, K, alpha):
    """Batched beam search: a finished hypothesis keeps its score log P / lp(|y| incl. <eos>)."""
    B = src.shape[0]
    rep = torch.arange(B).repeat_interleave(K)
    state = net.reorder(net.start(src, src_len), rep)
    prefix = torch.full((B * K, 1), bos, dtype=torch.long)
    logp = torch.full((B, K), -float('inf'))
    logp[:, 0] = 0.0
    hyps = [[[] for _ in range(K)] for _ in range(B)]
    finished = [[False] * K for _ in range(B)]
    for t in range(max_len):
        logits, state = net.step(prefix, state)
        lps = F.log_softmax(logits, -1).reshape(B, K, -1)
        V = lps.shape[-1]
        cand = logp.unsqueeze(-1) + lps  # [B, K, V]
        fin = torch.tensor(finished)
        # a finished hypothesis proposes only itself (token eos, unchanged log P)
        keep = torch.full_like(cand, -float('inf'))
        keep[:, :, eos] = logp
        cand = torch.where(fin.unsqueeze(-1), keep, cand)
        length = torch.tensor([[len(h) + 1 for h in row] for row in hyps], dtype=torch.float32)
        score = cand / ((5 + length.unsqueeze(-1)) / 6) ** alpha
        # a finished hypothesis' score is over its own length (no growth)
        best = score.reshape(B, -1).topk(K, -1)
        parents = (best.indices // V).tolist()
        tokens = (best.indices % V).tolist()
        new_logp = cand.reshape(B, -1).gather(1, best.indices)
        new_hyps, new_fin = [], []
        for b in range(B):
            rows, flags = [], []
            for k in range(K):
                p, tok = parents[b][k], tokens[b][k]
                if finished[b][p]:
                    rows.append(hyps[b][p]); flags.append(True)
                elif tok == eos:
                    rows.append(hyps[b][p]); flags.append(True)
                else:
                    rows.append(hyps[b][p] + [tok]); flags.append(False)
            new_hyps.append(rows); new_fin.append(flags)
        idx = torch.tensor([b * K + p for b in range(B) for p in parents[b]])
        state = net.reorder(state, idx)
        prefix = torch.cat([prefix[idx], torch.tensor(tokens).reshape(-1, 1)], 1)
        hyps, finished, logp = new_hyps, new_fin, new_logp
        if all(all(f) for f in finished):
            break
    out = []
    for b in range(B):
        scores = [logp[b, k].item() / lp(len(hyps[b][k]) + (1 if finished[b][k] else 0), alpha) for k in range(K)]
        out.append(hyps[b][max(range(K), key=lambda k: scores[k])])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('data')
    ap.add_argument('--arch', choices=['gru', 'bahdanau', 'transformer'], required=True)
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    d = json.load(open(a.data, encoding='utf-8'))
    s = d['settings']
    T = s['numSteps']
    tr = d['train']
    src = torch.tensor(tr['src'], dtype=torch.long).reshape(-1, T)
    tgt = torch.tensor(tr['tgt'], dtype=torch.long).reshape(-1, T)
    src_len, tgt_len = torch.tensor(tr['srcLen']), torch.tensor(tr['tgtLen'])
    bos, eos = d['bos'], d['eos']
    if a.arch == 'transformer':
        net = TransformerSeq2Seq(d['srcVocab'], d['tgtVocab'], s['numHiddens'], s['ffnNumHiddens'], s['numHeads'],
                                 s['numLayers'], s['dropout'])
    else:
        net = RnnSeq2Seq(a.arch, d['srcVocab'], d['tgtVocab'], s['embedSize'], s['numHiddens'], s['numLayers'],
                         s['dropout'])
    opt = torch.optim.Adam(net.parameters(), lr=s['lr'])
    bs = s['batchSize']
    n = src.shape[0]
    gen = torch.Generator().manual_seed(0)
    times, loss = [], 0.0
    for epoch in range(a.epochs):
        net.train()
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=gen)
        total, batches = 0.0, 0
        for i in range(0, n, bs):
            idx = order[i:i + bs]
            X, Y, xl, yl = src[idx], tgt[idx], src_len[idx], tgt_len[idx]
            dec_in = torch.cat([torch.full((Y.shape[0], 1), bos), Y[:, :-1]], 1)
            l = masked_ce(net(X, xl, dec_in), Y, yl).sum()
            opt.zero_grad()
            l.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            total += l.item()
            batches += 1
        times.append(time.perf_counter() - t0)
        loss = total / batches
        print(f'{a.arch} epoch {epoch + 1}: loss {loss:.3f} ({times[-1]:.1f} s)', file=sys.stderr)
    net.eval()
    te = d['test']
    tsrc = torch.tensor(te['src'], dtype=torch.long).reshape(-1, T)
    tlen = torch.tensor(te['srcLen'])
    max_len = s['maxLen']
    t0 = time.perf_counter()
    g = greedy(net, tsrc, tlen, bos, eos, max_len)
    tg = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = beam_search(net, tsrc, tlen, bos, eos, max_len, s['beam'], s['alpha'])
    tb = time.perf_counter() - t0
    print('RESULT ' + json.dumps({
        'torch': torch.__version__, 'threads': torch.get_num_threads(), 'arch': a.arch,
        'secondsPerEpoch': sum(times) / len(times), 'loss': loss, 'greedy': g, 'beam': b,
        'greedySeconds': tg, 'beamSeconds': tb,
    }))


if __name__ == '__main__':
    main()
