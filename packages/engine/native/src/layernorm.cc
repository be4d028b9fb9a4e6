// Layer normalization over the last axis (PyTorch's native_layer_norm) as one kernel forward and
// one backward: each row of C features is standardized with its own mean and biased variance,
// then scaled and shifted per feature. The forward keeps each row's mean and 1/σ for the backward.
//
//   addon.layerNorm(x [R·C], gamma [C], beta [C], C, eps, y [R·C], mean [R], rstd [R]);
//   addon.layerNormGrad(dy, x, mean, rstd, gamma, C, dx, dgamma, dbeta);
//
//   backward: x̂ = (x − μ)·r;  dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dy·γ;
//             dγ = Σ_rows dy·x̂;  dβ = Σ_rows dy
#include <cmath>
#include <vector>

#include "common.h"

namespace dlpipe {
namespace {

int64_t RowsChecked(const Napi::CallbackInfo& info, int xArg, int64_t C) {
  const auto n = static_cast<int64_t>(info[xArg].As<Napi::Float32Array>().ElementLength());
  if (C <= 0 || n % C != 0) {
    throw std::invalid_argument("x has " + std::to_string(n) + " values, not a multiple of C = " + std::to_string(C));
  }
  return n / C;
}

// layerNorm(x, gamma, beta, C, eps, y, mean, rstd)
Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeLayerNorm", [&]() -> Napi::Value {
    const int64_t C = Int(info[3]);
    const int64_t R = RowsChecked(info, 0, C);
    const float eps = static_cast<float>(Num(info[4]));
    const float* x = F32(info[0]);
    const float* g = F32(info[1]);
    const float* b = F32(info[2]);
    float* y = F32(info[5]);
    float* mean = F32(info[6]);
    float* rstd = F32(info[7]);
#pragma omp parallel for if (R * C > 262144) schedule(static)
    for (int64_t r = 0; r < R; r++) {
      const float* xr = x + r * C;
      float s = 0;
      for (int64_t c = 0; c < C; c++) s += xr[c];
      const float m = s / static_cast<float>(C);
      float v = 0;
      for (int64_t c = 0; c < C; c++) v += (xr[c] - m) * (xr[c] - m);
      const float rs = 1.f / std::sqrt(v / static_cast<float>(C) + eps);
      mean[r] = m;
      rstd[r] = rs;
      float* yr = y + r * C;
      for (int64_t c = 0; c < C; c++) yr[c] = (xr[c] - m) * rs * g[c] + b[c];
    }
    return info.Env().Undefined();
  });
}

// layerNormGrad(dy, x, mean, rstd, gamma, C, dx, dgamma, dbeta)
Napi::Value LayerNormGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeLayerNormGrad", [&]() -> Napi::Value {
    const int64_t C = Int(info[5]);
    const int64_t R = RowsChecked(info, 1, C);
    const float* dy = F32(info[0]);
    const float* x = F32(info[1]);
    const float* mean = F32(info[2]);
    const float* rstd = F32(info[3]);
    const float* g = F32(info[4]);
    float* dx = F32(info[6]);
    float* dg = F32(info[7]);
    float* db = F32(info[8]);
    std::vector<double> sg(static_cast<size_t>(C), 0.0), sb(static_cast<size_t>(C), 0.0);
    for (int64_t r = 0; r < R; r++) {
      const float* xr = x + r * C;
      const float* dyr = dy + r * C;
      const float m = mean[r], rs = rstd[r];
      float a = 0, bsum = 0;  // Σ dx̂, Σ dx̂·x̂
      for (int64_t c = 0; c < C; c++) {
        const float xh = (xr[c] - m) * rs;
        const float d = dyr[c] * g[c];
        a += d;
        bsum += d * xh;
        sg[c] += static_cast<double>(dyr[c]) * xh;
        sb[c] += dyr[c];
      }
      const float inv = 1.f / static_cast<float>(C);
      float* dxr = dx + r * C;
      for (int64_t c = 0; c < C; c++) {
        const float xh = (xr[c] - m) * rs;
        dxr[c] = rs * (dyr[c] * g[c] - a * inv - xh * bsum * inv);
      }
    }
    for (int64_t c = 0; c < C; c++) {
      dg[c] = static_cast<float>(sg[c]);
      db[c] = static_cast<float>(sb[c]);
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitLayerNorm(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"layerNorm", LayerNorm}, {"layerNormGrad", LayerNormGrad}});
}

}  // namespace dlpipe
