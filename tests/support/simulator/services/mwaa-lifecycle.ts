/** Kept for imports written before the service moved into `mwaa/`: its pure timing rules. */
export * from './mwaa/timing';
