// Layout kernels for the `native` backend, for any element size (float32, int32, bool): Transpose
// (dims collapsed, then contiguous runs or cache-blocked 2-D tiles), Tile, Concat, strided slices
// and constant padding (the caller pre-fills the output with the pad value).
//
//   addon.transpose(x, out, [2, 3, 4], [0, 2, 1]);   // out: [2, 4, 3]
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <vector>

#include "layout.h"

namespace dlpipe {
namespace {

using Dims = std::vector<int64_t>;

Dims StridesOf(const Dims& shape) {
  Dims st(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; i--) st[i] = st[i + 1] * shape[i + 1];
  return st;
}

int64_t SizeOf(const Dims& shape) {
  return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<int64_t>());
}

// Offset into a tensor of `strides` of the `idx`-th point of `shape` (row-major), for dims < rank.
int64_t OffsetOf(int64_t idx, const Dims& shape, const Dims& strides, size_t rank) {
  int64_t off = 0;
  for (int64_t k = static_cast<int64_t>(rank) - 1; k >= 0; k--) {
    off += (idx % shape[k]) * strides[k];
    idx /= shape[k];
  }
  return off;
}

// Drops size-1 dims and merges input dims that stay adjacent in the output.
void Collapse(Dims& shape, Dims& perm) {
  Dims index(shape.size(), -1), s;
  for (size_t i = 0; i < shape.size(); i++)
    if (shape[i] != 1) index[i] = static_cast<int64_t>(s.size()), s.push_back(shape[i]);
  Dims p;
  for (auto d : perm)
    if (index[d] >= 0) p.push_back(index[d]);
  std::vector<std::pair<int64_t, int64_t>> groups;  // [first, last] input dims, in output order
  for (auto d : p) {
    if (!groups.empty() && groups.back().second + 1 == d) groups.back().second = d;
    else groups.push_back({d, d});
  }
  Dims order(groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return groups[a].first < groups[b].first; });
  shape.assign(groups.size(), 1);
  perm.assign(groups.size(), 0);
  for (size_t r = 0; r < order.size(); r++) {
    const auto& g = groups[order[r]];
    for (int64_t d = g.first; d <= g.second; d++) shape[r] *= s[d];
    perm[order[r]] = static_cast<int64_t>(r);
  }
}

template <typename T>
void TransposeT(const T* in, T* out, Dims s, Dims p) {
  Collapse(s, p);
  const size_t r = s.size();
  const int64_t total = SizeOf(s);
  if (total == 0) return;
  if (r <= 1) {
    std::memcpy(out, in, total * sizeof(T));
    return;
  }
  const Dims is = StridesOf(s);
  Dims o(r), ois(r);  // output shape and, per output dim, its input stride
  for (size_t k = 0; k < r; k++) o[k] = s[p[k]], ois[k] = is[p[k]];
  const bool big = total > kLayoutParallel;
  if (p[r - 1] == static_cast<int64_t>(r - 1)) {  // contiguous runs of the innermost dim
    const int64_t run = o[r - 1], runs = total / run;
#pragma omp parallel for schedule(static) if (big)
    for (int64_t q = 0; q < runs; q++) {
      std::memcpy(out + q * run, in + OffsetOf(q, o, ois, r - 1), run * sizeof(T));
    }
    return;
  }
  // Output dim j reads the input's innermost dim (stride 1); tile (j, r-1) in 2-D blocks.
  const int64_t j = std::find(p.begin(), p.end(), static_cast<int64_t>(r - 1)) - p.begin();
  const Dims os = StridesOf(o);
  Dims rest, restIn, restOut;  // the other output dims
  for (size_t k = 0; k + 1 < r; k++)
    if (static_cast<int64_t>(k) != j) rest.push_back(o[k]), restIn.push_back(ois[k]), restOut.push_back(os[k]);
  constexpr int64_t B = 32;
  const int64_t A = o[j], C = o[r - 1], S = ois[r - 1], OJ = os[j];
  const int64_t aBlocks = (A + B - 1) / B, outer = SizeOf(rest);
#pragma omp parallel for schedule(static) if (big)
  for (int64_t t = 0; t < outer * aBlocks; t++) {
    const int64_t q = t / aBlocks, a0 = (t % aBlocks) * B, a1 = std::min(A, a0 + B);
    const T* src = in + OffsetOf(q, rest, restIn, rest.size());
    T* dst = out + OffsetOf(q, rest, restOut, rest.size());
    for (int64_t c0 = 0; c0 < C; c0 += B) {
      const int64_t c1 = std::min(C, c0 + B);
      for (int64_t a = a0; a < a1; a++)
        for (int64_t c = c0; c < c1; c++) dst[a * OJ + c] = src[a + c * S];
    }
  }
}

// transpose(x, out, shape, perm)
Napi::Value Transpose(const Napi::CallbackInfo& info) {
  return Guard(info, "Transpose", [&]() -> Napi::Value {
    Raw x = RawOf(info[0]), out = RawOf(info[1]);
    DispatchSize(x.es, [&](auto t) {
      using T = decltype(t);
      TransposeT(reinterpret_cast<const T*>(x.p), reinterpret_cast<T*>(out.p), Ints(info[2]), Ints(info[3]));
    });
    return info.Env().Undefined();
  });
}

template <typename T>
void TileT(const T* in, T* out, const Dims& s, const Dims& reps, const Dims& o) {
  const int64_t r = static_cast<int64_t>(s.size());
  const Dims is = StridesOf(s);
  const int64_t row = s[r - 1], outRow = o[r - 1], rows = SizeOf(o) / outRow;
#pragma omp parallel for schedule(static) if (rows * outRow > kLayoutParallel)
  for (int64_t q = 0; q < rows; q++) {
    int64_t idx = q, off = 0;
    for (int64_t k = r - 2; k >= 0; k--) {
      off += ((idx % o[k]) % s[k]) * is[k];
      idx /= o[k];
    }
    T* dst = out + q * outRow;
    if (row == 1) std::fill(dst, dst + outRow, in[off]);
    else
      for (int64_t rep = 0; rep < reps[r - 1]; rep++) std::memcpy(dst + rep * row, in + off, row * sizeof(T));
  }
}

// tile(x, out, shape, reps): each output row (innermost dim) is the input row it maps to, repeated.
Napi::Value Tile(const Napi::CallbackInfo& info) {
  return Guard(info, "Tile", [&]() -> Napi::Value {
    Raw x = RawOf(info[0]), out = RawOf(info[1]);
    const Dims s = Ints(info[2]), reps = Ints(info[3]);
    Dims o(s.size());
    for (size_t k = 0; k < s.size(); k++) o[k] = s[k] * reps[k];
    if (s.empty() || SizeOf(o) == 0) throw std::invalid_argument("rank-0 or empty tiles are the caller's");
    DispatchSize(x.es, [&](auto t) {
      using T = decltype(t);
      TileT(reinterpret_cast<const T*>(x.p), reinterpret_cast<T*>(out.p), s, reps, o);
    });
    return info.Env().Undefined();
  });
}

// concat(inputs, out, outer, inners): out row i = input rows i side by side (inner sizes given).
Napi::Value Concat(const Napi::CallbackInfo& info) {
  return Guard(info, "Concat", [&]() -> Napi::Value {
    auto list = info[0].As<Napi::Array>();
    std::vector<Raw> ins;
    for (uint32_t i = 0; i < list.Length(); i++) ins.push_back(RawOf(list.Get(i)));
    Raw out = RawOf(info[1]);
    const int64_t outer = Int(info[2]);
    const Dims inner = Ints(info[3]);
    const int64_t rowLen = std::accumulate(inner.begin(), inner.end(), int64_t{0});
    const size_t es = out.es;
#pragma omp parallel for schedule(static) if (outer * rowLen > kLayoutParallel && outer > 1)
    for (int64_t q = 0; q < outer; q++) {
      uint8_t* dst = out.p + q * rowLen * es;
      for (size_t i = 0; i < ins.size(); i++) {
        std::memcpy(dst, ins[i].p + q * inner[i] * es, inner[i] * es);
        dst += inner[i] * es;
      }
    }
    return info.Env().Undefined();
  });
}

template <typename T>
void StridedT(const T* in, T* out, const Dims& s, const Dims& begin, const Dims& step, const Dims& o) {
  const size_t r = o.size();
  const Dims is = StridesOf(s);
  Dims ois(r);
  int64_t base = 0;
  for (size_t k = 0; k < r; k++) ois[k] = is[k] * step[k], base += begin[k] * is[k];
  const int64_t run = o[r - 1], runs = SizeOf(o) / run, st = ois[r - 1];
#pragma omp parallel for schedule(static) if (runs * run > kLayoutParallel)
  for (int64_t q = 0; q < runs; q++) {
    const T* src = in + base + OffsetOf(q, o, ois, r - 1);
    T* dst = out + q * run;
    if (st == 1) std::memcpy(dst, src, run * sizeof(T));
    else
      for (int64_t i = 0; i < run; i++) dst[i] = src[i * st];
  }
}

// stridedSlice(x, out, shape, begin, strides, outShape): out[i…] = x[begin + i·stride …];
// strides may be negative; the caller checks every index is in range.
Napi::Value StridedSlice(const Napi::CallbackInfo& info) {
  return Guard(info, "StridedSlice", [&]() -> Napi::Value {
    Raw x = RawOf(info[0]), out = RawOf(info[1]);
    const Dims s = Ints(info[2]), begin = Ints(info[3]), step = Ints(info[4]), o = Ints(info[5]);
    if (o.empty() || SizeOf(o) == 0) throw std::invalid_argument("rank-0 or empty slices are the caller's");
    DispatchSize(x.es, [&](auto t) {
      using T = decltype(t);
      StridedT(reinterpret_cast<const T*>(x.p), reinterpret_cast<T*>(out.p), s, begin, step, o);
    });
    return info.Env().Undefined();
  });
}

// pad(x, out, shape, before, outShape): copies x into the pre-filled out at offset `before`.
Napi::Value Pad(const Napi::CallbackInfo& info) {
  return Guard(info, "PadV2", [&]() -> Napi::Value {
    Raw x = RawOf(info[0]), out = RawOf(info[1]);
    const Dims s = Ints(info[2]), before = Ints(info[3]), o = Ints(info[4]);
    const size_t r = s.size();
    const int64_t total = SizeOf(s);
    if (total == 0) return info.Env().Undefined();
    const Dims os = StridesOf(o);
    int64_t base = 0;
    for (size_t k = 0; k < r; k++) base += before[k] * os[k];
    const int64_t run = s[r - 1], runs = total / run;
    const size_t es = x.es;
#pragma omp parallel for schedule(static) if (total > kLayoutParallel)
    for (int64_t q = 0; q < runs; q++) {
      std::memcpy(out.p + (base + OffsetOf(q, s, os, r - 1)) * es, x.p + q * run * es, run * es);
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitLayout(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"transpose", Transpose}, {"tile", Tile}, {"concat", Concat},
                               {"stridedSlice", StridedSlice}, {"pad", Pad}});
}

}  // namespace dlpipe
