// A whole LSTM layer over a sequence in one call, forward and backward through time (d2l §10.1's
// cell, tfjs-layers' LSTMCell), as gru-sequence.cc does for the GRU. Time-major rows; gates in the
// order i, f, c̃, o. The input projections X·W_x + b come precomputed.
//
//   I, F, O = σ(xp + H W_h),  C̃ = tanh(xp_c + H W_hc),  C' = F⊙C + I⊙C̃,  H' = O⊙tanh(C')
//
//   addon.lstmSequence(xp [T·B, 4H], h0, c0 [B, H], wh [H, 4H], T, B, H, hs, cs [T·B, H], gates [T·B, 4H]);
//   addon.lstmSequenceGrad(dhs, dcs, gates, hs, cs, h0, c0, wh, T, B, H, dxp, dh0, dc0, dwh);
//
// gates holds I, F, C̃, O after their activations. dcs is the gradient arriving at every step's
// cell state (the final one is what callers read); the backward adds it to the carried dC.
#include <vector>

#include "common.h"
#include "recurrent.h"
#include "typed.h"

namespace dlpipe {
namespace {

using recurrent::CheckLengths;
using recurrent::Gemm;
using recurrent::GemmSplitN;
using recurrent::kSerialWork;
using recurrent::Sigmoid;
using recurrent::Tanh;

// lstmSequence(xp, h0, c0, wh, T, B, H, hs, cs, gates)
Napi::Value LstmSequence(const Napi::CallbackInfo& info) {
  return Guard(info, "lstmSequence", [&]() -> Napi::Value {
    const int64_t T = Int(info[4]), B = Int(info[5]), H = Int(info[6]);
    CheckLengths(info, {{0, T * B * 4 * H},
                        {1, B * H},
                        {2, B * H},
                        {3, H * 4 * H},
                        {7, T * B * H},
                        {8, T * B * H},
                        {9, T * B * 4 * H}});
    const float* xp = F32(info[0]);
    const float* h0 = F32(info[1]);
    const float* c0 = F32(info[2]);
    const float* wh = F32(info[3]);
    float* hs = F32(info[7]);
    float* cs = F32(info[8]);
    float* gates = F32(info[9]);
    std::memcpy(gates, xp, sizeof(float) * static_cast<size_t>(T * B * 4 * H));
    for (int64_t t = 0; t < T; t++) {
      const float* hprev = t == 0 ? h0 : hs + (t - 1) * B * H;
      const float* cprev = t == 0 ? c0 : cs + (t - 1) * B * H;
      float* g = gates + t * B * 4 * H;
      GemmSplitN('N', 'N', B, 4 * H, H, hprev, H, wh, 4 * H, 1.f, g, 4 * H);
      for (int64_t b = 0; b < B; b++) {
        float* row = g + b * 4 * H;
        for (int64_t j = 0; j < 2 * H; j++) row[j] = Sigmoid(row[j]);
        for (int64_t j = 2 * H; j < 3 * H; j++) row[j] = Tanh(row[j]);
        for (int64_t j = 3 * H; j < 4 * H; j++) row[j] = Sigmoid(row[j]);
        float* c = cs + t * B * H + b * H;
        float* h = hs + t * B * H + b * H;
        for (int64_t j = 0; j < H; j++) {
          c[j] = row[H + j] * cprev[b * H + j] + row[j] * row[2 * H + j];
          h[j] = row[3 * H + j] * Tanh(c[j]);
        }
      }
    }
    return info.Env().Undefined();
  });
}

// lstmSequenceGrad(dhs, dcs, gates, hs, cs, h0, c0, wh, T, B, H, dxp, dh0, dc0, dwh)
Napi::Value LstmSequenceGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "lstmSequenceGrad", [&]() -> Napi::Value {
    const int64_t T = Int(info[8]), B = Int(info[9]), H = Int(info[10]);
    CheckLengths(info, {{0, T * B * H},
                        {1, T * B * H},
                        {2, T * B * 4 * H},
                        {3, T * B * H},
                        {4, T * B * H},
                        {5, B * H},
                        {6, B * H},
                        {7, H * 4 * H},
                        {11, T * B * 4 * H},
                        {12, B * H},
                        {13, B * H},
                        {14, H * 4 * H}});
    const float* dhs = F32(info[0]);
    const float* dcs = F32(info[1]);
    const float* gates = F32(info[2]);
    const float* hs = F32(info[3]);
    const float* cs = F32(info[4]);
    const float* h0 = F32(info[5]);
    const float* c0 = F32(info[6]);
    const float* wh = F32(info[7]);
    float* dxp = F32(info[11]);
    float* dh = F32(info[12]);  // carried dL/dH, dL/dH0 at the end
    float* dc = F32(info[13]);  // carried dL/dC, dL/dC0 at the end
    float* dwh = F32(info[14]);
    const size_t bh = static_cast<size_t>(B * H);
    std::memset(dh, 0, sizeof(float) * bh);
    std::memset(dc, 0, sizeof(float) * bh);
    for (int64_t t = T - 1; t >= 0; t--) {
      const float* cprev = t == 0 ? c0 : cs + (t - 1) * B * H;
      const float* g = gates + t * B * 4 * H;
      float* dg = dxp + t * B * 4 * H;
      for (int64_t b = 0; b < B; b++) {
        for (int64_t j = 0; j < H; j++) {
          const int64_t k = b * H + j;
          const float* row = g + b * 4 * H;
          const float i = row[j], f = row[H + j], gc = row[2 * H + j], o = row[3 * H + j];
          const float tc = Tanh(cs[t * bh + k]);
          const float dht = dhs[t * bh + k] + dh[k];
          const float dct = dc[k] + dcs[t * bh + k] + dht * o * (1.f - tc * tc);
          float* drow = dg + b * 4 * H;
          drow[j] = dct * gc * i * (1.f - i);
          drow[H + j] = dct * cprev[k] * f * (1.f - f);
          drow[2 * H + j] = dct * i * (1.f - gc * gc);
          drow[3 * H + j] = dht * tc * o * (1.f - o);
          dc[k] = dct * f;
        }
      }
      // dH = dG · W_hᵀ
      GemmSplitN('N', 'T', B, H, 4 * H, dg, 4 * H, wh, 4 * H, 0.f, dh, H);
    }
    // dW_h = Hprevᵀ · dG over every step: rows of step 0 pair with h0, the others with hs shifted.
    SerialBelow serialW(T * B * 4 * H * H, kSerialWork);
    Gemm('T', 'N', H, 4 * H, B, h0, H, dxp, 4 * H, 0.f, dwh, 4 * H);
    if (T > 1) Gemm('T', 'N', H, 4 * H, (T - 1) * B, hs, H, dxp + B * 4 * H, 4 * H, 1.f, dwh, 4 * H);
    return info.Env().Undefined();
  });
}

}  // namespace

void InitLstmSequence(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"lstmSequence", LstmSequence}, {"lstmSequenceGrad", LstmSequenceGrad}});
}

}  // namespace dlpipe
