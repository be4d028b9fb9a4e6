// Elementwise binary kernels with numpy broadcasting (Add … Prelu), Select and AddN, as tight
// vectorizable loops over a BroadcastPlan: one loop handles every broadcast pattern (scalar,
// rank mismatch, both sides broadcasting), int32 and bool operands and bool outputs, which
// oneDNN's binary primitive (src1-only broadcasting, no int32 arithmetic) does not, at memory
// speed. Results match tfjs's cpu kernels (JS numbers): Maximum/Minimum propagate NaN, int32
// arithmetic converts as JS does (ToInt32 of the double result), FloorDiv gives int32 with x/0 → 0.
//
//   binary(op, a, aShape, b, bShape, out, outShape)   // op: BinaryOp code (kernels/binary.ts)
#include <cmath>

#include "broadcast.h"
#include "typed.h"

namespace dlpipe {
namespace {

// Codes shared with the TypeScript side (kernels/binary.ts).
enum BinaryOp {
  kAdd = 0, kSub, kMul, kDiv, kMax, kMin, kSqDiff, kPow, kFloorDiv,
  kGreater, kGreaterEqual, kLess, kLessEqual, kEqual, kNotEqual, kLogicalAnd, kLogicalOr, kPrelu
};

inline int32_t Wrap(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }

struct Add {
  static float F(float a, float b) { return a + b; }
  static int32_t F(int32_t a, int32_t b) { return Wrap(int64_t{a} + b); }
};
struct Sub {
  static float F(float a, float b) { return a - b; }
  static int32_t F(int32_t a, int32_t b) { return Wrap(int64_t{a} - b); }
};
struct Mul {  // int32: the product in double (rounded above 2^53), then ToInt32, as JS
  static float F(float a, float b) { return a * b; }
  static int32_t F(int32_t a, int32_t b) { return ToInt32(static_cast<double>(a) * static_cast<double>(b)); }
};
struct Div {
  static float F(float a, float b) { return a / b; }
};
struct Max {  // Math.max: NaN wins
  static float F(float a, float b) { return (a > b || a != a) ? a : b; }
  static int32_t F(int32_t a, int32_t b) { return a > b ? a : b; }
};
struct Min {
  static float F(float a, float b) { return (a < b || a != a) ? a : b; }
  static int32_t F(int32_t a, int32_t b) { return a < b ? a : b; }
};
struct SqDiff {
  static float F(float a, float b) {
    const double d = static_cast<double>(a) - b;
    return static_cast<float>(d * d);
  }
  static int32_t F(int32_t a, int32_t b) {
    const double d = static_cast<double>(a) - static_cast<double>(b);
    return ToInt32(d * d);
  }
};
struct Pow {
  static float F(float a, float b) { return static_cast<float>(std::pow(static_cast<double>(a), static_cast<double>(b))); }
};
struct FloorDiv {  // Math.floor(a / b) stored in an Int32Array
  static int32_t F(float a, float b) { return ToInt32(std::floor(static_cast<double>(a) / static_cast<double>(b))); }
  static int32_t F(int32_t a, int32_t b) {
    if (b == 0) return 0;
    const int64_t q = int64_t{a} / b, r = int64_t{a} % b;
    return Wrap((r != 0 && ((r < 0) != (b < 0))) ? q - 1 : q);
  }
};
struct Greater { template <typename T> static uint8_t F(T a, T b) { return a > b; } };
struct GreaterEqual { template <typename T> static uint8_t F(T a, T b) { return a >= b; } };
struct Less { template <typename T> static uint8_t F(T a, T b) { return a < b; } };
struct LessEqual { template <typename T> static uint8_t F(T a, T b) { return a <= b; } };
struct Equal { template <typename T> static uint8_t F(T a, T b) { return a == b; } };
struct NotEqual { template <typename T> static uint8_t F(T a, T b) { return a != b; } };
struct LogicalAnd { static uint8_t F(uint8_t a, uint8_t b) { return (a && b) ? 1 : 0; } };
struct LogicalOr { static uint8_t F(uint8_t a, uint8_t b) { return (a || b) ? 1 : 0; } };
struct Prelu {  // x < 0 ? alpha * x : x
  static float F(float x, float alpha) { return x < 0 ? alpha * x : x; }
};

template <typename Op, typename T, typename O>
void Inner(const T* a, int64_t sa, const T* b, int64_t sb, O* o, int64_t n) {
  if (sa && sb) {
    for (int64_t i = 0; i < n; i++) o[i] = Op::F(a[i], b[i]);
  } else if (sa) {
    const T bv = *b;
    for (int64_t i = 0; i < n; i++) o[i] = Op::F(a[i], bv);
  } else if (sb) {
    const T av = *a;
    for (int64_t i = 0; i < n; i++) o[i] = Op::F(av, b[i]);
  } else {
    const O v = Op::F(*a, *b);
    for (int64_t i = 0; i < n; i++) o[i] = v;
  }
}

// [rows, n] with one operand a repeated row of n values (an NHWC bias: n channels) when n is
// short: the row tiled to ~64 values, so the walk makes one long vectorizable run per k rows
// instead of a call per row. False when the plan is not of that shape.
template <typename Op, typename T, typename O>
bool RunTiledRow(const BroadcastPlan& p, const T* A, const T* B, O* Out, int64_t threshold) {
  if (p.rank != 2 || p.dim[1] >= kWideRun) return false;
  const int64_t n = p.dim[1];
  const bool bRow = p.sb[0] == 0 && p.sb[1] == 1 && p.sa[0] == n && p.sa[1] == 1;
  const bool aRow = p.sa[0] == 0 && p.sa[1] == 1 && p.sb[0] == n && p.sb[1] == 1;
  if (!aRow && !bRow) return false;
  const int64_t W = (kWideRun / n) * n, chunks = (p.total + W - 1) / W;
  std::vector<T> tile(W);
  for (int64_t j = 0; j < W; j++) tile[j] = (bRow ? B : A)[j % n];
  ParallelRange(chunks, std::max<int64_t>(1, threshold / W), [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; c++) {
      const int64_t off = c * W, len = std::min(W, p.total - off);
      if (bRow) Inner<Op, T, O>(A + off, 1, tile.data(), 1, Out + off, len);
      else Inner<Op, T, O>(tile.data(), 1, B + off, 1, Out + off, len);
    }
  });
  return true;
}

template <typename Op, typename T, typename O>
void Run(const BroadcastPlan& p, const View& a, const View& b, const View& out, int64_t threshold) {
  const T* A = a.As<T>();
  const T* B = b.As<T>();
  O* Out = out.As<O>();
  if (RunTiledRow<Op, T, O>(p, A, B, Out, threshold)) return;
  ParallelRange(p.total, threshold, [&](int64_t begin, int64_t end) {
    p.Walk(begin, end, [&](int64_t ai, int64_t bi, int64_t oi, int64_t n, int64_t sa, int64_t sb) {
      Inner<Op, T, O>(A + ai, sa, B + bi, sb, Out + oi, n);
    });
  });
}

// Arithmetic defined for float32 and int32 (output of the input's type).
template <typename Op>
void Arith(const BroadcastPlan& p, const View& a, const View& b, const View& o) {
  if (a.dtype == DType::kI32) return Run<Op, int32_t, int32_t>(p, a, b, o, kMemThreshold);
  Run<Op, float, float>(p, a, b, o, kMemThreshold);
}

template <typename Op>
void Compare(const BroadcastPlan& p, const View& a, const View& b, const View& o) {
  if (a.dtype == DType::kI32) return Run<Op, int32_t, uint8_t>(p, a, b, o, kMemThreshold);
  if (a.dtype == DType::kU8) return Run<Op, uint8_t, uint8_t>(p, a, b, o, kMemThreshold);
  Run<Op, float, uint8_t>(p, a, b, o, kMemThreshold);
}

void Dispatch(int op, const BroadcastPlan& p, const View& a, const View& b, const View& o) {
  switch (op) {
    case kAdd: return Arith<Add>(p, a, b, o);
    case kSub: return Arith<Sub>(p, a, b, o);
    case kMul: return Arith<Mul>(p, a, b, o);
    case kDiv: return Run<Div, float, float>(p, a, b, o, kMemThreshold);
    case kMax: return Arith<Max>(p, a, b, o);
    case kMin: return Arith<Min>(p, a, b, o);
    case kSqDiff: return Arith<SqDiff>(p, a, b, o);
    case kPow: return Run<Pow, float, float>(p, a, b, o, kComputeThreshold);
    case kFloorDiv:
      if (a.dtype == DType::kI32) return Run<FloorDiv, int32_t, int32_t>(p, a, b, o, kMemThreshold);
      return Run<FloorDiv, float, int32_t>(p, a, b, o, kComputeThreshold);
    case kGreater: return Compare<Greater>(p, a, b, o);
    case kGreaterEqual: return Compare<GreaterEqual>(p, a, b, o);
    case kLess: return Compare<Less>(p, a, b, o);
    case kLessEqual: return Compare<LessEqual>(p, a, b, o);
    case kEqual: return Compare<Equal>(p, a, b, o);
    case kNotEqual: return Compare<NotEqual>(p, a, b, o);
    case kLogicalAnd: return Run<LogicalAnd, uint8_t, uint8_t>(p, a, b, o, kMemThreshold);
    case kLogicalOr: return Run<LogicalOr, uint8_t, uint8_t>(p, a, b, o, kMemThreshold);
    case kPrelu: return Run<Prelu, float, float>(p, a, b, o, kMemThreshold);
    default: throw std::invalid_argument("unknown binary op code " + std::to_string(op));
  }
}

// binary(op, a, aShape, b, bShape, out, outShape)
Napi::Value Binary(const Napi::CallbackInfo& info) {
  return Guard(info, "binary", [&]() -> Napi::Value {
    const int op = static_cast<int>(Int(info[0]));
    const View a = ViewOf(info[1]), b = ViewOf(info[3]), o = ViewOf(info[5]);
    BroadcastPlan p(Ints(info[2]), Ints(info[4]), Ints(info[6]));
    if (o.length != p.total) throw std::invalid_argument("output size does not match its shape");
    Dispatch(op, p, a, b, o);
    return info.Env().Undefined();
  });
}

template <typename T>
void SelectT(const uint8_t* c, const View& t, const View& e, const View& o) {
  const T* tv = t.As<T>();
  const T* ev = e.As<T>();
  T* ov = o.As<T>();
  ParallelRange(o.length, kMemThreshold, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) ov[i] = c[i] ? tv[i] : ev[i];
  });
}

// select(condition, t, e, out): out[i] = condition[i] ? t[i] : e[i], all of one size.
Napi::Value Select(const Napi::CallbackInfo& info) {
  return Guard(info, "Select", [&]() -> Napi::Value {
    const View c = ViewOf(info[0]), t = ViewOf(info[1]), e = ViewOf(info[2]), o = ViewOf(info[3]);
    if (t.length != o.length || e.length != o.length || c.length != o.length) {
      throw std::invalid_argument("condition, t, e and out sizes disagree");
    }
    const uint8_t* cv = c.As<uint8_t>();
    if (o.dtype == DType::kI32) SelectT<int32_t>(cv, t, e, o);
    else if (o.dtype == DType::kU8) SelectT<uint8_t>(cv, t, e, o);
    else SelectT<float>(cv, t, e, o);
    return info.Env().Undefined();
  });
}

// addN([x0, x1, …], out): float32 sum in order, as the cpu kernel.
Napi::Value AddN(const Napi::CallbackInfo& info) {
  return Guard(info, "AddN", [&]() -> Napi::Value {
    auto list = info[0].As<Napi::Array>();
    const View o = ViewOf(info[1]);
    float* out = o.As<float>();
    std::vector<const float*> xs(list.Length());
    for (uint32_t i = 0; i < list.Length(); i++) {
      const View x = ViewOf(list.Get(i));
      if (x.length != o.length) throw std::invalid_argument("AddN inputs differ in size");
      xs[i] = x.As<float>();
    }
    ParallelRange(o.length, kMemThreshold, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; i++) out[i] = 0.f;
      for (const float* x : xs) {
        for (int64_t i = begin; i < end; i++) out[i] += x[i];
      }
    });
    return info.Env().Undefined();
  });
}

}  // namespace

void InitBinary(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"binary", Binary}, {"select", Select}, {"addN", AddN}});
}

}  // namespace dlpipe
