// Batch normalization over the last (channel) axis for the `native` backend, with statistics
// given (tfjs's FusedBatchNorm: mean and variance are inputs), and its fused gradient: one pass
// over x and dy yields dx and the per-channel sums behind dmean, dvariance, dscale and doffset.
//
//   addon.batchNorm(x, mean, variance, scale, offset, out, C, eps);   // scale/offset: C values
#include <omp.h>

#include <cmath>
#include <vector>

#include "common.h"

namespace dlpipe {
namespace {

constexpr int64_t kParallel = 32768;  // elements below which one thread does the work
constexpr int64_t kChunk = 256;       // rows summed in float before joining the double totals

// 1/sqrt(variance + eps) per channel, in double as tfjs's cpu kernel computes it.
std::vector<double> InvStd(const float* variance, int64_t C, double eps) {
  std::vector<double> r(C);
  for (int64_t c = 0; c < C; c++) r[c] = 1.0 / std::sqrt(static_cast<double>(variance[c]) + eps);
  return r;
}

// batchNorm(x, mean, variance, scale, offset, out, C, eps): out = (x − mean)·scale/√(var+eps) + offset.
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  return Guard(info, "FusedBatchNorm", [&]() -> Napi::Value {
    const auto x = info[0].As<Napi::Float32Array>();
    const float* mean = F32(info[1]);
    const float* scale = F32(info[3]);
    const float* offset = F32(info[4]);
    float* out = F32(info[5]);
    const int64_t C = Int(info[6]);
    const auto r = InvStd(F32(info[2]), C, Num(info[7]));
    std::vector<float> a(C), m(mean, mean + C), o(offset, offset + C);
    for (int64_t c = 0; c < C; c++) a[c] = static_cast<float>(scale[c] * r[c]);
    const float* xv = x.Data();
    const int64_t rows = static_cast<int64_t>(x.ElementLength()) / C;
#pragma omp parallel for schedule(static) if (rows * C > kParallel)
    for (int64_t i = 0; i < rows; i++) {
      const float* xr = xv + i * C;
      float* yr = out + i * C;
      for (int64_t c = 0; c < C; c++) yr[c] = (xr[c] - m[c]) * a[c] + o[c];
    }
    return info.Env().Undefined();
  });
}

// Σ dy and Σ dy·(x − mean) per channel over rows [r0, r1), added to sumDy / sumDyXm; also writes
// dx = dy·scale/√(var+eps) for those rows.
void GradRows(const float* dy, const float* x, const float* mean, const float* k, float* dx,
              int64_t C, int64_t r0, int64_t r1, double* sumDy, double* sumDyXm) {
  std::vector<float> a(C), b(C);
  for (int64_t s = r0; s < r1; s += kChunk) {
    std::fill(a.begin(), a.end(), 0.f);
    std::fill(b.begin(), b.end(), 0.f);
    const int64_t e = std::min(r1, s + kChunk);
    for (int64_t i = s; i < e; i++) {
      const float* g = dy + i * C;
      const float* xr = x + i * C;
      float* d = dx + i * C;
      for (int64_t c = 0; c < C; c++) {
        a[c] += g[c];
        b[c] += g[c] * (xr[c] - mean[c]);
        d[c] = g[c] * k[c];
      }
    }
    for (int64_t c = 0; c < C; c++) {
      sumDy[c] += a[c];
      sumDyXm[c] += b[c];
    }
  }
}

// batchNormGrad(dy, x, mean, variance, scale|null, C, eps, dx, dmean, dvariance, dscale, doffset):
// the partial derivatives of FusedBatchNorm with mean and variance as independent inputs, exactly
// what tfjs's gradient computes in a dozen kernels.
Napi::Value BatchNormGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeBatchNormGrad", [&]() -> Napi::Value {
    const auto dyArr = info[0].As<Napi::Float32Array>();
    const float* dy = dyArr.Data();
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
    const int64_t rows = static_cast<int64_t>(dyArr.ElementLength()) / C;
    const int threads = rows * C > kParallel ? omp_get_max_threads() : 1;
    std::vector<double> sums(2 * C * threads, 0.0);
#pragma omp parallel num_threads(threads)
    {
      const int t = omp_get_thread_num(), n = omp_get_num_threads();
      const int64_t per = (rows + n - 1) / n;
      const int64_t r0 = std::min(rows, t * per), r1 = std::min(rows, r0 + per);
      GradRows(dy, x, mean, k.data(), dx, C, r0, r1, &sums[2 * C * t], &sums[2 * C * t + C]);
    }
    float* dmean = F32(info[8]);
    float* dvar = F32(info[9]);
    float* dscale = F32(info[10]);
    float* doffset = F32(info[11]);
    for (int64_t c = 0; c < C; c++) {
      double sumDy = 0, sumDyXm = 0;
      for (int t = 0; t < threads; t++) {
        sumDy += sums[2 * C * t + c];
        sumDyXm += sums[2 * C * t + C + c];
      }
      doffset[c] = static_cast<float>(sumDy);
      dscale[c] = static_cast<float>(sumDyXm * r[c]);
      dmean[c] = static_cast<float>(-sumDy * s[c] * r[c]);
      dvar[c] = static_cast<float>(-0.5 * r[c] * r[c] * r[c] * s[c] * sumDyXm);
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNorm", Napi::Function::New(env, BatchNorm));
  exports.Set("batchNormGrad", Napi::Function::New(env, BatchNormGrad));
}

}  // namespace dlpipe
