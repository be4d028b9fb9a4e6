{
  "targets": [
    {
      "target_name": "dlpipe_native",
      "sources": [
        "src/addon.cc",
        "src/matmul.cc",
        "src/conv.cc",
        "src/optim.cc",
        "src/pool.cc",
        "src/batchnorm.cc",
        "src/batchnorm-train.cc",
        "src/layout.cc",
        "src/gather.cc",
        "src/eltwise.cc",
        "src/binary.cc",
        "src/reduce.cc",
        "src/softmax.cc",
        "src/gru-sequence.cc",
        "src/lstm-sequence.cc",
        "src/layernorm.cc",
        "src/dropout.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "/usr/include"],
      "libraries": ["-ldnnl", "-lgomp"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O3", "-march=native", "-fopenmp", "-fexceptions"],
      "cflags_cc!": ["-fno-exceptions"]
    }
  ]
}
