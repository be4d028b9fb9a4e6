// Unary float32 kernels (activations and math), Cast, and the fused activation gradients.
// Transcendentals (exp, log, tanh, logistic, elu) run on oneDNN's JIT eltwise primitive; cheap
// ops are plain vectorized loops with tfjs's cpu semantics (NaN in → NaN out, JS rounding where
// tfjs computes in double: Rsqrt, Softplus, Log1p, LeakyRelu).
//
//   unary(op, x, out, alpha)            // op: UnaryOp code (kernels/eltwise.ts)
//   cast(x, out) → exact                // float32 / int32 / bool(uint8) in any direction
//   activationGrad(op, dy, xOrY, out, alpha)
#include <sstream>

#include "eltwise.h"
#include "typed.h"

// No fused multiply-add: the gradients round after every operation, as tfjs does.
#pragma GCC optimize("fp-contract=off")

namespace dlpipe {

namespace {
struct EltwisePlan {
  dnnl::eltwise_forward prim;
  dnnl::memory::desc md;
};
}  // namespace

void OneDnnEltwise(dnnl::algorithm alg, float alpha, float beta, const float* x, float* y,
                   int64_t n) {
  std::ostringstream key;
  key << "ew" << static_cast<int>(alg) << ',' << n << ',' << alpha << ',' << beta;
  auto plan = Cached<EltwisePlan>(key.str(), [&]() {
    auto p = std::make_shared<EltwisePlan>();
    p->md = dnnl::memory::desc({n}, dt::f32, tag::a);
    dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, alg, p->md, alpha, beta);
    p->prim = dnnl::eltwise_forward(dnnl::eltwise_forward::primitive_desc(d, Engine()));
    return p;
  });
  auto& eng = Engine();
  SerialBelow serial(n, kJitThreshold);
  plan->prim.execute(Stream(), {{DNNL_ARG_SRC, dnnl::memory(plan->md, eng, const_cast<float*>(x))},
                                {DNNL_ARG_DST, dnnl::memory(plan->md, eng, y)}});
  Stream().wait();
}

namespace {

// Codes shared with the TypeScript side (kernels/eltwise.ts).
enum UnaryOp {
  kRelu = 0, kRelu6, kElu, kLeakyRelu, kSigmoid, kTanh, kSoftplus, kExp, kLog, kLog1p,
  kSqrt, kRsqrt, kSquare, kAbs, kNeg, kReciprocal, kStep
};
enum GradOp {
  kReluGrad = 0, kRelu6Grad, kLeakyReluGrad, kSigmoidGrad, kTanhGrad, kEluGrad, kSquareGrad
};

template <typename F>
void Map(const float* x, float* y, int64_t n, int64_t threshold, const F& f) {
  ParallelRange(n, threshold, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) y[i] = f(x[i]);
  });
}

// Copies the NaNs of x into y: oneDNN 2.6's exp maps NaN to +Infinity.
void RestoreNaN(const float* x, float* y, int64_t n) {
  ParallelRange(n, kMemThreshold, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) y[i] = x[i] != x[i] ? x[i] : y[i];
  });
}

// tfjs's softplus (tf.nn.softplus thresholds), in double as the cpu kernel.
float Softplus(float xf) {
  const double x = xf, threshold = std::log(1.1920928955078125e-7) + 2.0;
  if (x < threshold) return static_cast<float>(std::exp(x));
  if (x > -threshold) return xf;
  return static_cast<float>(std::log(1.0 + std::exp(x)));
}

void Unary(int op, const float* x, float* y, int64_t n, double alpha) {
  using A = dnnl::algorithm;
  const int64_t mem = kMemThreshold, cpu = kComputeThreshold;
  switch (op) {
    case kRelu: return Map(x, y, n, mem, [](float v) { return (v > 0 || v != v) ? v : 0.f; });
    case kRelu6:
      return Map(x, y, n, mem, [](float v) { return v != v ? v : (v < 0 ? 0.f : (v > 6 ? 6.f : v)); });
    case kElu: return OneDnnEltwise(A::eltwise_elu, 1.f, 0.f, x, y, n);
    case kLeakyRelu:
      return Map(x, y, n, mem, [alpha](float v) { return v < 0 ? static_cast<float>(alpha * v) : v; });
    case kSigmoid: return OneDnnEltwise(A::eltwise_logistic, 0.f, 0.f, x, y, n);
    case kTanh: return OneDnnEltwise(A::eltwise_tanh, 0.f, 0.f, x, y, n);
    case kSoftplus: return Map(x, y, n, cpu, Softplus);
    case kExp:
      OneDnnEltwise(A::eltwise_exp, 0.f, 0.f, x, y, n);
      return RestoreNaN(x, y, n);
    case kLog: return OneDnnEltwise(A::eltwise_log, 0.f, 0.f, x, y, n);
    case kLog1p:
      return Map(x, y, n, cpu, [](float v) { return static_cast<float>(std::log1p(double{v})); });
    case kSqrt: return Map(x, y, n, mem, [](float v) { return std::sqrt(v); });
    case kRsqrt:
      return Map(x, y, n, mem, [](float v) { return static_cast<float>(1.0 / std::sqrt(double{v})); });
    case kSquare: return Map(x, y, n, mem, [](float v) { return v * v; });
    case kAbs: return Map(x, y, n, mem, [](float v) { return std::fabs(v); });
    case kNeg: return Map(x, y, n, mem, [](float v) { return -v; });
    case kReciprocal: return Map(x, y, n, mem, [](float v) { return 1.f / v; });
    case kStep: {
      const float a = static_cast<float>(alpha);
      return Map(x, y, n, mem, [a](float v) { return v != v ? v : (v > 0 ? 1.f : a); });
    }
    default: throw std::invalid_argument("unknown unary op code " + std::to_string(op));
  }
}

// unary(op, x, out, alpha)
Napi::Value UnaryJs(const Napi::CallbackInfo& info) {
  return Guard(info, "unary", [&]() -> Napi::Value {
    const View x = ViewOf(info[1]), y = ViewOf(info[2]);
    if (x.length != y.length) throw std::invalid_argument("input and output sizes differ");
    const int op = static_cast<int>(Int(info[0]));
    if (x.length > 0) Unary(op, x.As<float>(), y.As<float>(), x.length, Num(info[3]));
    return info.Env().Undefined();
  });
}

template <typename I, typename O, typename F>
void Convert(const View& x, const View& y, const F& f) {
  const I* in = x.As<I>();
  O* out = y.As<O>();
  ParallelRange(x.length, kMemThreshold, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) out[i] = f(in[i]);
  });
}

// cast(x, out) → whether it wrote out: the output's array type says the target dtype (bool is
// 0/1 in a Uint8Array); false, with nothing written, for int32 → float32 of values beyond ±2^24,
// which tfjs's cpu backend keeps exact in Int32Array storage.
Napi::Value Cast(const Napi::CallbackInfo& info) {
  return Guard(info, "Cast", [&]() -> Napi::Value {
    const View x = ViewOf(info[0]), y = ViewOf(info[1]);
    if (x.length != y.length) throw std::invalid_argument("input and output sizes differ");
    using D = DType;
    auto nz = [](auto v) -> uint8_t { return v != 0 ? 1 : 0; };  // NaN → 1, as notEqual(x, 0)
    if (x.dtype == D::kI32 && y.dtype == D::kF32) {  // exact only up to 2^24: say so
      const int32_t* in = x.As<int32_t>();
      int32_t big = 0;
#pragma omp simd reduction(| : big)
      for (int64_t i = 0; i < x.length; i++) big |= (in[i] > (1 << 24)) | (in[i] < -(1 << 24));
      if (big) return Napi::Boolean::New(info.Env(), false);
    }
    auto f32 = [](auto v) { return static_cast<float>(v); };
    auto i32 = [](auto v) { return static_cast<int32_t>(v); };
    const D from = x.dtype, to = y.dtype;
    auto js = [](float v) { return ToInt32(v); };
    if (from == D::kF32 && to == D::kI32) Convert<float, int32_t>(x, y, js);
    else if (from == D::kF32 && to == D::kU8) Convert<float, uint8_t>(x, y, nz);
    else if (from == D::kI32 && to == D::kF32) Convert<int32_t, float>(x, y, f32);
    else if (from == D::kI32 && to == D::kU8) Convert<int32_t, uint8_t>(x, y, nz);
    else if (from == D::kU8 && to == D::kF32) Convert<uint8_t, float>(x, y, f32);
    else if (from == D::kU8 && to == D::kI32) Convert<uint8_t, int32_t>(x, y, i32);
    else throw std::invalid_argument("cast between equal types");
    return Napi::Boolean::New(info.Env(), true);
  });
}

template <typename F>
void Zip(const float* dy, const float* v, float* out, int64_t n, const F& f) {
  ParallelRange(n, kMemThreshold, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) out[i] = f(dy[i], v[i]);
  });
}

// activationGrad(op, dy, xOrY, out, alpha): each the same arithmetic as tfjs's gradient
// (the op sequence of tfjs-core/src/gradients/<Op>_grad.ts) in one pass.
Napi::Value ActivationGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "activationGrad", [&]() -> Napi::Value {
    const int op = static_cast<int>(Int(info[0]));
    const View dyv = ViewOf(info[1]), vv = ViewOf(info[2]), ov = ViewOf(info[3]);
    if (dyv.length != vv.length || dyv.length != ov.length) throw std::invalid_argument("sizes differ");
    const float* dy = dyv.As<float>();
    const float* v = vv.As<float>();
    float* out = ov.As<float>();
    const int64_t n = ov.length;
    const float alpha = static_cast<float>(Num(info[4]));
    switch (op) {
      case kReluGrad:  // dy * step(x)
        Zip(dy, v, out, n, [](float d, float x) { return d * (x > 0 ? 1.f : (x != x ? x : 0.f)); });
        break;
      case kRelu6Grad:  // dy * ((x <= 6) * step(x))
        Zip(dy, v, out, n, [](float d, float x) {
          return d * (x != x ? x : ((x > 0 && x <= 6) ? 1.f : 0.f));
        });
        break;
      case kLeakyReluGrad:  // where(x > 0, dy, dy * alpha)
        Zip(dy, v, out, n, [alpha](float d, float x) { return x > 0 ? d : d * alpha; });
        break;
      case kSigmoidGrad:  // dy * (y * (1 - y))
        Zip(dy, v, out, n, [](float d, float y) { return d * (y * (1.f - y)); });
        break;
      case kTanhGrad:  // (1 - y²) * dy
        Zip(dy, v, out, n, [](float d, float y) { return (1.f - y * y) * d; });
        break;
      case kEluGrad:  // y >= 0 ? dy : dy * (y + 1), in double as the cpu kernel
        Zip(dy, v, out, n, [](float d, float y) {
          return y >= 0 ? d : static_cast<float>(double{d} * (double{y} + 1.0));
        });
        break;
      case kSquareGrad:  // dy * (x * 2)
        Zip(dy, v, out, n, [](float d, float x) { return d * (x * 2.f); });
        break;
      default: throw std::invalid_argument("unknown gradient op code " + std::to_string(op));
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitEltwise(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"unary", UnaryJs}, {"cast", Cast},
                               {"activationGrad", ActivationGrad}});
}

}  // namespace dlpipe
