/** Kept for imports written before the service moved into `elastic-beanstalk/`: its pure timing rules. */
export * from './elastic-beanstalk/timing';
