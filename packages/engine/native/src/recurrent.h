// Shared pieces of the sequence-level recurrent kernels (gru-sequence.cc, lstm-sequence.cc):
// vectorizable gate activations, row-major sgemm through oneDNN, and argument length checks.
#pragma once
#include <cmath>
#include <cstring>
#include <string>
#include <algorithm>
#include <omp.h>

#include "common.h"

namespace dlpipe {
namespace recurrent {

// Per-step products under this many multiply-adds run on one thread (see matmul.cc).
constexpr int64_t kSerialWork = 8'000'000;

// e^x with Cephes' expf polynomial (relative error ~2e-7 over the clamped range), written without
// calls or branches so that the gate loops vectorize (std::exp does not without -ffast-math).
inline float ExpApprox(float x) {
  x = x < -87.f ? -87.f : (x > 88.f ? 88.f : x);
  const float fn = (x * 1.44269504f + 12582912.f) - 12582912.f;  // round(x / ln 2)
  const float r = x - fn * 0.693359375f - fn * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.f;
  const int32_t bits = (static_cast<int32_t>(fn) + 127) << 23;  // 2^n, n in [-126, 127]
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

inline float Sigmoid(float x) { return 1.f / (1.f + ExpApprox(-x)); }
inline float Tanh(float x) { return 2.f / (1.f + ExpApprox(-2.f * x)) - 1.f; }

// C[M,N] = alpha · op(A) · op(B) + beta · C, row-major (oneDNN's sgemm).
inline void Gemm(char ta, char tb, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda,
                 const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    for (int64_t i = 0; i < M; i++)
      for (int64_t j = 0; j < N; j++) C[i * ldc + j] = beta == 0.f ? 0.f : C[i * ldc + j] * beta;
    return;
  }
  auto st = dnnl_sgemm(ta, tb, M, N, K, 1.f, A, lda, B, ldb, beta, C, ldc);
  if (st != dnnl_success) throw std::runtime_error("sgemm failed with status " + std::to_string(st));
}

// C[M,N] = op(A)·op(B) + beta·C with the N columns split across the OpenMP threads, each part one
// single-threaded sgemm: the per-step products of a recurrence (M = batch, e.g. 32) are too thin
// for oneDNN's own threading. Measured on the char-LSTM's 32×256×1024 step products (2 cores,
// forward + backward of 35 steps): 29–30 ms split against 41–47 ms with oneDNN's threads.
inline void GemmSplitN(char ta, char tb, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda,
                       const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  const int threads = omp_get_max_threads();
  if (threads < 2 || M * N * K < 1'000'000 || N < 64) {
    Gemm(ta, tb, M, N, K, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  const int64_t chunk = ((N + threads - 1) / threads + 15) / 16 * 16;
  bool failed = false;
#pragma omp parallel for num_threads(threads) schedule(static) reduction(|| : failed)
  for (int t = 0; t < threads; t++) {
    const int64_t n0 = t * chunk;
    const int64_t n = std::min(chunk, N - n0);
    if (n <= 0) continue;
    // op(B)'s columns n0…: B + n0 when B is not transposed, rows n0… (B + n0·ldb) when it is
    const float* b = tb == 'N' ? B + n0 : B + n0 * ldb;
    auto st = dnnl_sgemm(ta, tb, M, n, K, 1.f, A, lda, b, ldb, beta, C + n0, ldc);
    if (st != dnnl_success) failed = true;
  }
  if (failed) throw std::runtime_error("sgemm failed in a column block");
}

inline void CheckLengths(const Napi::CallbackInfo& info, std::initializer_list<std::pair<int, int64_t>> want) {
  for (const auto& [arg, n] : want) {
    const auto len = static_cast<int64_t>(info[arg].As<Napi::Float32Array>().ElementLength());
    if (len != n) {
      throw std::invalid_argument("argument " + std::to_string(arg) + " has " + std::to_string(len) +
                                  " values, expected " + std::to_string(n));
    }
  }
}

}  // namespace recurrent
}  // namespace dlpipe
