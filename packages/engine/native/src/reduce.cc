// Reductions over any set of axes (Sum, Mean, Max, Min, Prod) and ArgMax/ArgMin over one axis,
// without transposing: size-1 dims are dropped and neighbouring axes merged, a reduced inner
// axis becomes contiguous row reductions, the rest accumulates whole rows into the output
// (vectorized over the kept inner axis). Float sums and products accumulate in double, as tfjs's
// cpu kernels do in JS numbers; Max/Min propagate NaN; ArgMax/ArgMin keep the first extremum.
// oneDNN's reduction primitive accumulates in float and has no int32 or arg variants.
//
//   reduce(op, x, shape, axes, out)     // op: ReduceOp code (kernels/reduce.ts)
//   argReduce(isMin, x, shape, axis, out)
#include <algorithm>
#include <vector>

#include "reduce-ops.h"
#include "typed.h"

namespace dlpipe {
namespace {

enum ReduceOp { kSum = 0, kMean, kMax, kMin, kProd };

struct Group {
  int64_t size;
  bool reduced;
};

// Reduces `rows` contiguous rows of length L into dst[rows]; splits a row across threads when
// there are fewer rows than threads.
template <typename Op, typename X>
void Rows(const X* x, int64_t rows, int64_t L, typename Op::Acc* dst) {
  using Acc = typename Op::Acc;
  const int threads = omp_get_max_threads();
  if (rows >= threads || rows * L < kMemThreshold) {
    ParallelRange(rows, (kMemThreshold + L - 1) / L, [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; r++) dst[r] = Op::Row(x + r * L, L);
    });
    return;
  }
  for (int64_t r = 0; r < rows; r++) {
    std::vector<Acc> part(threads, Op::Init());
    ParallelRange(L, kMemThreshold, [&](int64_t b, int64_t e) {
      part[omp_get_thread_num()] = Op::Row(x + r * L + b, e - b);
    });
    Acc a = Op::Init();
    for (const Acc& p : part) Op::Combine(a, p);
    dst[r] = a;
  }
}

// rows × C values into acc[C] when C is small (an NHWC bias gradient: C channels): k rows at a
// time into k·C accumulators, one long vectorizable run instead of a short loop per row, then
// the k partials of each channel combined.
template <typename Op, typename X>
void ScatterNarrow(const X* x, int64_t rows, int64_t C, typename Op::Acc* acc) {
  using Acc = typename Op::Acc;
  const int64_t k = kWideRun / C, W = k * C, wide = rows / k;
  std::vector<Acc> part(W, Op::Init());
  Acc* p = part.data();
  for (int64_t r = 0; r < wide; r++) {
    const X* xr = x + r * W;
    for (int64_t j = 0; j < W; j++) Op::Combine(p[j], xr[j]);
  }
  for (int64_t j = 0; j < W; j++) Op::Combine(acc[j % C], p[j]);
  for (int64_t r = wide * k; r < rows; r++) {
    for (int64_t c = 0; c < C; c++) Op::Combine(acc[c], x[r * C + c]);
  }
}

// Accumulates rows of C contiguous values (the last, kept group) into acc, for the first
// group's indices [b0, e0); ostride[d] is group d's step in the output (0 when reduced).
template <typename Op, typename X>
void Scatter(const X* x, const std::vector<Group>& g, const std::vector<int64_t>& ostride,
             int64_t b0, int64_t e0, typename Op::Acc* acc) {
  const int P = static_cast<int>(g.size()) - 1;
  const int64_t C = g[P].size;
  if (P == 1 && ostride[0] == 0 && C < kWideRun) {
    ScatterNarrow<Op>(x + b0 * C, e0 - b0, C, acc);
    return;
  }
  int64_t rowsPer0 = 1;
  for (int d = 1; d < P; d++) rowsPer0 *= g[d].size;
  int64_t idx[32] = {};
  idx[0] = b0;
  int64_t ooff = b0 * ostride[0];
  for (int64_t row = b0 * rowsPer0, end = e0 * rowsPer0; row < end; row++) {
    const X* xr = x + row * C;
    typename Op::Acc* a = acc + ooff;
    for (int64_t c = 0; c < C; c++) Op::Combine(a[c], xr[c]);
    for (int d = P - 1; d >= 0; d--) {
      ooff += ostride[d];
      if (++idx[d] < g[d].size) break;
      ooff -= ostride[d] * g[d].size;
      idx[d] = 0;
    }
  }
}

// The general case: groups end with a kept group; x holds In or partial Acc values.
template <typename Op, typename X>
void ScatterAll(const X* x, const std::vector<Group>& g, int64_t outSize, typename Op::Acc* acc) {
  using Acc = typename Op::Acc;
  std::vector<int64_t> ostride(g.size(), 0);
  int64_t s = 1, total = 1;
  for (int d = static_cast<int>(g.size()) - 1; d >= 0; d--) {
    total *= g[d].size;
    if (!g[d].reduced) {
      ostride[d] = s;
      s *= g[d].size;
    }
  }
  std::fill(acc, acc + outSize, Op::Init());
  const int threads = omp_get_max_threads();
  const int64_t n0 = g[0].size;
  if (total < kMemThreshold || threads <= 1 || n0 < 2) {
    Scatter<Op>(x, g, ostride, 0, n0, acc);
  } else if (!g[0].reduced) {  // threads own disjoint outputs
    ParallelRange(n0, 2, [&](int64_t b, int64_t e) { Scatter<Op>(x, g, ostride, b, e, acc); });
  } else {  // threads own partial outputs, merged after
    std::vector<std::vector<Acc>> part(threads);
    ParallelRange(n0, 2, [&](int64_t b, int64_t e) {
      auto& p = part[omp_get_thread_num()];
      p.assign(outSize, Op::Init());
      Scatter<Op>(x, g, ostride, b, e, p.data());
    });
    for (const auto& p : part) {
      for (int64_t i = 0; i < static_cast<int64_t>(p.size()); i++) Op::Combine(acc[i], p[i]);
    }
  }
}

template <typename Op, typename In>
void Reduce(const In* x, std::vector<Group> g, In* out, int64_t total, int64_t outSize) {
  const double count = static_cast<double>(total / outSize);
  using Acc = typename Op::Acc;
  bool anyReduced = false;
  for (const Group& q : g) anyReduced = anyReduced || q.reduced;
  if (!anyReduced) {  // only size-1 axes reduced: a copy through the op
    for (int64_t i = 0; i < outSize; i++) out[i] = Op::Fin(Op::Row(x + i, 1), count);
    return;
  }
  std::vector<Acc> acc(outSize);
  if (g.back().reduced) {
    const int64_t L = g.back().size;
    g.pop_back();
    bool more = false;
    for (const Group& q : g) more = more || q.reduced;
    if (!more) {
      Rows<Op>(x, outSize, L, acc.data());
    } else {
      std::vector<Acc> rows(total / L);
      Rows<Op>(x, static_cast<int64_t>(rows.size()), L, rows.data());
      ScatterAll<Op>(rows.data(), g, outSize, acc.data());
    }
  } else {
    ScatterAll<Op>(x, g, outSize, acc.data());
  }
  for (int64_t i = 0; i < outSize; i++) out[i] = Op::Fin(acc[i], count);
}

// reduce(op, x, shape, axes, out): axes non-negative; x and out float32 or int32 (Mean: float32).
Napi::Value ReduceJs(const Napi::CallbackInfo& info) {
  return Guard(info, "reduce", [&]() -> Napi::Value {
    const int op = static_cast<int>(Int(info[0]));
    const View x = ViewOf(info[1]), o = ViewOf(info[4]);
    const auto shape = Ints(info[2]);
    std::vector<bool> red(shape.size(), false);
    for (int64_t a : Ints(info[3])) {
      if (a < 0 || a >= static_cast<int64_t>(shape.size())) {
        throw std::invalid_argument("axis out of range");
      }
      red[a] = true;
    }
    std::vector<Group> g;
    int64_t total = 1;
    for (size_t i = 0; i < shape.size(); i++) {
      total *= shape[i];
      if (shape[i] == 1) continue;
      if (!g.empty() && g.back().reduced == red[i]) g.back().size *= shape[i];
      else g.push_back({shape[i], red[i]});
    }
    if (total != x.length || total == 0 || o.length == 0 || total % o.length != 0) {
      throw std::invalid_argument("input/output sizes do not match the shape and axes");
    }
    if (g.size() > 32) throw std::invalid_argument("too many alternating reduced/kept axes");
    const bool i32 = x.dtype == DType::kI32;
    switch (op) {
      case kSum:
        if (i32) Reduce<SumOp<int32_t, int64_t>>(x.As<int32_t>(), g, o.As<int32_t>(), total, o.length);
        else Reduce<SumOp<float, double>>(x.As<float>(), g, o.As<float>(), total, o.length);
        break;
      case kMean: Reduce<MeanOp>(x.As<float>(), g, o.As<float>(), total, o.length); break;
      case kMax:
        if (i32) Reduce<ExtremeOp<int32_t, true>>(x.As<int32_t>(), g, o.As<int32_t>(), total, o.length);
        else Reduce<ExtremeOp<float, true>>(x.As<float>(), g, o.As<float>(), total, o.length);
        break;
      case kMin:
        if (i32) Reduce<ExtremeOp<int32_t, false>>(x.As<int32_t>(), g, o.As<int32_t>(), total, o.length);
        else Reduce<ExtremeOp<float, false>>(x.As<float>(), g, o.As<float>(), total, o.length);
        break;
      case kProd:
        if (i32) Reduce<ProdOp<int32_t>>(x.As<int32_t>(), g, o.As<int32_t>(), total, o.length);
        else Reduce<ProdOp<float>>(x.As<float>(), g, o.As<float>(), total, o.length);
        break;
      default: throw std::invalid_argument("unknown reduce op code " + std::to_string(op));
    }
    return info.Env().Undefined();
  });
}

// Index of the first max (min) along R of x[K1, R, K2]; NaN never wins (the cpu's `v > max`),
// except a NaN first element, which nothing beats.
template <typename T, bool kIsMin>
void Arg(const T* x, int64_t K1, int64_t R, int64_t K2, int32_t* out) {
  ParallelRange(K1, (kMemThreshold + R * K2 - 1) / (R * K2), [&](int64_t b, int64_t e) {
    std::vector<T> best(K2);
    for (int64_t k = b; k < e; k++) {
      const T* xs = x + k * R * K2;
      int32_t* o = out + k * K2;
      for (int64_t j = 0; j < K2; j++) {
        best[j] = xs[j];
        o[j] = 0;
      }
      for (int64_t r = 1; r < R; r++) {
        const T* row = xs + r * K2;
        for (int64_t j = 0; j < K2; j++) {
          const bool better = kIsMin ? row[j] < best[j] : row[j] > best[j];
          if (better) {
            best[j] = row[j];
            o[j] = static_cast<int32_t>(r);
          }
        }
      }
    }
  });
}

// argReduce(isMin, x, shape, axis, out)
Napi::Value ArgReduce(const Napi::CallbackInfo& info) {
  return Guard(info, "argReduce", [&]() -> Napi::Value {
    const bool isMin = Bool(info[0]);
    const View x = ViewOf(info[1]), o = ViewOf(info[4]);
    const auto shape = Ints(info[2]);
    const int64_t axis = Int(info[3]);
    if (axis < 0 || axis >= static_cast<int64_t>(shape.size())) {
      throw std::invalid_argument("axis out of range");
    }
    int64_t K1 = 1, K2 = 1;
    for (int64_t i = 0; i < axis; i++) K1 *= shape[i];
    for (size_t i = axis + 1; i < shape.size(); i++) K2 *= shape[i];
    const int64_t R = shape[axis];
    if (K1 * R * K2 != x.length || K1 * K2 != o.length || R == 0) {
      throw std::invalid_argument("sizes do not match the shape");
    }
    int32_t* out = o.As<int32_t>();
    if (x.dtype == DType::kI32) {
      if (isMin) Arg<int32_t, true>(x.As<int32_t>(), K1, R, K2, out);
      else Arg<int32_t, false>(x.As<int32_t>(), K1, R, K2, out);
    } else {
      if (isMin) Arg<float, true>(x.As<float>(), K1, R, K2, out);
      else Arg<float, false>(x.As<float>(), K1, R, K2, out);
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitReduce(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"reduce", ReduceJs}, {"argReduce", ArgReduce}});
}

}  // namespace dlpipe
