// Conv2D forward (with fused bias + activation), backward data and backward weights on oneDNN,
// for regular and grouped (depthwise) convolutions, NHWC or NCHW activations, tfjs weight layouts
// ([kh, kw, in, out], depthwise [kh, kw, in, multiplier]). Weights are reordered to whatever format
// oneDNN's fastest implementation asks for, and back.
#include <algorithm>
#include <sstream>

#include "common.h"
#include "fused.h"

namespace dlpipe {
namespace {

using dims = dnnl::memory::dims;

// geom: [N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G, NCHW]
struct Geom {
  int64_t N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G;
  bool nchw;
  explicit Geom(const std::vector<int64_t>& g) {
    if (g.size() != 19) throw std::invalid_argument("conv geometry must have 19 numbers");
    N = g[0]; IH = g[1]; IW = g[2]; IC = g[3]; OH = g[4]; OW = g[5]; OC = g[6]; KH = g[7];
    KW = g[8]; SH = g[9]; SW = g[10]; DH = g[11]; DW = g[12]; PT = g[13]; PL = g[14];
    PB = g[15]; PR = g[16]; G = g[17]; nchw = g[18] != 0;
  }
  std::string Key() const {
    std::ostringstream k;
    for (auto v : {N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G})
      k << v << ',';
    k << nchw;
    return k.str();
  }
  tag act() const { return nchw ? tag::nchw : tag::nhwc; }
  dnnl::memory::desc Src(tag t) const { return {dims{N, IC, IH, IW}, dt::f32, t}; }
  dnnl::memory::desc Dst(tag t) const { return {dims{N, OC, OH, OW}, dt::f32, t}; }
  dnnl::memory::desc Wei(tag t) const {
    if (G > 1) return {dims{G, OC / G, IC / G, KH, KW}, dt::f32, t};
    return {dims{OC, IC, KH, KW}, dt::f32, t};
  }
  tag userWei() const { return G > 1 ? tag::hwigo : tag::hwio; }
  dims strides() const { return {SH, SW}; }
  dims dil() const { return {DH - 1, DW - 1}; }
  dims padL() const { return {PT, PL}; }
  dims padR() const { return {PB, PR}; }
  dnnl::convolution_forward::desc FwdDesc(bool bias) const {
    auto any = tag::any;
    if (bias) {
      return {dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, Src(act()),
              Wei(any), dnnl::memory::desc(dims{OC}, dt::f32, tag::x), Dst(act()), strides(),
              dil(), padL(), padR()};
    }
    return {dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, Src(act()),
            Wei(any), Dst(act()), strides(), dil(), padL(), padR()};
  }
};

// A reorder between the user's weight layout and the primitive's, when they differ, with the
// reordered copies of the last few weight tensors it saw. A copy is found by the tensor's data id,
// which the JS side passes (tfjs never changes a tensor's values under the same id, and never
// reuses an id), so inference with fixed weights reorders each filter once, not on every call;
// training, whose weights are new tensors every step, reuses the copies' memory instead of
// allocating (and page-faulting) megabytes per call. Id 0 means unknown: always reordered.
struct WeightMove {
  bool needed = false;
  dnnl::memory::desc inner;
  dnnl::reorder prim;
  std::vector<std::pair<double, dnnl::memory>> copies;  // most recent first
};

// Copies kept per plan: the convolutions of one geometry in a network (ResNet-18 has up to four).
constexpr size_t kWeightCopies = 6;

WeightMove MakeMove(const dnnl::memory::desc& from, const dnnl::memory::desc& to) {
  WeightMove m;
  m.inner = to;
  m.needed = from != to;
  if (m.needed) m.prim = dnnl::reorder(dnnl::reorder::primitive_desc(Engine(), from, Engine(), to));
  return m;
}

// The weights as the primitive wants them: the user's array itself, or a reordered copy.
dnnl::memory PrepareWeights(WeightMove& move, const dnnl::memory::desc& user, float* data, double id) {
  dnnl::memory userW(user, Engine(), data);
  if (!move.needed) return userW;
  auto& c = move.copies;
  for (size_t i = 0; i < c.size(); i++) {
    if (id != 0 && c[i].first == id) {
      std::rotate(c.begin(), c.begin() + i, c.begin() + i + 1);
      return c.front().second;
    }
  }
  dnnl::memory w;
  if (c.size() < kWeightCopies) {
    w = dnnl::memory(move.inner, Engine());
    c.insert(c.begin(), {id, w});
  } else {  // reuse the least recent copy's memory
    std::rotate(c.begin(), c.end() - 1, c.end());
    c.front().first = id;
    w = c.front().second;
  }
  move.prim.execute(Stream(), userW, w);
  return w;
}

struct FwdPlan {
  dnnl::convolution_forward prim;
  dnnl::memory::desc src, dst, bias;
  WeightMove wei;
};

// conv2d(x, w, out, geom, bias|null, act, alpha, weightsId)
Napi::Value Conv2D(const Napi::CallbackInfo& info) {
  return Guard(info, "Conv2D", [&]() -> Napi::Value {
    Geom g(Ints(info[3]));
    const bool hasBias = info[4].IsTypedArray();
    const int act = static_cast<int>(Int(info[5]));
    const float alpha = static_cast<float>(Num(info[6]));
    std::ostringstream key;
    key << "cf" << g.Key() << hasBias << act << ',' << alpha;
    auto plan = Cached<FwdPlan>(key.str(), [&]() {
      auto p = std::make_shared<FwdPlan>();
      auto pd = dnnl::convolution_forward::primitive_desc(g.FwdDesc(hasBias),
                                                          ActivationAttr(act, alpha), Engine());
      p->prim = dnnl::convolution_forward(pd);
      p->src = g.Src(g.act());
      p->dst = g.Dst(g.act());
      p->bias = dnnl::memory::desc(dims{g.OC}, dt::f32, tag::x);
      p->wei = MakeMove(g.Wei(g.userWei()), pd.weights_desc());
      return p;
    });
    auto& eng = Engine();
    auto& s = Stream();
    dnnl::memory w = PrepareWeights(plan->wei, g.Wei(g.userWei()), F32(info[1]), Num(info[7]));
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_SRC, dnnl::memory(plan->src, eng, F32(info[0]))},
        {DNNL_ARG_WEIGHTS, w},
        {DNNL_ARG_DST, dnnl::memory(plan->dst, eng, F32(info[2]))}};
    if (hasBias) args.emplace(DNNL_ARG_BIAS, dnnl::memory(plan->bias, eng, F32(info[4])));
    plan->prim.execute(s, args);
    s.wait();
    return info.Env().Undefined();
  });
}

struct BwdDataPlan {
  dnnl::convolution_backward_data prim;
  dnnl::memory::desc diffSrc, diffDst;
  WeightMove wei;
};

// conv2dBackpropInput(dy, w, dx, geom, weightsId)
Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo& info) {
  return Guard(info, "Conv2DBackpropInput", [&]() -> Napi::Value {
    Geom g(Ints(info[3]));
    auto plan = Cached<BwdDataPlan>("cbd" + g.Key(), [&]() {
      auto p = std::make_shared<BwdDataPlan>();
      auto hint = dnnl::convolution_forward::primitive_desc(g.FwdDesc(false), Engine());
      dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct,
                                              g.Src(g.act()), g.Wei(tag::any), g.Dst(g.act()),
                                              g.strides(), g.dil(), g.padL(), g.padR());
      auto pd = dnnl::convolution_backward_data::primitive_desc(d, Engine(), hint);
      p->prim = dnnl::convolution_backward_data(pd);
      p->diffSrc = g.Src(g.act());
      p->diffDst = g.Dst(g.act());
      p->wei = MakeMove(g.Wei(g.userWei()), pd.weights_desc());
      return p;
    });
    auto& eng = Engine();
    auto& s = Stream();
    dnnl::memory w = PrepareWeights(plan->wei, g.Wei(g.userWei()), F32(info[1]), Num(info[4]));
    plan->prim.execute(s, {{DNNL_ARG_DIFF_DST, dnnl::memory(plan->diffDst, eng, F32(info[0]))},
                           {DNNL_ARG_WEIGHTS, w},
                           {DNNL_ARG_DIFF_SRC, dnnl::memory(plan->diffSrc, eng, F32(info[2]))}});
    s.wait();
    return info.Env().Undefined();
  });
}

struct BwdWeiPlan {
  dnnl::convolution_backward_weights prim;
  dnnl::memory::desc src, diffDst, inner, user;
  bool needed = false;
  dnnl::reorder back;
  dnnl::memory scratch;  // the primitive's dw, reused from call to call
};

// conv2dBackpropFilter(x, dy, dw, geom)
Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo& info) {
  return Guard(info, "Conv2DBackpropFilter", [&]() -> Napi::Value {
    Geom g(Ints(info[3]));
    auto plan = Cached<BwdWeiPlan>("cbw" + g.Key(), [&]() {
      auto p = std::make_shared<BwdWeiPlan>();
      auto hint = dnnl::convolution_forward::primitive_desc(g.FwdDesc(false), Engine());
      dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct,
                                                 g.Src(g.act()), g.Wei(tag::any), g.Dst(g.act()),
                                                 g.strides(), g.dil(), g.padL(), g.padR());
      auto pd = dnnl::convolution_backward_weights::primitive_desc(d, Engine(), hint);
      p->prim = dnnl::convolution_backward_weights(pd);
      p->src = g.Src(g.act());
      p->diffDst = g.Dst(g.act());
      p->inner = pd.diff_weights_desc();
      p->user = g.Wei(g.userWei());
      p->needed = p->inner != p->user;
      if (p->needed) {
        p->back = dnnl::reorder(dnnl::reorder::primitive_desc(Engine(), p->inner, Engine(), p->user));
        p->scratch = dnnl::memory(p->inner, Engine());
      }
      return p;
    });
    auto& eng = Engine();
    auto& s = Stream();
    dnnl::memory userDw(plan->user, eng, F32(info[2]));
    dnnl::memory dw = plan->needed ? plan->scratch : userDw;
    plan->prim.execute(s, {{DNNL_ARG_SRC, dnnl::memory(plan->src, eng, F32(info[0]))},
                           {DNNL_ARG_DIFF_DST, dnnl::memory(plan->diffDst, eng, F32(info[1]))},
                           {DNNL_ARG_DIFF_WEIGHTS, dw}});
    if (plan->needed) plan->back.execute(s, dw, userDw);
    s.wait();
    return info.Env().Undefined();
  });
}

}  // namespace

void InitConv(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"conv2d", Conv2D}, {"conv2dBackpropInput", Conv2DBackpropInput},
                               {"conv2dBackpropFilter", Conv2DBackpropFilter}});
}

}  // namespace dlpipe
