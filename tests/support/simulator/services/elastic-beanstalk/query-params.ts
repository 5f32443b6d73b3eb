import { ServiceError } from '../../errors';
import type { Operation } from '../../service';

/** A Query-protocol request's form fields, flat as sent. */
export type Input = Readonly<Record<string, unknown>>;

/** Query lists arrive flat: `Name.member.1`, `Name.member.2`, ... */
export function members(input: Input, name: string): string[] {
  return Object.entries(input)
    .map(([key, value]) => ({ match: new RegExp(`^${name}\\.member\\.(\\d+)$`).exec(key), value }))
    .filter((m) => m.match !== null)
    .sort((a, b) => Number(a.match?.[1]) - Number(b.match?.[1]))
    .map((m) => String(m.value));
}

export function tagMembers(input: Input, name: string): Array<{ Key: string; Value: string }> {
  const tags: Array<{ Key: string; Value: string }> = [];
  for (let i = 1; input[`${name}.member.${i}.Key`] !== undefined; i++) {
    tags.push({
      Key: String(input[`${name}.member.${i}.Key`]),
      Value: String(input[`${name}.member.${i}.Value`] ?? ''),
    });
  }
  return tags;
}

export function text(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function required(input: Input, name: string): string {
  const value = text(input, name);
  if (value === undefined)
    throw new ServiceError('MissingParameter', `The request must contain the parameter ${name}.`);
  return value;
}

export function invalid(message: string): ServiceError {
  return new ServiceError('InvalidParameterValue', message);
}

/** One page of `items` from `NextToken` (an offset), at most `MaxRecords` (1 to 1,000 in the API model) and `cap`. */
export function page<T>(items: readonly T[], input: Input, cap: number): { items: T[]; NextToken?: string } {
  const asked = Number(text(input, 'MaxRecords') ?? cap);
  if (!Number.isInteger(asked) || asked < 1 || asked > 1000) {
    throw new ServiceError(
      'ValidationError',
      `1 validation error detected: Value '${String(input.MaxRecords)}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const size = Math.min(asked, cap);
  const start = Number(text(input, 'NextToken') ?? '0');
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: slice, ...(next !== undefined && { NextToken: next }) };
}

/**
 * A Query operation routed by its `Action`; the holder learns the region each request was signed
 * for, since ARNs and CNAMEs name it.
 */
export function queryOperation(
  holder: { region: string },
  name: string,
  handle: Operation['handle'],
): Operation {
  return {
    name,
    route: { protocol: 'query', action: name },
    handle: (request) => {
      holder.region = request.region;
      return handle(request);
    },
  };
}
