// MatMul / BatchMatMul / _FusedMatMul on oneDNN's matmul primitive: batch broadcasting of a
// batch of 1, transposes as strides (no copies), optional bias and fused activation.
#include <omp.h>

#include <sstream>

#include "common.h"
#include "fused.h"
#include "typed.h"

namespace dlpipe {
namespace {

// Products under this many multiply-adds run on one thread: waking the second OpenMP thread from
// its sleep costs more than it saves (measured when threads slept at once, OMP_WAIT_POLICY=PASSIVE). Measured on the char-GRU LM (32×256×256 steps): 64–70 ms per
// training step with every matmul threaded, 52–55 ms with this threshold, 53–60 ms at 3e7.
constexpr int64_t kSerialMatMulWork = 8'000'000;

// A plain batched product (no bias or activation) of at least two matrices per thread, each at
// most this many multiply-adds, runs as one single-threaded sgemm per matrix with the matrices
// split across the threads, instead of oneDNN's batched matmul, which threads inside each small
// product. Measured on 2 cores: [64,256,64]·[64,64,256] 2.8–2.9 ms against 3.4–3.6 ms;
// [64,256,256]·[64,256,256] 10.8–11.6 ms against 11.5–11.9 ms.
constexpr int64_t kPerMatrixWorkMax = 64 * 1024 * 1024;

// C[b] = op(A[b]) · op(B[b]) for every b, one single-threaded sgemm per matrix, matrices split
// across the OpenMP threads. A batch of 1 on either side broadcasts.
void BatchPerThread(const float* a, const float* b, float* c, int64_t batchA, int64_t batchB, int64_t M,
                    int64_t K, int64_t N, bool tA, bool tB) {
  const int64_t batch = std::max(batchA, batchB);
  bool failed = false;
#pragma omp parallel for schedule(static) reduction(|| : failed)
  for (int64_t i = 0; i < batch; i++) {
    const float* ai = a + (batchA == 1 ? 0 : i) * M * K;
    const float* bi = b + (batchB == 1 ? 0 : i) * K * N;
    auto st = dnnl_sgemm(tA ? 'T' : 'N', tB ? 'T' : 'N', M, N, K, 1.f, ai, tA ? M : K, bi, tB ? K : N, 0.f,
                         c + i * M * N, N);
    if (st != dnnl_success) failed = true;
  }
  if (failed) throw std::runtime_error("sgemm failed in a batch");
}

struct MatMulPlan {
  dnnl::matmul prim;
  dnnl::memory::desc a, b, bias, c;
};

// batchMatMul(a, b, out, batchA, batchB, M, K, N, transposeA, transposeB, bias|null, act, alpha)
Napi::Value BatchMatMul(const Napi::CallbackInfo& info) {
  return Guard(info, "BatchMatMul", [&]() -> Napi::Value {
    const int64_t batchA = Int(info[3]), batchB = Int(info[4]);
    const int64_t M = Int(info[5]), K = Int(info[6]), N = Int(info[7]);
    const bool tA = Bool(info[8]), tB = Bool(info[9]);
    const bool hasBias = info[10].IsTypedArray();
    const int act = static_cast<int>(Int(info[11]));
    const float alpha = static_cast<float>(Num(info[12]));
    const int64_t batch = std::max(batchA, batchB);
    if (!hasBias && act == 0 && K > 0 && batch >= 2 * omp_get_max_threads() &&
        M * K * N <= kPerMatrixWorkMax && batch * M * K * N >= kSerialMatMulWork) {
      BatchPerThread(F32(info[0]), F32(info[1]), F32(info[2]), batchA, batchB, M, K, N, tA, tB);
      return info.Env().Undefined();
    }
    SerialBelow serial(batch * M * K * N, kSerialMatMulWork);
    std::ostringstream key;
    key << "mm" << batchA << ',' << batchB << ',' << M << ',' << K << ',' << N << ',' << tA << tB
        << hasBias << act << ',' << alpha << (serial.serial() ? 's' : 'p');
    auto plan = Cached<MatMulPlan>(key.str(), [&]() {
      auto p = std::make_shared<MatMulPlan>();
      using dims = dnnl::memory::dims;
      p->a = dnnl::memory::desc(dims{batchA, M, K}, dt::f32,
                                tA ? dims{M * K, 1, M} : dims{M * K, K, 1});
      p->b = dnnl::memory::desc(dims{batchB, K, N}, dt::f32,
                                tB ? dims{K * N, 1, K} : dims{K * N, N, 1});
      p->c = dnnl::memory::desc(dims{batch, M, N}, dt::f32, dims{M * N, N, 1});
      if (hasBias) p->bias = dnnl::memory::desc(dims{1, 1, N}, dt::f32, dims{N, N, 1});
      auto attr = ActivationAttr(act, alpha);
      auto d = hasBias ? dnnl::matmul::desc(p->a, p->b, p->bias, p->c)
                       : dnnl::matmul::desc(p->a, p->b, p->c);
      p->prim = dnnl::matmul(dnnl::matmul::primitive_desc(d, attr, Engine()));
      return p;
    });
    auto& eng = Engine();
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_SRC, dnnl::memory(plan->a, eng, F32(info[0]))},
        {DNNL_ARG_WEIGHTS, dnnl::memory(plan->b, eng, F32(info[1]))},
        {DNNL_ARG_DST, dnnl::memory(plan->c, eng, F32(info[2]))}};
    if (hasBias) args.emplace(DNNL_ARG_BIAS, dnnl::memory(plan->bias, eng, F32(info[10])));
    plan->prim.execute(Stream(), args);
    Stream().wait();
    return info.Env().Undefined();
  });
}

}  // namespace

void InitMatMul(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"batchMatMul", BatchMatMul}});
}

}  // namespace dlpipe
