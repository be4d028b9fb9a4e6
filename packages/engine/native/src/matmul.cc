// MatMul / BatchMatMul / _FusedMatMul on oneDNN's matmul primitive: batch broadcasting of a
// batch of 1, transposes as strides (no copies), optional bias and fused activation.
#include <sstream>

#include "common.h"
#include "fused.h"
#include "typed.h"

namespace dlpipe {
namespace {

// Products under this many multiply-adds run on one thread: waking the second (PASSIVE) OpenMP
// thread costs more than it saves. Measured on the char-GRU LM (32×256×256 steps): 64–70 ms per
// training step with every matmul threaded, 52–55 ms with this threshold, 53–60 ms at 3e7.
constexpr int64_t kSerialMatMulWork = 8'000'000;

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
