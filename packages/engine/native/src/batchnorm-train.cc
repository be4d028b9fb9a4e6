// Batch normalization in training mode for the `native` backend, as PyTorch's native_batch_norm:
// the forward computes each channel's batch mean and (biased) variance and normalizes in two
// passes over x; the backward gives dx, dscale and doffset in two passes over dy and x, instead
// of the ~50 kernels of tfjs-layers' moments + batchNorm + their gradients.
//
//   addon.batchNormTrain(x, scale|null, offset|null, C, eps, y, mean, variance);
//   addon.batchNormTrainGrad(dy, x, mean, variance, scale|null, dmean|null, dvar|null, C, eps,
//                            dx, dscale, doffset);
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "channel-sums.h"
#include "common.h"

namespace dlpipe {
namespace {

// The arguments both kernels end with, from index `at`: C, eps, the [rows, C] output and two
// C-value outputs; `rows` counts the rows of the first argument.
struct TrainTail {
  int64_t C;
  double eps;
  float* out;
  float* channelsA;
  float* channelsB;
  int64_t rows;
};

TrainTail TailOf(const Napi::CallbackInfo& info, size_t at) {
  const int64_t C = Int(info[at]);
  return {C, Num(info[at + 1]), F32(info[at + 2]), F32(info[at + 3]), F32(info[at + 4]),
          RowsOf(info[0], C)};
}

// batchNormTrain(x, scale|null, offset|null, C, eps, y, mean, variance): statistics over every
// axis but the last; variance is the biased (population) one, as tf.moments gives.
Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeBatchNormTrain", [&]() -> Napi::Value {
    const float* x = F32(info[0]);
    const auto [C, eps, y, meanOut, varOut, rows] = TailOf(info, 3);
    // Sums of x − k and (x − k)² with k the first row: shifted data keeps E[x²] − E[x]² exact
    // enough when |mean| ≫ std.
    std::vector<float> k(x, x + C);
    std::vector<double> s1, s2;
    ParallelSums(rows, C, s1, s2, [&](int64_t i, float* a, float* b) {
      const float* xr = x + i * C;
      for (int64_t c = 0; c < C; c++) {
        const float d = xr[c] - k[c];
        a[c] += d;
        b[c] += d * d;
      }
    });
    std::vector<float> meanF(C), scaleA(C), shiftB(C);
    for (int64_t c = 0; c < C; c++) {
      const double m1 = s1[c] / rows;
      const double var = std::max(0.0, s2[c] / rows - m1 * m1);
      const double mean = k[c] + m1;
      meanOut[c] = static_cast<float>(mean);
      varOut[c] = static_cast<float>(var);
      const double g = info[1].IsTypedArray() ? F32(info[1])[c] : 1.0;
      const double o = info[2].IsTypedArray() ? F32(info[2])[c] : 0.0;
      const double a = g / std::sqrt(var + eps);
      meanF[c] = meanOut[c];
      scaleA[c] = static_cast<float>(a);
      shiftB[c] = static_cast<float>(o);
    }
#pragma omp parallel for schedule(static) if (rows * C > kRowsParallel)
    for (int64_t i = 0; i < rows; i++) {
      const float* xr = x + i * C;
      float* yr = y + i * C;
      for (int64_t c = 0; c < C; c++) yr[c] = (xr[c] - meanF[c]) * scaleA[c] + shiftB[c];
    }
    return info.Env().Undefined();
  });
}

// batchNormTrainGrad(dy, x, mean, variance, scale|null, dmean|null, dvar|null, C, eps, dx, dscale,
// doffset): with x̂ = (x − mean)·r, r = 1/√(var + eps), N rows,
//   dx = scale·r·(dy − Σdy/N − x̂·Σ(dy·x̂)/N) + dmean/N + dvar·2(x − mean)/N
// (the last two terms carry gradients that reach the batch statistics themselves).
Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "DlpipeBatchNormTrainGrad", [&]() -> Napi::Value {
    const float* dy = F32(info[0]);
    const float* x = F32(info[1]);
    const float* mean = F32(info[2]);
    const float* variance = F32(info[3]);
    const auto [C, eps, dx, dscale, doffset, rows] = TailOf(info, 7);
    std::vector<double> sumDy, sumDyXm;
    ParallelSums(rows, C, sumDy, sumDyXm, [&](int64_t i, float* a, float* b) {
      const float* g = dy + i * C;
      const float* xr = x + i * C;
      for (int64_t c = 0; c < C; c++) {
        a[c] += g[c];
        b[c] += g[c] * (xr[c] - mean[c]);
      }
    });
    // dx = p·dy + q·(x − mean) + u per channel.
    std::vector<float> p(C), q(C), u(C);
    const double n = static_cast<double>(rows);
    for (int64_t c = 0; c < C; c++) {
      const double r = 1.0 / std::sqrt(static_cast<double>(variance[c]) + eps);
      const double s = info[4].IsTypedArray() ? F32(info[4])[c] : 1.0;
      const double dm = info[5].IsTypedArray() ? F32(info[5])[c] : 0.0;
      const double dv = info[6].IsTypedArray() ? F32(info[6])[c] : 0.0;
      doffset[c] = static_cast<float>(sumDy[c]);
      dscale[c] = static_cast<float>(sumDyXm[c] * r);
      const double pc = s * r;
      const double qc = -s * r * r * r * sumDyXm[c] / n + 2.0 * dv / n;
      const double uc = -s * r * sumDy[c] / n + dm / n;
      p[c] = static_cast<float>(pc);
      q[c] = static_cast<float>(qc);
      u[c] = static_cast<float>(uc);
    }
#pragma omp parallel for schedule(static) if (rows * C > kRowsParallel)
    for (int64_t i = 0; i < rows; i++) {
      const float* g = dy + i * C;
      const float* xr = x + i * C;
      float* d = dx + i * C;
      for (int64_t c = 0; c < C; c++) d[c] = p[c] * g[c] + q[c] * (xr[c] - mean[c]) + u[c];
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitBatchNormTrain(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"batchNormTrain", BatchNormTrain},
                               {"batchNormTrainGrad", BatchNormTrainGrad}});
}

}  // namespace dlpipe
