// 2-D pooling for the `native` backend, NHWC: MaxPool and AvgPool forward and AvgPoolGrad on
// oneDNN's pooling primitives (cached per geometry); MaxPoolGrad as a tight loop that routes each
// dy to the first strict maximum of its window, as tfjs's cpu kernel does (no workspace needed).
//
//   addon.maxPool(x, out, geom);  // geom: [N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR]
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <sstream>

#include "common.h"

namespace dlpipe {
namespace {

using dims = dnnl::memory::dims;

struct PoolGeom {
  int64_t N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR;
  explicit PoolGeom(const std::vector<int64_t>& g) {
    if (g.size() != 14) throw std::invalid_argument("pool geometry must have 14 numbers");
    N = g[0]; IH = g[1]; IW = g[2]; C = g[3]; OH = g[4]; OW = g[5]; KH = g[6]; KW = g[7];
    SH = g[8]; SW = g[9]; PT = g[10]; PL = g[11]; PB = g[12]; PR = g[13];
  }
  std::string Key() const {
    std::ostringstream k;
    for (auto v : {N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR}) k << v << ',';
    return k.str();
  }
  dnnl::memory::desc Src() const { return {dims{N, C, IH, IW}, dt::f32, tag::nhwc}; }
  dnnl::memory::desc Dst() const { return {dims{N, C, OH, OW}, dt::f32, tag::nhwc}; }
  dnnl::pooling_forward::desc Fwd(dnnl::prop_kind prop, dnnl::algorithm alg) const {
    return {prop, alg, Src(), Dst(), dims{SH, SW}, dims{KH, KW}, dims{PT, PL}, dims{PB, PR}};
  }
};

struct FwdPlan {
  dnnl::pooling_forward prim;
  dnnl::memory::desc src, dst;
};

// Forward pooling with algorithm `alg` (max, or average excluding padding as tfjs's AvgPool).
Napi::Value PoolForward(const Napi::CallbackInfo& info, const char* name, dnnl::algorithm alg) {
  return Guard(info, name, [&]() -> Napi::Value {
    PoolGeom g(Ints(info[2]));
    auto plan = Cached<FwdPlan>(std::string(name) + g.Key(), [&]() {
      auto p = std::make_shared<FwdPlan>();
      auto pd = dnnl::pooling_forward::primitive_desc(g.Fwd(dnnl::prop_kind::forward_inference, alg),
                                                      Engine());
      p->prim = dnnl::pooling_forward(pd);
      p->src = g.Src();
      p->dst = g.Dst();
      return p;
    });
    auto& eng = Engine();
    plan->prim.execute(Stream(), {{DNNL_ARG_SRC, dnnl::memory(plan->src, eng, F32(info[0]))},
                                  {DNNL_ARG_DST, dnnl::memory(plan->dst, eng, F32(info[1]))}});
    Stream().wait();
    return info.Env().Undefined();
  });
}

Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  return PoolForward(info, "MaxPool", dnnl::algorithm::pooling_max);
}

Napi::Value AvgPool(const Napi::CallbackInfo& info) {
  return PoolForward(info, "AvgPool", dnnl::algorithm::pooling_avg_exclude_padding);
}

struct BwdPlan {
  dnnl::pooling_backward prim;
  dnnl::memory::desc diffSrc, diffDst;
};

// avgPoolGrad(dy, dx, geom): tfjs's AvgPoolGrad divides by the full window (KH·KW) even where
// the forward pass excluded padding, so this is oneDNN's include-padding backward.
Napi::Value AvgPoolGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "AvgPoolGrad", [&]() -> Napi::Value {
    PoolGeom g(Ints(info[2]));
    auto plan = Cached<BwdPlan>("AvgPoolGrad" + g.Key(), [&]() {
      auto p = std::make_shared<BwdPlan>();
      const auto alg = dnnl::algorithm::pooling_avg_include_padding;
      auto hint = dnnl::pooling_forward::primitive_desc(g.Fwd(dnnl::prop_kind::forward_training, alg),
                                                        Engine());
      dnnl::pooling_backward::desc d(alg, g.Src(), g.Dst(), dims{g.SH, g.SW}, dims{g.KH, g.KW},
                                     dims{g.PT, g.PL}, dims{g.PB, g.PR});
      p->prim = dnnl::pooling_backward(dnnl::pooling_backward::primitive_desc(d, Engine(), hint));
      p->diffSrc = g.Src();
      p->diffDst = g.Dst();
      return p;
    });
    auto& eng = Engine();
    plan->prim.execute(Stream(), {{DNNL_ARG_DIFF_DST, dnnl::memory(plan->diffDst, eng, F32(info[0]))},
                                  {DNNL_ARG_DIFF_SRC, dnnl::memory(plan->diffSrc, eng, F32(info[1]))}});
    Stream().wait();
    return info.Env().Undefined();
  });
}

constexpr int64_t kBlock = 64;  // channels per task of MaxPoolGrad

// One (image, channel block) of MaxPoolGrad: per output pixel and channel, the first strict
// maximum of the window (row-major) receives dy; -inf/NaN-only windows route nothing.
void MaxPoolGradBlock(const PoolGeom& g, const float* x, const float* dy, float* dx, int64_t b,
                      int64_t c0, int64_t cn) {
  float best[kBlock];
  int64_t pos[kBlock];
  const float* xb = x + b * g.IH * g.IW * g.C;
  float* dxb = dx + b * g.IH * g.IW * g.C;
  // this task is the only writer of its (image, channel block): clear it here, so dx may hold
  // stale values (a reused output) and the clearing runs on every thread
  for (int64_t p = 0; p < g.IH * g.IW; p++) std::fill_n(dxb + p * g.C + c0, cn, 0.f);
  for (int64_t oy = 0; oy < g.OH; oy++) {
    const int64_t wy = oy * g.SH - g.PT;
    const int64_t y0 = std::max<int64_t>(0, wy), y1 = std::min(g.IH, wy + g.KH);
    for (int64_t ox = 0; ox < g.OW; ox++) {
      const int64_t wx = ox * g.SW - g.PL;
      const int64_t x0 = std::max<int64_t>(0, wx), x1 = std::min(g.IW, wx + g.KW);
      for (int64_t c = 0; c < cn; c++) {
        best[c] = -std::numeric_limits<float>::infinity();
        pos[c] = -1;
      }
      for (int64_t iy = y0; iy < y1; iy++) {
        for (int64_t ix = x0; ix < x1; ix++) {
          const int64_t p = iy * g.IW + ix;
          const float* row = xb + p * g.C + c0;
          for (int64_t c = 0; c < cn; c++) {
            if (row[c] > best[c]) {
              best[c] = row[c];
              pos[c] = p;
            }
          }
        }
      }
      const float* dyRow = dy + ((b * g.OH + oy) * g.OW + ox) * g.C + c0;
      for (int64_t c = 0; c < cn; c++) {
        if (pos[c] >= 0) dxb[pos[c] * g.C + c0 + c] += dyRow[c];
      }
    }
  }
}

// maxPoolGrad(x, dy, dx, geom); every element of dx is written (no need to clear it first).
Napi::Value MaxPoolGrad(const Napi::CallbackInfo& info) {
  return Guard(info, "MaxPoolGrad", [&]() -> Napi::Value {
    PoolGeom g(Ints(info[3]));
    const float* x = F32(info[0]);
    const float* dy = F32(info[1]);
    float* dx = F32(info[2]);
    const int64_t blocks = (g.C + kBlock - 1) / kBlock;
    const int64_t tasks = g.N * blocks;
    const bool big = g.N * g.OH * g.OW * g.C * g.KH * g.KW > 32768;
#pragma omp parallel for schedule(static) if (big)
    for (int64_t t = 0; t < tasks; t++) {
      const int64_t b = t / blocks, c0 = (t % blocks) * kBlock;
      MaxPoolGradBlock(g, x, dy, dx, b, c0, std::min(kBlock, g.C - c0));
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void InitPool(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"maxPool", MaxPool}, {"avgPool", AvgPool},
                               {"maxPoolGrad", MaxPoolGrad}, {"avgPoolGrad", AvgPoolGrad}});
}

}  // namespace dlpipe
