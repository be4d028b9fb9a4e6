// Fused activations (tfjs's _FusedMatMul / FusedConv2D `activation`) as oneDNN eltwise post-ops.
#pragma once
#include "common.h"

namespace dlpipe {

// Codes shared with the TypeScript side (kernels/activation.ts).
enum Activation { kLinear = 0, kRelu = 1, kRelu6 = 2, kElu = 3, kSigmoid = 4, kLeakyRelu = 5 };

inline dnnl::primitive_attr ActivationAttr(int act, float alpha) {
  dnnl::primitive_attr attr;
  if (act == kLinear) return attr;
  dnnl::post_ops ops;
  switch (act) {
    case kRelu: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f); break;
    case kRelu6: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, 0.f, 6.f); break;
    case kElu: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_elu, 1.f, 0.f); break;
    case kSigmoid: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_logistic, 0.f, 0.f); break;
    case kLeakyRelu: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, alpha, 0.f); break;
    default: throw std::invalid_argument("unknown activation code " + std::to_string(act));
  }
  attr.set_post_ops(ops);
  return attr;
}

}  // namespace dlpipe
