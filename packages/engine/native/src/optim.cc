// Fused optimizer updates: one pass over a variable instead of a dozen tfjs kernels per step.
#include <cmath>

#include "common.h"

namespace dlpipe {
namespace {

// adamUpdate(w, g, m, v, outW, outM, outV, [lr, beta1, beta2, eps, c1, c2, weightDecay])
// m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²;  w' = w·(1 − lr·λ) − lr·(m'/c1)/(√(v'/c2) + ε)
// with c1 = 1 − β1^t, c2 = 1 − β2^t (bias corrections) and λ the decoupled weight decay.
Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeAdamUpdate", [&]() -> Napi::Value {
    const float* w = F32(info[0]);
    const float* g = F32(info[1]);
    const float* m = F32(info[2]);
    const float* v = F32(info[3]);
    float* w2 = F32(info[4]);
    float* m2 = F32(info[5]);
    float* v2 = F32(info[6]);
    const int64_t n = info[0].As<Napi::Float32Array>().ElementLength();
    auto a = info[7].As<Napi::Array>();
    const float lr = a.Get(0u).As<Napi::Number>().FloatValue();
    const float b1 = a.Get(1u).As<Napi::Number>().FloatValue();
    const float b2 = a.Get(2u).As<Napi::Number>().FloatValue();
    const float eps = a.Get(3u).As<Napi::Number>().FloatValue();
    const float c1 = a.Get(4u).As<Napi::Number>().FloatValue();
    const float c2 = a.Get(5u).As<Napi::Number>().FloatValue();
    const float wd = a.Get(6u).As<Napi::Number>().FloatValue();
    const float decay = 1.f - lr * wd;
#pragma omp parallel for if (n > 65536) schedule(static)
    for (int64_t i = 0; i < n; i++) {
      const float gi = g[i];
      const float mi = b1 * m[i] + (1.f - b1) * gi;
      const float vi = b2 * v[i] + (1.f - b2) * gi * gi;
      m2[i] = mi;
      v2[i] = vi;
      w2[i] = w[i] * decay - lr * (mi / c1) / (std::sqrt(vi / c2) + eps);
    }
    return info.Env().Undefined();
  });
}

// sgdUpdate(w, g, buf|null, outW, outBuf|null, [lr, momentum, weightDecay, nesterov, first])
// buf' = g on the first step, else μ·buf + g (PyTorch); d = nesterov ? g + μ·buf' : buf' (g
// without momentum); w' = w·(1 − lr·λ) − lr·d.
Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeSgdUpdate", [&]() -> Napi::Value {
    const float* w = F32(info[0]);
    const float* g = F32(info[1]);
    const bool hasBuf = info[2].IsTypedArray();
    const float* buf = hasBuf ? F32(info[2]) : nullptr;
    float* w2 = F32(info[3]);
    float* buf2 = hasBuf ? F32(info[4]) : nullptr;
    const int64_t n = info[0].As<Napi::Float32Array>().ElementLength();
    auto a = info[5].As<Napi::Array>();
    const float lr = a.Get(0u).As<Napi::Number>().FloatValue();
    const float mu = a.Get(1u).As<Napi::Number>().FloatValue();
    const float wd = a.Get(2u).As<Napi::Number>().FloatValue();
    const bool nesterov = a.Get(3u).As<Napi::Number>().Int32Value() != 0;
    const bool first = a.Get(4u).As<Napi::Number>().Int32Value() != 0;
    const float decay = 1.f - lr * wd;
#pragma omp parallel for if (n > 65536) schedule(static)
    for (int64_t i = 0; i < n; i++) {
      float d = g[i];
      if (hasBuf) {
        const float b = first ? g[i] : mu * buf[i] + g[i];
        buf2[i] = b;
        d = nesterov ? g[i] + mu * b : b;
      }
      w2[i] = w[i] * decay - lr * d;
    }
    return info.Env().Undefined();
  });
}

// sumSquares([a0, a1, …]) → Σ over every array of Σ aᵢ² (double accumulation): the squared global
// norm of a set of gradients in one call (gradient clipping).
Napi::Value SumSquares(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeSumSquares", [&]() -> Napi::Value {
    auto arrays = info[0].As<Napi::Array>();
    double total = 0;
    for (uint32_t k = 0; k < arrays.Length(); k++) {
      auto t = arrays.Get(k).As<Napi::Float32Array>();
      const float* a = t.Data();
      const int64_t n = static_cast<int64_t>(t.ElementLength());
      double s = 0;
#pragma omp parallel for if (n > 262144) reduction(+ : s) schedule(static)
      for (int64_t i = 0; i < n; i++) s += static_cast<double>(a[i]) * a[i];
      total += s;
    }
    return Napi::Number::New(info.Env(), total);
  });
}

// scaleMany([a0, …], [out0, …], scale): outᵢ = aᵢ · scale for every array (clipped gradients).
Napi::Value ScaleMany(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeScaleMany", [&]() -> Napi::Value {
    auto ins = info[0].As<Napi::Array>();
    auto outs = info[1].As<Napi::Array>();
    const float scale = info[2].As<Napi::Number>().FloatValue();
    if (ins.Length() != outs.Length()) throw std::invalid_argument("as many outputs as inputs expected");
    for (uint32_t k = 0; k < ins.Length(); k++) {
      auto in = ins.Get(k).As<Napi::Float32Array>();
      auto out = outs.Get(k).As<Napi::Float32Array>();
      const int64_t n = static_cast<int64_t>(in.ElementLength());
      if (static_cast<int64_t>(out.ElementLength()) != n) throw std::invalid_argument("output length differs");
      const float* a = in.Data();
      float* o = out.Data();
#pragma omp parallel for if (n > 262144) schedule(static)
      for (int64_t i = 0; i < n; i++) o[i] = a[i] * scale;
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitOptim(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"sgdUpdate", SgdUpdate},
                               {"adamUpdate", AdamUpdate},
                               {"sumSquares", SumSquares},
                               {"scaleMany", ScaleMany}});
}

}  // namespace dlpipe
