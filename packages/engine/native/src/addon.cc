// The dlpipe_native addon: oneDNN kernels for the `native` tfjs backend, plus thread control.
#include <omp.h>

#include "common.h"

namespace dlpipe {

dnnl::engine& Engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

dnnl::stream& Stream() {
  static dnnl::stream s(Engine());
  return s;
}

std::vector<int64_t> Ints(const Napi::Value& v) {
  auto a = v.As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) out[i] = a.Get(i).As<Napi::Number>().Int64Value();
  return out;
}

Napi::Value Guard(const Napi::CallbackInfo& info, const char* kernel,
                  const std::function<Napi::Value()>& fn) {
  try {
    return fn();
  } catch (const dnnl::error& e) {
    Napi::Error::New(info.Env(), std::string("native ") + kernel + ": oneDNN: " + e.what())
        .ThrowAsJavaScriptException();
  } catch (const std::exception& e) {
    Napi::Error::New(info.Env(), std::string("native ") + kernel + ": " + e.what())
        .ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}

static Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  int n = static_cast<int>(Int(info[0]));
  if (n > 0) omp_set_num_threads(n);
  return Napi::Number::New(info.Env(), omp_get_max_threads());
}

static Napi::Value Info(const Napi::CallbackInfo& info) {
  auto o = Napi::Object::New(info.Env());
  const dnnl_version_t* v = dnnl_version();
  o.Set("onednn", std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                      std::to_string(v->patch));
  o.Set("threads", omp_get_max_threads());
  o.Set("isa", static_cast<int>(dnnl::get_effective_cpu_isa()));
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  ExportKernels(env, exports, {{"setThreads", SetThreads}, {"info", Info}});
  for (InitGroup* init : {InitMatMul, InitConv, InitOptim, InitPool, InitBatchNorm, InitBatchNormTrain,
                          InitLayout, InitGather, InitEltwise, InitBinary, InitReduce, InitSoftmax,
                          InitGruSequence, InitLstmSequence, InitLayerNorm,
                          InitDropout}) {
    init(env, exports);
  }
  return exports;
}

}  // namespace dlpipe

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return dlpipe::Init(env, exports); }

NODE_API_MODULE(dlpipe_native, InitAddon)
