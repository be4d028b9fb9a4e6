/**
 * Operation codes of the addon's math functions, one table per C++ enum (native/src/eltwise.cc,
 * binary.cc, reduce.cc): the order here must match the enum there.
 *
 *   addon.unary(UNARY_CODES.Sigmoid!, x, out, 0);
 */

/** `UnaryOp` in eltwise.cc, by tfjs kernel name. */
export const UNARY_CODES: Record<string, number> = {
  Relu: 0,
  Relu6: 1,
  Elu: 2,
  LeakyRelu: 3,
  Sigmoid: 4,
  Tanh: 5,
  Softplus: 6,
  Exp: 7,
  Log: 8,
  Log1p: 9,
  Sqrt: 10,
  Rsqrt: 11,
  Square: 12,
  Abs: 13,
  Neg: 14,
  Reciprocal: 15,
  Step: 16,
};

/** `GradOp` in eltwise.cc. */
export const GRAD_CODES = {
  relu: 0,
  relu6: 1,
  leakyRelu: 2,
  sigmoid: 3,
  tanh: 4,
  elu: 5,
  square: 6,
} as const;

/** `BinaryOp` in binary.cc, by tfjs kernel name. */
export const BINARY_CODES: Record<string, number> = {
  Add: 0,
  Sub: 1,
  Multiply: 2,
  RealDiv: 3,
  Maximum: 4,
  Minimum: 5,
  SquaredDifference: 6,
  Pow: 7,
  FloorDiv: 8,
  Greater: 9,
  GreaterEqual: 10,
  Less: 11,
  LessEqual: 12,
  Equal: 13,
  NotEqual: 14,
  LogicalAnd: 15,
  LogicalOr: 16,
  Prelu: 17,
};

/** `ReduceOp` in reduce.cc, by tfjs kernel name. */
export const REDUCE_CODES: Record<string, number> = {
  Sum: 0,
  Mean: 1,
  Max: 2,
  Min: 3,
  Prod: 4,
};
