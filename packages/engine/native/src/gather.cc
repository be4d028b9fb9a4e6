// Gather and its gradient for the `native` backend: GatherV2 (batchDims 0, any element size) as
// row copies, and UnsortedSegmentSum (float32) as a scatter-add in double, rows in index order.
//
//   addon.gather(x, indices, out, outer, dimSize, inner);   // -1, or the first bad index's position
//   addon.unsortedSegmentSum(x, ids, out, numSegments, inner);
#include <omp.h>

#include <cstring>
#include <vector>

#include "layout.h"

namespace dlpipe {
namespace {

// gather(x, indices, out, outer, dimSize, inner): x viewed as [outer, dimSize, inner], out as
// [outer, n, inner] with out[o, i, :] = x[o, indices[i], :]. Returns -1, or the position of the
// first index outside [0, dimSize) (then nothing is written; the caller raises tfjs's error).
Napi::Value Gather(const Napi::CallbackInfo& info) {
  return Guard(info, "GatherV2", [&]() -> Napi::Value {
    Raw x = RawOf(info[0]), out = RawOf(info[2]);
    const int32_t* idx = I32(info[1]);
    const int64_t n = static_cast<int64_t>(info[1].As<Napi::Int32Array>().ElementLength());
    const int64_t outer = Int(info[3]), dimSize = Int(info[4]), inner = Int(info[5]);
    for (int64_t i = 0; i < n; i++) {
      if (idx[i] < 0 || idx[i] >= dimSize) return Napi::Number::New(info.Env(), static_cast<double>(i));
    }
    const size_t row = inner * x.es;
#pragma omp parallel for schedule(static) if (outer * n * inner > kLayoutParallel)
    for (int64_t t = 0; t < outer * n; t++) {
      const int64_t o = t / n, i = t % n;
      std::memcpy(out.p + t * row, x.p + (o * dimSize + idx[i]) * row, row);
    }
    return Napi::Number::New(info.Env(), -1);
  });
}

// unsortedSegmentSum(x, ids, out, numSegments, inner): out[s, :] = Σ x[i, :] over the rows i with
// ids[i] = s, summed in double in row order (as tfjs's cpu kernel); ids out of range are skipped.
// Columns are split between threads, so each output element has one writer.
Napi::Value UnsortedSegmentSum(const Napi::CallbackInfo& info) {
  return Guard(info, "UnsortedSegmentSum", [&]() -> Napi::Value {
    const float* x = F32(info[0]);
    const int32_t* ids = I32(info[1]);
    const int64_t rows = static_cast<int64_t>(info[1].As<Napi::Int32Array>().ElementLength());
    float* out = F32(info[2]);
    const int64_t numSegments = Int(info[3]), inner = Int(info[4]);
    std::vector<double> acc(numSegments * inner, 0.0);
    const bool big = rows * inner > kLayoutParallel && inner >= 64;
#pragma omp parallel if (big)
    {
      const int t = omp_get_thread_num(), nt = omp_get_num_threads();
      const int64_t per = (inner + nt - 1) / nt;
      const int64_t c0 = std::min(inner, t * per), c1 = std::min(inner, c0 + per);
      for (int64_t i = 0; i < rows; i++) {
        const int64_t s = ids[i];
        if (s < 0 || s >= numSegments) continue;
        const float* src = x + i * inner;
        double* dst = acc.data() + s * inner;
        for (int64_t c = c0; c < c1; c++) dst[c] += src[c];
      }
    }
    for (int64_t k = 0; k < numSegments * inner; k++) out[k] = static_cast<float>(acc[k]);
    return info.Env().Undefined();
  });
}

}  // namespace

void InitGather(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"gather", Gather}, {"unsortedSegmentSum", UnsortedSegmentSum}});
}

}  // namespace dlpipe
