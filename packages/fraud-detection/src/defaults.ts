/**
 * `{ ...defaults, ...options }` lets an explicit `undefined` (e.g. `k: opts.k` forwarded from a caller who left it
 * out) wipe out a default. This merge keeps the default wherever the option is undefined.
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out as D & O;
}
