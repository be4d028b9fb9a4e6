// oneDNN's JIT eltwise primitive on a flat float32 buffer, for the math kernels that need a
// vectorized transcendental (eltwise.cc, softmax.cc).
//
//   OneDnnEltwise(dnnl::algorithm::eltwise_exp, 0.f, 0.f, x, y, n);   // y = exp(x); x == y is fine
#pragma once
#include <cstdint>

#include "common.h"

namespace dlpipe {

// y = alg(x) for n > 0 elements (primitives cached by algorithm, size and parameters).
void OneDnnEltwise(dnnl::algorithm alg, float alpha, float beta, const float* x, float* y, int64_t n);

}  // namespace dlpipe
