// Shared helpers for dlpipe's native kernels: the oneDNN engine and stream, a primitive cache,
// argument access and errors. Every kernel reads its inputs from JS typed arrays (zero-copy),
// writes into an output typed array the caller allocated, and keeps no pointer after returning.
#pragma once
#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

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

// Reads an array of integers (a JS number[]) into a vector.
std::vector<int64_t> Ints(const Napi::Value& v);

// Runs fn, turning C++ and oneDNN exceptions into a JS Error naming the kernel.
Napi::Value Guard(const Napi::CallbackInfo& info, const char* kernel,
                  const std::function<Napi::Value()>& fn);

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

// Registration hooks of each kernel group.
void InitMatMul(Napi::Env env, Napi::Object exports);
void InitConv(Napi::Env env, Napi::Object exports);
void InitOptim(Napi::Env env, Napi::Object exports);
void InitPool(Napi::Env env, Napi::Object exports);
void InitBatchNorm(Napi::Env env, Napi::Object exports);
void InitBatchNormTrain(Napi::Env env, Napi::Object exports);
void InitLayout(Napi::Env env, Napi::Object exports);
void InitGather(Napi::Env env, Napi::Object exports);
void InitEltwise(Napi::Env env, Napi::Object exports);
void InitBinary(Napi::Env env, Napi::Object exports);
void InitReduce(Napi::Env env, Napi::Object exports);
void InitSoftmax(Napi::Env env, Napi::Object exports);

}  // namespace dlpipe
