// A whole GRU layer over a sequence in one call, forward and backward through time (d2l §10.2's
// cell: the reset gate scales H before the recurrent matmul), the way cuDNN and PyTorch run
// recurrent layers instead of a dozen small kernels per time step. Time-major rows; gates in the
// order z, r, h (tfjs-layers' and the scratch encoder's). The input projections X·W_x + b of every
// step come precomputed (one big matmul outside), so only the recurrence is here.
//
//   addon.gruSequence(xp [T·B, 3H], h0 [B, H], wh [H, 3H], T, B, H, hs [T·B, H], gates [T·B, 3H]);
//   addon.gruSequenceGrad(dhs, gates, hs, h0, wh, T, B, H, dxp [T·B, 3H], dh0 [B, H], dwh [H, 3H]);
//
// gates holds z, r and the candidate H̃ after their activations (what the backward needs).
#include <cmath>
#include <cstring>
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


// gruSequence(xp, h0, wh, T, B, H, hs, gates)
Napi::Value GruSequence(const Napi::CallbackInfo& info) {
  return Guard(info, "gruSequence", [&]() -> Napi::Value {
    const int64_t T = Int(info[3]), B = Int(info[4]), H = Int(info[5]);
    CheckLengths(info, {{0, T * B * 3 * H}, {1, B * H}, {2, H * 3 * H}, {6, T * B * H}, {7, T * B * 3 * H}});
    const float* xp = F32(info[0]);
    const float* h0 = F32(info[1]);
    const float* wh = F32(info[2]);
    float* hs = F32(info[6]);
    float* gates = F32(info[7]);
    std::vector<float> s(static_cast<size_t>(B * H));
    std::memcpy(gates, xp, sizeof(float) * static_cast<size_t>(T * B * 3 * H));
    for (int64_t t = 0; t < T; t++) {
      const float* hprev = t == 0 ? h0 : hs + (t - 1) * B * H;
      float* g = gates + t * B * 3 * H;
      float* h = hs + t * B * H;
      // z and r: + H·[W_hz W_hr]
      GemmSplitN('N', 'N', B, 2 * H, H, hprev, H, wh, 3 * H, 1.f, g, 3 * H);
      for (int64_t b = 0; b < B; b++) {
        float* row = g + b * 3 * H;
        for (int64_t j = 0; j < 2 * H; j++) row[j] = Sigmoid(row[j]);
        for (int64_t j = 0; j < H; j++) s[b * H + j] = row[H + j] * hprev[b * H + j];
      }
      // candidate: + (R⊙H)·W_hh
      GemmSplitN('N', 'N', B, H, H, s.data(), H, wh + 2 * H, 3 * H, 1.f, g + 2 * H, 3 * H);
      for (int64_t b = 0; b < B; b++) {
        float* row = g + b * 3 * H;
        for (int64_t j = 0; j < H; j++) {
          const float n = Tanh(row[2 * H + j]);
          row[2 * H + j] = n;
          const float z = row[j];
          h[b * H + j] = z * hprev[b * H + j] + (1.f - z) * n;
        }
      }
    }
    return info.Env().Undefined();
  });
}

// gruSequenceGrad(dhs, gates, hs, h0, wh, T, B, H, dxp, dh0, dwh)
Napi::Value GruSequenceGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "gruSequenceGrad", [&]() -> Napi::Value {
    const int64_t T = Int(info[5]), B = Int(info[6]), H = Int(info[7]);
    CheckLengths(info, {{0, T * B * H},
                        {1, T * B * 3 * H},
                        {2, T * B * H},
                        {3, B * H},
                        {4, H * 3 * H},
                        {8, T * B * 3 * H},
                        {9, B * H},
                        {10, H * 3 * H}});
    const float* dhs = F32(info[0]);
    const float* gates = F32(info[1]);
    const float* hs = F32(info[2]);
    const float* h0 = F32(info[3]);
    const float* wh = F32(info[4]);
    float* dxp = F32(info[8]);
    float* dh = F32(info[9]);  // the carried dL/dH, dL/dH0 at the end
    float* dwh = F32(info[10]);
    const size_t bh = static_cast<size_t>(B * H);
    // scratch kept per thread between calls: a fresh vector of a few MB faults its pages in each time
    static thread_local std::vector<float> ds, S, whT;
    ds.resize(bh);
    S.resize(static_cast<size_t>(T) * bh);
    whT.resize(static_cast<size_t>(3 * H * H));
    std::memset(dh, 0, sizeof(float) * bh);
    // W_hᵀ [3H, H], so that the per-step products below read their right operand row-major.
    for (int64_t i = 0; i < H; i++)
      for (int64_t j = 0; j < 3 * H; j++) whT[j * H + i] = wh[i * 3 * H + j];
    for (int64_t t = T - 1; t >= 0; t--) {
      const float* hprev = t == 0 ? h0 : hs + (t - 1) * B * H;
      const float* g = gates + t * B * 3 * H;
      float* dg = dxp + t * B * 3 * H;
      const float* dht = dhs + t * B * H;
      float* st = S.data() + t * bh;
      for (int64_t b = 0; b < B; b++) {
        for (int64_t j = 0; j < H; j++) {
          const int64_t k = b * H + j;
          const float z = g[b * 3 * H + j], r = g[b * 3 * H + H + j], n = g[b * 3 * H + 2 * H + j];
          const float d = dht[k] + dh[k];
          dg[b * 3 * H + j] = d * (hprev[k] - n) * z * (1.f - z);
          dg[b * 3 * H + 2 * H + j] = d * (1.f - z) * (1.f - n * n);
          dh[k] = d * z;  // the direct path; the gates' paths are added below
          st[k] = r * hprev[k];
        }
      }
      // ds = dH̃pre · W_hhᵀ
      GemmSplitN('N', 'N', B, H, H, dg + 2 * H, 3 * H, whT.data() + 2 * H * H, H, 0.f, ds.data(), H);
      for (int64_t b = 0; b < B; b++) {
        for (int64_t j = 0; j < H; j++) {
          const int64_t k = b * H + j;
          const float r = g[b * 3 * H + H + j];
          dg[b * 3 * H + H + j] = ds[k] * hprev[k] * r * (1.f - r);
          dh[k] += ds[k] * r;
        }
      }
      // dH += [dZpre dRpre] · [W_hz W_hr]ᵀ
      GemmSplitN('N', 'N', B, H, 2 * H, dg, 3 * H, whT.data(), H, 1.f, dh, H);
    }
    {
      // Weight gradients over every step at once: dW_h[z,r] = Hprevᵀ·dG[z,r] (step 0's rows pair
      // with h0, the others with hs shifted by one step), dW_hh = Sᵀ·dG[h].
      SerialBelow serialW(T * B * 3 * H * H, kSerialWork);
      Gemm('T', 'N', H, 2 * H, B, h0, H, dxp, 3 * H, 0.f, dwh, 3 * H);
      if (T > 1) Gemm('T', 'N', H, 2 * H, (T - 1) * B, hs, H, dxp + B * 3 * H, 3 * H, 1.f, dwh, 3 * H);
      Gemm('T', 'N', H, H, T * B, S.data(), H, dxp + 2 * H, 3 * H, 0.f, dwh + 2 * H, 3 * H);
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitGruSequence(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"gruSequence", GruSequence}, {"gruSequenceGrad", GruSequenceGrad}});
}

}  // namespace dlpipe
