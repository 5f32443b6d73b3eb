export * from './deployments';
export * from './server';
