// Dropout's mask and product in one pass: y = x·m with m = 1/(1−rate) where u ≥ rate, else 0, for
// u uniform in [0, 1) from a counter-based generator (Wellons' lowbias32 hash of the seed's hash
// plus the index times the golden ratio), so the mask depends only on the seed and the position,
// not on how the loop is split across threads — and the cpu backend's JavaScript twin
// (kernels/dropout.ts) computes the same mask with Math.imul. tfjs's dropout draws every u in
// JavaScript and runs five kernels.
//
//   addon.dropout(x, rate, seed, y, mask);   // mask holds 0 or 1/(1−rate), for the backward
#include <cstdint>

#include "common.h"

namespace dlpipe {
namespace {

inline uint32_t LowBias32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

// dropout(x, rate, seed, y, mask)
Napi::Value Dropout(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeDropout", [&]() -> Napi::Value {
    auto xa = info[0].As<Napi::Float32Array>();
    const float* x = xa.Data();
    const int64_t n = static_cast<int64_t>(xa.ElementLength());
    const double rate = Num(info[1]);
    const uint32_t seed = LowBias32(static_cast<uint32_t>(static_cast<uint64_t>(Num(info[2]))));
    float* y = F32(info[3]);
    float* mask = F32(info[4]);
    if (!(rate >= 0 && rate < 1)) throw std::invalid_argument("rate must be in [0, 1)");
    const float scale = static_cast<float>(1.0 / (1.0 - rate));
    // u ≥ rate ⇔ the top 24 bits ≥ rate·2^24
    const uint32_t threshold = static_cast<uint32_t>(rate * 16777216.0);
#pragma omp parallel for if (n > 262144) schedule(static)
    for (int64_t i = 0; i < n; i++) {
      const uint32_t u = LowBias32(seed + static_cast<uint32_t>(i) * 0x9E3779B9U) >> 8;
      const float m = u >= threshold ? scale : 0.f;
      mask[i] = m;
      y[i] = x[i] * m;
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitDropout(Napi::Env env, Napi::Object exports) { ExportKernels(env, exports, {{"dropout", Dropout}}); }

}  // namespace dlpipe
