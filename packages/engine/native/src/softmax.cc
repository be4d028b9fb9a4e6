// Softmax and LogSoftmax over the last axis (a [rows, cols] view, exps on oneDNN's eltwise),
// and the fused softmax gradient dy·y − sum(dy·y)·y as one pass per row (tfjs's gradient is
// four kernels: Multiply, Sum, Multiply, Sub).
//
//   softmax(x, out, rows, cols, log)    // log: LogSoftmax
//   softmaxGrad(dy, y, out, rows, cols)
#include <algorithm>
#include <cmath>
#include <vector>

#include "eltwise.h"
#include "typed.h"

// No fused multiply-add: the gradients round after every operation, as tfjs does.
#pragma GCC optimize("fp-contract=off")

namespace dlpipe {
namespace {

// softmax(x, out, rows, cols, log): tfjs's arithmetic, exp(x − max) / Σ or (x − max) − log Σ,
// with the sums in double and the exps on oneDNN's JIT eltwise over the whole buffer (oneDNN's
// softmax primitive is 4–10× slower on this machine's AVX for rows of ≤ 16, as attention's). A
// row holding NaN or +Infinity, or only −Infinity, is NaN throughout, as in tfjs.
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  return Guard(info, "Softmax", [&]() -> Napi::Value {
    const View xv = ViewOf(info[0]), yv = ViewOf(info[1]);
    const int64_t rows = Int(info[2]), cols = Int(info[3]);
    const bool log = Bool(info[4]);
    if (rows * cols != xv.length || xv.length != yv.length || xv.length == 0) {
      throw std::invalid_argument("sizes do not match [rows, cols]");
    }
    const float* x = xv.As<float>();
    float* y = yv.As<float>();
    const int64_t n = xv.length, rowThreshold = (kMemThreshold + cols - 1) / cols;
    std::vector<uint8_t> bad(rows);
    ParallelRange(rows, rowThreshold, [&](int64_t b, int64_t e) {  // y = x − max, bad rows
      for (int64_t r = b; r < e; r++) {
        const float* xr = x + r * cols;
        float m = -INFINITY;
        int nonFinite = 0;
        if (cols < kSimdRow) {
          for (int64_t c = 0; c < cols; c++) m = xr[c] > m ? xr[c] : m;
        } else {
#pragma omp simd reduction(max : m)
          for (int64_t c = 0; c < cols; c++) m = xr[c] > m ? xr[c] : m;
        }
        // NaN is skipped by the max above; with +Infinity, m is +Infinity
        if (m == INFINITY || m == -INFINITY) {
          nonFinite = 1;
        } else {
          for (int64_t c = 0; c < cols; c++) nonFinite |= xr[c] != xr[c];
        }
        bad[r] = nonFinite;
        for (int64_t c = 0; c < cols; c++) y[r * cols + c] = xr[c] - m;
      }
    });
    std::vector<float> tmp(log ? n : 0);
    float* e = log ? tmp.data() : y;
    OneDnnEltwise(dnnl::algorithm::eltwise_exp, 0.f, 0.f, y, e, n);
    ParallelRange(rows, rowThreshold, [&](int64_t b, int64_t end) {  // normalize
      for (int64_t r = b; r < end; r++) {
        float* yr = y + r * cols;
        if (bad[r]) {
          std::fill(yr, yr + cols, NAN);
          continue;
        }
        const float* er = e + r * cols;
        const float sf = static_cast<float>(RowSum<double>(er, cols));
        if (log) {
          const float ls = static_cast<float>(std::log(double{sf}));
          for (int64_t c = 0; c < cols; c++) yr[c] = yr[c] - ls;
        } else {
          for (int64_t c = 0; c < cols; c++) yr[c] = er[c] / sf;
        }
      }
    });
    return info.Env().Undefined();
  });
}

// softmaxGrad(dy, y, out, rows, cols): out = dy·y − (Σ dy·y)·y per row, the sum in double as
// tfjs's cpu Sum.
Napi::Value SoftmaxGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "SoftmaxGrad", [&]() -> Napi::Value {
    const View dyv = ViewOf(info[0]), yv = ViewOf(info[1]), ov = ViewOf(info[2]);
    const int64_t rows = Int(info[3]), cols = Int(info[4]);
    if (rows * cols != ov.length || dyv.length != ov.length || yv.length != ov.length) {
      throw std::invalid_argument("sizes do not match [rows, cols]");
    }
    const float* dy = dyv.As<float>();
    const float* y = yv.As<float>();
    float* out = ov.As<float>();
    const int64_t rowThreshold = (kMemThreshold + cols - 1) / std::max<int64_t>(cols, 1);
    ParallelRange(rows, rowThreshold, [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; r++) {
        const float* d = dy + r * cols;
        const float* p = y + r * cols;
        float* o = out + r * cols;
        double s = 0;
        if (cols < kSimdRow) {
          for (int64_t c = 0; c < cols; c++) s += d[c] * p[c];
        } else {
#pragma omp simd reduction(+ : s)
          for (int64_t c = 0; c < cols; c++) s += d[c] * p[c];
        }
        const float sf = static_cast<float>(s);
        for (int64_t c = 0; c < cols; c++) o[c] = d[c] * p[c] - sf * p[c];
      }
    });
    return info.Env().Undefined();
  });
}

}  // namespace

void InitSoftmax(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"softmax", Softmax}, {"softmaxGrad", SoftmaxGrad}});
}

}  // namespace dlpipe
