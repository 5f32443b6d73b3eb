export interface ErrorMetrics {
  readonly mae: number;
  readonly rmse: number;
  readonly r2: number;
}

export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) || 1 };
}

export function errorMetrics(actual: readonly number[], predicted: ArrayLike<number>): ErrorMetrics {
  let absolute = 0;
  let squared = 0;
  actual.forEach((value, i) => {
    const error = value - (predicted[i] ?? Number.NaN);
    absolute += Math.abs(error);
    squared += error * error;
  });
  const { std } = meanAndStd(actual);
  return {
    mae: absolute / actual.length,
    rmse: Math.sqrt(squared / actual.length),
    r2: 1 - squared / actual.length / (std * std),
  };
}
