// Helpers for dlpipe's layout kernels (layout.cc, gather.cc): dtype-erased access to a JS typed
// array (float32, int32 and bool tensors move the same way: by element size), and dispatch on
// that size to a template.
//
//   Raw x = RawOf(info[0]);  DispatchSize(x.es, [&](auto t) { using T = decltype(t); ... });
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

#include "common.h"

namespace dlpipe {

// A typed array's first byte (byte offset applied), element size and length.
struct Raw {
  uint8_t* p;
  size_t es;
  size_t n;
};

inline Raw RawOf(const Napi::Value& v) {
  const TypedArray a = TypedArrayOf(v);
  return {static_cast<uint8_t*>(a.data), v.As<Napi::TypedArray>().ElementSize(), a.length};
}

// Calls fn(T{}) with the unsigned integer type whose size is es (1, 2, 4 or 8 bytes).
template <typename Fn>
void DispatchSize(size_t es, Fn&& fn) {
  switch (es) {
    case 1: fn(uint8_t{}); break;
    case 2: fn(uint16_t{}); break;
    case 4: fn(uint32_t{}); break;
    case 8: fn(uint64_t{}); break;
    default: throw std::invalid_argument("unsupported element size " + std::to_string(es));
  }
}

// Elements below which a layout kernel runs on one thread.
constexpr int64_t kLayoutParallel = 32768;

}  // namespace dlpipe
