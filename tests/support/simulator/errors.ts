/** An error the simulated service answers with, in the protocol's own error shape. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    /** Members of the error shape besides the message (ModelError's OriginalStatusCode, …), REST-JSON only. */
    readonly fields: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = code;
  }
}
