import * as core from '@actions/core';

const registered = new Set<string>();

/**
 * Masks a secret in the runner's log before its first use, and remembers it so that text the
 * action writes itself (the job summary) is redacted too: the runner masks logs, not files.
 */
export function maskSecret(value: string): void {
  if (value === '') return;
  registered.add(value);
  core.setSecret(value);
}

/**
 * The text with every registered secret replaced by `***`; with `escape`, also each secret as that
 * escape writes it (a summary holds values escaped, so a secret with a `_` appears as `\_`).
 */
export function redact(text: string, escape?: (value: string) => string): string {
  // In escaped text the stars are escaped too, so they read as *** and never as emphasis.
  const stars = escape?.('***') ?? '***';
  let out = text;
  for (const secret of registered) {
    out = out.split(secret).join(stars);
    const escaped = escape?.(secret);
    if (escaped !== undefined && escaped !== secret) out = out.split(escaped).join(stars);
  }
  return out;
}
