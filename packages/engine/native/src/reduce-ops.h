// The accumulators of reduce.cc: Sum (and Mean) and Prod in double (int64 for int32 sums), as
// tfjs's cpu kernels accumulate in JS numbers; Max/Min that propagate NaN. Each has Init, Combine
// (one value or partial into an accumulator), Row (a contiguous run) and Fin (accumulator → output).
//
//   using Op = SumOp<float, double>;
//   float total = Op::Fin(Op::Row(x, n), n);
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "typed.h"

namespace dlpipe {

template <typename In, typename A>
struct SumOp {
  using Acc = A;
  static Acc Init() { return 0; }
  template <typename X>
  static void Combine(Acc& a, X v) { a += v; }
  template <typename X>
  static Acc Row(const X* x, int64_t n) {
    return RowSum<Acc>(x, n);
  }
  static In Fin(Acc a, double) {
    if constexpr (std::is_same_v<In, float>) return static_cast<float>(a);
    else return static_cast<int32_t>(static_cast<uint32_t>(a));
  }
};

struct MeanOp : SumOp<float, double> {
  static float Fin(double a, double count) { return static_cast<float>(a / count); }
};

template <typename In>
struct ProdOp {
  using Acc = double;
  static Acc Init() { return 1; }
  template <typename X>
  static void Combine(Acc& a, X v) { a *= v; }
  template <typename X>
  static Acc Row(const X* x, int64_t n) {
    Acc p = 1;
    for (int64_t i = 0; i < n; i++) p *= x[i];
    return p;
  }
  static In Fin(Acc a, double) {
    if constexpr (std::is_same_v<In, float>) return static_cast<float>(a);
    else return ToInt32(a);
  }
};

// Max (kMax) or Min: a NaN anywhere gives NaN, as the cpu kernel's `isNaN(v) || v > max`.
template <typename In, bool kIsMax>
struct ExtremeOp {
  using Acc = In;
  static Acc Init() {
    if constexpr (std::is_same_v<In, float>) return kIsMax ? -INFINITY : INFINITY;
    else return kIsMax ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int32_t>::max();
  }
  static bool Better(Acc v, Acc a) { return kIsMax ? v > a : v < a; }
  static void Combine(Acc& a, Acc v) {
    if (Better(v, a) || v != v) a = v;
  }
  static Acc Row(const Acc* x, int64_t n) {
    Acc m = Init();
    int nan = 0;
    if (n < kSimdRow) {
      for (int64_t i = 0; i < n; i++) Combine(m, x[i]);
      return m;
    }
    if constexpr (kIsMax) {
#pragma omp simd reduction(max : m) reduction(| : nan)
      for (int64_t i = 0; i < n; i++) {
        m = x[i] > m ? x[i] : m;
        nan |= x[i] != x[i];
      }
    } else {
#pragma omp simd reduction(min : m) reduction(| : nan)
      for (int64_t i = 0; i < n; i++) {
        m = x[i] < m ? x[i] : m;
        nan |= x[i] != x[i];
      }
    }
    if constexpr (std::is_same_v<In, float>) return nan ? NAN : m;
    else return m;
  }
  static In Fin(Acc a, double) { return a; }
};

}  // namespace dlpipe
