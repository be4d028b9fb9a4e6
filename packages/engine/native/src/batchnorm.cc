// Batch normalization over the last (channel) axis for the `native` backend, with statistics
// given (tfjs's FusedBatchNorm: mean and variance are inputs), and its fused gradient: one pass
// over x and dy yields dx and the per-channel sums behind dmean, dvariance, dscale and doffset.
//
//   addon.batchNorm(x, mean, variance, scale, offset, out, C, eps);   // scale/offset: C values
#include <omp.h>

#include <cmath>
#include <vector>

#include "channel-sums.h"
#include "common.h"

namespace dlpipe {
namespace {


// 1/sqrt(variance + eps) per channel, in double as tfjs's cpu kernel computes it.
std::vector<double> InvStd(const float* variance, int64_t C, double eps) {
  std::vector<double> r(C);
  for (int64_t c = 0; c < C; c++) r[c] = 1.0 / std::sqrt(static_cast<double>(variance[c]) + eps);
  return r;
}

// batchNorm(x, mean, variance, scale, offset, out, C, eps): out = (x − mean)·scale/√(var+eps) + offset.
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  return Guard(info, "FusedBatchNorm", [&]() -> Napi::Value {
    const float* mean = F32(info[1]);
    const float* scale = F32(info[3]);
    const float* offset = F32(info[4]);
    float* out = F32(info[5]);
    const int64_t C = Int(info[6]);
    const auto r = InvStd(F32(info[2]), C, Num(info[7]));
    std::vector<float> a(C), m(mean, mean + C), o(offset, offset + C);
    for (int64_t c = 0; c < C; c++) a[c] = static_cast<float>(scale[c] * r[c]);
    const float* xv = F32(info[0]);
    const int64_t rows = RowsOf(info[0], C);
#pragma omp parallel for schedule(static) if (rows * C > kRowsParallel)
    for (int64_t i = 0; i < rows; i++) {
      const float* xr = xv + i * C;
      float* yr = out + i * C;
      for (int64_t c = 0; c < C; c++) yr[c] = (xr[c] - m[c]) * a[c] + o[c];
    }
    return info.Env().Undefined();
  });
}

// batchNormGrad(dy, x, mean, variance, scale|null, C, eps, dx, dmean, dvariance, dscale, doffset):
// the partial derivatives of FusedBatchNorm with mean and variance as independent inputs, exactly
// what tfjs's gradient computes in a dozen kernels.
Napi::Value BatchNormGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeBatchNormGrad", [&]() -> Napi::Value {
    const float* dy = F32(info[0]);
    const float* x = F32(info[1]);
    const float* mean = F32(info[2]);
    const bool hasScale = info[4].IsTypedArray();
    const int64_t C = Int(info[5]);
    const auto r = InvStd(F32(info[3]), C, Num(info[6]));
    std::vector<double> s(C, 1.0);
    if (hasScale) {
      const float* sc = F32(info[4]);
      for (int64_t c = 0; c < C; c++) s[c] = sc[c];
    }
    std::vector<float> k(C);
    for (int64_t c = 0; c < C; c++) k[c] = static_cast<float>(s[c] * r[c]);
    float* dx = F32(info[7]);
    const int64_t rows = RowsOf(info[0], C);
    // One pass: the per-channel sums behind dmean/dvariance/dscale/doffset, and dx = dy·scale·r.
    std::vector<double> sumDy, sumDyXm;
    ParallelSums(rows, C, sumDy, sumDyXm, [&](int64_t i, float* a, float* b) {
      const float* g = dy + i * C;
      const float* xr = x + i * C;
      float* d = dx + i * C;
      for (int64_t c = 0; c < C; c++) {
        a[c] += g[c];
        b[c] += g[c] * (xr[c] - mean[c]);
        d[c] = g[c] * k[c];
      }
    });
    float* dmean = F32(info[8]);
    float* dvar = F32(info[9]);
    float* dscale = F32(info[10]);
    float* doffset = F32(info[11]);
    for (int64_t c = 0; c < C; c++) {
      doffset[c] = static_cast<float>(sumDy[c]);
      dscale[c] = static_cast<float>(sumDyXm[c] * r[c]);
      dmean[c] = static_cast<float>(-sumDy[c] * s[c] * r[c]);
      dvar[c] = static_cast<float>(-0.5 * r[c] * r[c] * r[c] * s[c] * sumDyXm[c]);
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitBatchNorm(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"batchNorm", BatchNorm}, {"batchNormGrad", BatchNormGrad}});
}

}  // namespace dlpipe
