export interface Call {
  readonly service: string;
  readonly operation: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Virtual time of the call, ISO 8601. */
  readonly time: string;
  /** True when the simulator does not model the call and passed it on upstream (params are then not read). */
  readonly forwarded: boolean;
}

export interface CallFilter {
  readonly service?: string;
  readonly operation?: string;
}

/** Every request the simulator saw, in order, so tests can assert what an action asked AWS to do. */
export class CallLog {
  private calls: Call[] = [];

  record(call: Call): void {
    this.calls.push(call);
  }

  list(filter: CallFilter = {}): Call[] {
    return this.calls.filter(
      (call) =>
        (filter.service === undefined || call.service === filter.service) &&
        (filter.operation === undefined || call.operation === filter.operation),
    );
  }

  clear(): void {
    this.calls = [];
  }
}
