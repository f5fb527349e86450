// Rounding that keeps stored summaries from being training values verbatim.

/**
 * [min, max] widened outwards to a grid of two significant digits of the larger magnitude (18..68 stays 18..68;
 * 3..959 becomes 0..960; 0..300,000 stays; 1,234.56..98,765.4 becomes 1,000..99,000), so the stored bounds are not the
 * exact values of the most extreme rows (what a model directory may hold of a column's range). Integer data gives integer bounds.
 */
export function coarseBounds(min: number, max: number): [number, number] {
  const mag = Math.max(Math.abs(min), Math.abs(max));
  if (!(mag > 0)) return [min, max];
  const step = 10 ** (Math.floor(Math.log10(mag)) - 1);
  // Scale by 1/step when step < 1 so that e.g. 0.1-steps stay exact decimals.
  const snap = (v: number, f: (x: number) => number) => (step >= 1 ? f(v / step) * step : f(v * (1 / step)) / (1 / step)) + 0;
  return [Math.min(min, snap(min, Math.floor)), Math.max(max, snap(max, Math.ceil))];
}
