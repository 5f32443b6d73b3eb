import {
  compilePathTemplate,
  defineService,
  Router,
  type Operation,
  type ServiceModule,
} from '../../support/simulator';

function moduleWith(
  service: string,
  signingName: string,
  operations: Operation[],
): {
  module: ServiceModule;
  operations: Operation[];
} {
  const module = defineService({
    service,
    signingName,
    scenarios: { normal: { description: 'normal' } },
    defaultScenario: 'normal',
    create: () => ({ operations }),
  });
  return { module, operations };
}

const op = (name: string, route: Operation['route']): Operation => ({ name, route, handle: () => ({}) });

const ecs = moduleWith('ecs', 'ecs', [
  op('DescribeServices', { protocol: 'json', target: 'AmazonEC2ContainerServiceV20141113.DescribeServices' }),
]);
const beanstalk = moduleWith('elasticbeanstalk', 'elasticbeanstalk', [
  op('DescribeEvents', { protocol: 'query', action: 'DescribeEvents' }),
]);
const rds = moduleWith('rds', 'rds', [op('DescribeEvents', { protocol: 'query', action: 'DescribeEvents' })]);
const mwaa = moduleWith('mwaa', 'airflow', [
  op('GetEnvironment', { protocol: 'rest-json', method: 'GET', path: '/environments/{Name}' }),
  op('ListEnvironments', { protocol: 'rest-json', method: 'GET', path: '/environments' }),
  op('GetObject', { protocol: 'rest-json', method: 'GET', path: '/files/{Key+}' }),
]);
const router = new Router([ecs, beanstalk, rds, mwaa]);

describe('compilePathTemplate', () => {
  it.each([
    ['/environments/{Name}', '/environments/prod', ['prod']],
    ['/environments/{Name}', '/environments/prod/', ['prod']],
    ['/environments/{Name}', '/environments/a/b', undefined],
    ['/files/{Key+}', '/files/dags/etl.py', ['dags/etl.py']],
    ['/v1.0/items', '/v1x0/items', undefined],
  ])('%s against %s captures %j', (template, path, expected) => {
    const match = compilePathTemplate(template).pattern.exec(path);
    expect(match ? match.slice(1) : undefined).toEqual(expected);
  });
});

describe('Router', () => {
  it('routes JSON requests by the full X-Amz-Target', () => {
    expect(router.byTarget('AmazonEC2ContainerServiceV20141113.DescribeServices')?.module.service).toBe(
      'ecs',
    );
    expect(router.byTarget('AmazonEC2ContainerServiceV20141113.ListClusters')).toBeUndefined();
  });

  it('tells apart query actions of the same name by signing name', () => {
    expect(router.byAction('DescribeEvents', 'rds')?.module.service).toBe('rds');
    expect(router.byAction('DescribeEvents', 'elasticbeanstalk')?.module.service).toBe('elasticbeanstalk');
    expect(router.byAction('DescribeEvents', 'sts')).toBeUndefined();
  });

  it('routes REST requests by method and path, with decoded path parameters', () => {
    const match = router.byPath('GET', '/environments/my%20env', 'airflow');
    expect(match?.operation.name).toBe('GetEnvironment');
    expect(match?.pathParams).toEqual({ Name: 'my env' });
    expect(router.byPath('GET', '/environments', 'airflow')?.operation.name).toBe('ListEnvironments');
    expect(router.byPath('DELETE', '/environments/prod', 'airflow')).toBeUndefined();
  });

  it('leaves an S3 bucket called environments to the upstream', () => {
    expect(router.byPath('GET', '/environments/prod', 's3')).toBeUndefined();
  });

  it('matches REST paths of unsigned requests by path alone', () => {
    expect(router.byPath('GET', '/environments/prod', undefined)?.module.service).toBe('mwaa');
  });
});
