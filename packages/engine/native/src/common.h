// Shared helpers for dlpipe's native kernels: the oneDNN engine and stream, a primitive cache,
// argument access and errors. Every kernel reads its inputs from JS typed arrays (zero-copy),
// writes into an output typed array the caller allocated, and keeps no pointer after returning.
#pragma once
#include <napi.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

namespace dlpipe {

dnnl::engine& Engine();
dnnl::stream& Stream();

// A small cache of objects (primitive + memory descs) keyed by a string built from the kernel
// name and every shape/attribute, so repeated steps skip primitive creation.
template <typename T>
std::shared_ptr<T> Cached(const std::string& key, const std::function<std::shared_ptr<T>()>& make) {
  static std::unordered_map<std::string, std::shared_ptr<T>> cache;
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  if (cache.size() > 2048) cache.clear();
  auto v = make();
  cache.emplace(key, v);
  return v;
}

inline float* F32(const Napi::Value& v) { return v.As<Napi::Float32Array>().Data(); }
inline int32_t* I32(const Napi::Value& v) { return v.As<Napi::Int32Array>().Data(); }
inline int64_t Int(const Napi::Value& v) { return v.As<Napi::Number>().Int64Value(); }
inline double Num(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }
inline bool Bool(const Napi::Value& v) { return v.As<Napi::Boolean>().Value(); }

// A typed array's element type, storage (byte offset applied) and length in elements.
struct TypedArray {
  napi_typedarray_type type;
  void* data;
  size_t length;
};

// The typed array `v`, or std::invalid_argument when it is none.
inline TypedArray TypedArrayOf(const Napi::Value& v) {
  TypedArray out{};
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(v.Env(), v, &out.type, &out.length, &out.data, &buffer, &offset) != napi_ok) {
    throw std::invalid_argument("expected a typed array");
  }
  return out;
}

// Rows of a float32 array laid out [rows, C] (channels last).
inline int64_t RowsOf(const Napi::Value& v, int64_t C) {
  return static_cast<int64_t>(v.As<Napi::Float32Array>().ElementLength()) / C;
}

// Reads an array of integers (a JS number[]) into a vector.
std::vector<int64_t> Ints(const Napi::Value& v);

// Runs fn, turning C++ and oneDNN exceptions into a JS Error naming the kernel.
Napi::Value Guard(const Napi::CallbackInfo& info, const char* kernel,
                  const std::function<Napi::Value()>& fn);

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

// One kernel as JS sees it: its name on the addon and its function.
struct KernelExport {
  const char* name;
  Napi::Value (*fn)(const Napi::CallbackInfo&);
};

// Sets each kernel of a group on the addon's exports.
inline void ExportKernels(Napi::Env env, Napi::Object exports, std::initializer_list<KernelExport> kernels) {
  for (const KernelExport& k : kernels) exports.Set(k.name, Napi::Function::New(env, k.fn));
}

// Registration hooks of each kernel group: `void InitConv(Napi::Env env, Napi::Object exports)`.
using InitGroup = void(Napi::Env env, Napi::Object exports);
InitGroup InitMatMul, InitConv, InitOptim, InitPool, InitBatchNorm, InitBatchNormTrain, InitLayout,
    InitGather, InitEltwise, InitBinary, InitReduce, InitSoftmax, InitGruSequence,
    InitLstmSequence, InitLayerNorm, InitDropout;

}  // namespace dlpipe
