// Per-channel sums for batch norm over the last axis of a [rows, C] array: each thread sums its
// share of the rows in float chunks of kSumChunk rows, joined in double (as tfjs's cpu Sum is exact
// enough), then the threads' totals are added.
//
//   ParallelSums(rows, C, sumA, sumB, [&](int64_t i, float* a, float* b) { /* row i */ });
#pragma once
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace dlpipe {

constexpr int64_t kRowsParallel = 32768;  // elements below which one thread does the work
constexpr int64_t kSumChunk = 256;        // rows summed in float before joining the double totals

// Per-thread sums over rows [r0, r1): a += f(row), b += g(row), each channel; chunked in float.
template <typename F>
void ChunkedSums(int64_t C, int64_t r0, int64_t r1, double* a, double* b, F&& rowFn) {
  std::vector<float> fa(C), fb(C);
  for (int64_t s = r0; s < r1; s += kSumChunk) {
    std::fill(fa.begin(), fa.end(), 0.f);
    std::fill(fb.begin(), fb.end(), 0.f);
    const int64_t e = std::min(r1, s + kSumChunk);
    for (int64_t i = s; i < e; i++) rowFn(i, fa.data(), fb.data());
    for (int64_t c = 0; c < C; c++) {
      a[c] += fa[c];
      b[c] += fb[c];
    }
  }
}

// Runs ChunkedSums on every thread's share of the rows and returns the two per-channel totals.
template <typename F>
void ParallelSums(int64_t rows, int64_t C, std::vector<double>& a, std::vector<double>& b, F&& rowFn) {
  const int threads = rows * C > kRowsParallel ? omp_get_max_threads() : 1;
  std::vector<double> part(2 * C * threads, 0.0);
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), n = omp_get_num_threads();
    const int64_t per = (rows + n - 1) / n;
    const int64_t r0 = std::min(rows, t * per), r1 = std::min(rows, r0 + per);
    ChunkedSums(C, r0, r1, &part[2 * C * t], &part[2 * C * t + C], rowFn);
  }
  a.assign(C, 0.0);
  b.assign(C, 0.0);
  for (int t = 0; t < threads; t++) {
    for (int64_t c = 0; c < C; c++) {
      a[c] += part[2 * C * t + c];
      b[c] += part[2 * C * t + C + c];
    }
  }
}

}  // namespace dlpipe
