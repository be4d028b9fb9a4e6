// Typed-array access with a dtype check, and the loop helpers of the math kernels (eltwise,
// binary, reduce, softmax): parallel-for above a size threshold and JS's ToInt32.
//
//   View x = ViewOf(info[0]);              // { data, length, dtype } of any typed array
//   const float* p = x.As<float>();        // throws unless x holds float32
//   ParallelRange(n, kMemThreshold, [&](int64_t s, int64_t e) { ... });
#pragma once
#include <omp.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "common.h"

namespace dlpipe {

// Element types of the tensors the math kernels read and write (codes shared with TS).
enum class DType { kF32 = 0, kI32 = 1, kU8 = 2 };

template <typename T>
constexpr DType DTypeOf();
template <>
constexpr DType DTypeOf<float>() { return DType::kF32; }
template <>
constexpr DType DTypeOf<int32_t>() { return DType::kI32; }
template <>
constexpr DType DTypeOf<uint8_t>() { return DType::kU8; }

// A typed array's storage: never kept after the call that received it.
struct View {
  void* data = nullptr;
  int64_t length = 0;
  DType dtype = DType::kF32;

  template <typename T>
  T* As() const {
    if (dtype != DTypeOf<T>()) throw std::invalid_argument("typed array of an unexpected type");
    return static_cast<T*>(data);
  }
};

inline View ViewOf(const Napi::Value& v) {
  const TypedArray a = TypedArrayOf(v);
  View out;
  out.data = a.data;
  out.length = static_cast<int64_t>(a.length);
  switch (a.type) {
    case napi_float32_array: out.dtype = DType::kF32; break;
    case napi_int32_array: out.dtype = DType::kI32; break;
    case napi_uint8_array: out.dtype = DType::kU8; break;
    default: throw std::invalid_argument("expected a Float32Array, Int32Array or Uint8Array");
  }
  return out;
}

// Below these many elements one thread is faster than waking the others (measured on the 2-core
// machine: a fork/join costs 5–10 µs, an add of 64K floats 3 µs, an exp of 64K 14 µs on one
// thread): cheap memory-bound loops (add, relu), oneDNN's JIT transcendentals (exp, tanh), and
// scalar double-precision ones (pow, softplus, ~20 ns per element).
constexpr int64_t kMemThreshold = 1 << 18;

// Values per contiguous run when a short last axis (an NHWC bias: a few channels) is tiled or
// accumulated in blocks of whole rows, so inner loops are long enough to vectorize.
constexpr int64_t kWideRun = 64;
constexpr int64_t kJitThreshold = 1 << 17;
constexpr int64_t kComputeThreshold = 1 << 13;

// Rows shorter than this reduce faster in a plain loop than in an `omp simd` one (measured:
// rows of 10 floats 2–4× faster plain, rows of 32 2–3× faster vectorized).
constexpr int64_t kSimdRow = 16;

// Σ x[0..n) accumulated in Acc (double for float rows), vectorized for long rows.
template <typename Acc, typename X>
Acc RowSum(const X* x, int64_t n) {
  Acc s = 0;
  if (n < kSimdRow) {
    for (int64_t i = 0; i < n; i++) s += x[i];
    return s;
  }
#pragma omp simd reduction(+ : s)
  for (int64_t i = 0; i < n; i++) s += x[i];
  return s;
}

// Calls fn(begin, end) over [0, n) split in one contiguous chunk per thread, or once inline
// when n is under the threshold or only one thread is configured.
template <typename Fn>
void ParallelRange(int64_t n, int64_t threshold, const Fn& fn) {
  const int threads = omp_get_max_threads();
  if (n < threshold || threads <= 1) {
    if (n > 0) fn(int64_t{0}, n);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t begin = n * t / nt, end = n * (t + 1) / nt;
    if (end > begin) fn(begin, end);
  }
}

// Runs oneDNN primitives on one thread while in scope, for inputs under `threshold` elements:
// oneDNN parallelizes even tiny eltwise calls, and waking a sleeping OpenMP thread costs more
// than it saves there.
class SerialBelow {
 public:
  SerialBelow(int64_t n, int64_t threshold) : threads_(omp_get_max_threads()) {
    serial_ = n < threshold && threads_ > 1;
    if (serial_) omp_set_num_threads(1);
  }
  ~SerialBelow() {
    if (serial_) omp_set_num_threads(threads_);
  }
  bool serial() const { return serial_; }
  SerialBelow(const SerialBelow&) = delete;
  SerialBelow& operator=(const SerialBelow&) = delete;

 private:
  int threads_;
  bool serial_ = false;
};

// JavaScript's ToInt32 (what storing a number into an Int32Array does): NaN and ±Infinity give
// 0, others truncate toward zero and wrap modulo 2^32.
inline int32_t ToInt32(double x) {
  if (x > -2147483649.0 && x < 2147483648.0) return static_cast<int32_t>(x);
  if (!std::isfinite(x)) return 0;
  double m = std::fmod(std::trunc(x), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(m));
}

}  // namespace dlpipe
