// numpy broadcasting of two operands as a walk over collapsed dimensions: size-1 output dims are
// dropped and neighbours that broadcast alike are merged, so [64,48,48,64] × [64] becomes one
// outer dim (b stride 0) over one contiguous inner dim, and [3,1] × [1,4] stays 2-D.
//
//   BroadcastPlan p(aShape, bShape, outShape);
//   p.Walk(0, p.total, [&](int64_t ai, int64_t bi, int64_t oi, int64_t n, int64_t sa, int64_t sb) {
//     /* n outputs from oi; a and b advance by sa, sb (0 or 1) */ });
#pragma once
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace dlpipe {

struct BroadcastPlan {
  static constexpr int kMaxRank = 16;
  int rank = 0;  // collapsed dims, outermost first; 0 means a single element
  int64_t dim[kMaxRank] = {};
  int64_t sa[kMaxRank] = {}, sb[kMaxRank] = {};
  int64_t total = 1;

  BroadcastPlan(const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                const std::vector<int64_t>& out) {
    const int r = static_cast<int>(out.size());
    if (static_cast<int>(a.size()) > r || static_cast<int>(b.size()) > r) {
      throw std::invalid_argument("operand rank exceeds the output rank");
    }
    // Strides of a and b in their own layouts, aligned to the output's trailing dims.
    std::vector<int64_t> strideA(r, 0), strideB(r, 0), dimA(r, 1), dimB(r, 1);
    for (int i = 0; i < static_cast<int>(a.size()); i++) dimA[r - a.size() + i] = a[i];
    for (int i = 0; i < static_cast<int>(b.size()); i++) dimB[r - b.size() + i] = b[i];
    int64_t accA = 1, accB = 1;
    for (int i = r - 1; i >= 0; i--) {
      strideA[i] = accA;
      strideB[i] = accB;
      accA *= dimA[i];
      accB *= dimB[i];
    }
    int prevA = -1, prevB = -1;
    for (int i = 0; i < r; i++) {
      total *= out[i];
      if (out[i] == 1) continue;
      const bool bcA = dimA[i] == 1, bcB = dimB[i] == 1;
      if ((dimA[i] != 1 && dimA[i] != out[i]) || (dimB[i] != 1 && dimB[i] != out[i])) {
        throw std::invalid_argument("shapes do not broadcast");
      }
      if (rank > 0 && bcA == prevA && bcB == prevB) {
        dim[rank - 1] *= out[i];
        sa[rank - 1] = bcA ? 0 : strideA[i];
        sb[rank - 1] = bcB ? 0 : strideB[i];
        continue;
      }
      if (rank == kMaxRank) throw std::invalid_argument("too many dimensions to broadcast");
      dim[rank] = out[i];
      sa[rank] = bcA ? 0 : strideA[i];
      sb[rank] = bcB ? 0 : strideB[i];
      prevA = bcA;
      prevB = bcB;
      rank++;
    }
  }

  // Calls f(aIndex, bIndex, outIndex, n, aStep, bStep) for runs of the inner dim covering the
  // outputs [begin, end).
  template <typename F>
  void Walk(int64_t begin, int64_t end, const F& f) const {
    if (begin >= end) return;
    if (rank == 0) {
      f(int64_t{0}, int64_t{0}, int64_t{0}, int64_t{1}, int64_t{0}, int64_t{0});
      return;
    }
    const int last = rank - 1;
    const int64_t n = dim[last];
    int64_t idx[kMaxRank] = {};
    int64_t rem = begin / n, offA = 0, offB = 0, col = begin % n;
    for (int d = last - 1; d >= 0; d--) {
      idx[d] = rem % dim[d];
      rem /= dim[d];
      offA += idx[d] * sa[d];
      offB += idx[d] * sb[d];
    }
    for (int64_t o = begin; o < end;) {
      const int64_t len = std::min(n - col, end - o);
      f(offA + col * sa[last], offB + col * sb[last], o, len, sa[last], sb[last]);
      o += len;
      col = 0;
      for (int d = last - 1; d >= 0; d--) {
        offA += sa[d];
        offB += sb[d];
        if (++idx[d] < dim[d]) break;
        offA -= sa[d] * dim[d];
        offB -= sb[d] * dim[d];
        idx[d] = 0;
      }
    }
  }
};

}  // namespace dlpipe
