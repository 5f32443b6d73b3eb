/**
 * Replaces registered secret values with `***`, the way the runner's log masker does.
 * Besides the raw value it also masks the encodings a secret commonly leaks in (base64,
 * JSON string, URI component, with surrounding double quotes trimmed), and each line of a
 * multi-line secret, because the log is masked one line at a time.
 */
export const MASK = '***';

export class SecretMasker {
  private readonly raw: string[] = [];
  private readonly patterns = new Set<string>();

  /** Returns false (and registers nothing) for empty or whitespace-only values. */
  add(value: string): boolean {
    if (value.trim() === '') return false;
    this.raw.push(value);
    for (const variant of variantsOf(value)) {
      if (variant.trim() !== '') this.patterns.add(variant);
    }
    return true;
  }

  values(): string[] {
    return [...this.raw];
  }

  mask(text: string): string {
    if (this.patterns.size === 0 || text === '') return text;
    const ranges: Array<[number, number]> = [];
    for (const pattern of this.patterns) {
      let from = text.indexOf(pattern);
      while (from >= 0) {
        ranges.push([from, from + pattern.length]);
        from = text.indexOf(pattern, from + 1);
      }
    }
    if (ranges.length === 0) return text;
    // Overlapping or touching matches become one `***`, so no fragment of a secret survives
    // between two replacements.
    ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let out = '';
    let cursor = 0;
    let current: [number, number] | undefined;
    for (const range of ranges) {
      if (current && range[0] <= current[1]) {
        current[1] = Math.max(current[1], range[1]);
        continue;
      }
      if (current) {
        out += text.slice(cursor, current[0]) + MASK;
        cursor = current[1];
      }
      current = [range[0], range[1]];
    }
    if (current) {
      out += text.slice(cursor, current[0]) + MASK;
      cursor = current[1];
    }
    return out + text.slice(cursor);
  }

  maskRecord(record: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) out[key] = this.mask(value);
    return out;
  }
}

function variantsOf(value: string): string[] {
  const variants = [value];
  if (/[\r\n]/.test(value)) variants.push(...value.split(/\r?\n/));
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) variants.push(json);
  const uri = encodeURIComponent(value);
  if (uri !== value) variants.push(uri);
  const base64 = Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, '');
  // Short secrets encode to short base64 strings that would mask ordinary words.
  if (base64.length >= 8) variants.push(base64);
  const unquoted = value.replace(/^"+|"+$/g, '');
  if (unquoted !== value) variants.push(unquoted);
  return variants;
}
