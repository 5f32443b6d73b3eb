import { ServiceError } from '../../errors';
import type { Operation } from '../../service';
import { invalid, members, page, queryOperation, required, text, type Input } from './query-params';
import type { BeanstalkStore } from './state';
import { environmentView, versionView } from './views';

/** Applications, their versions and the storage location (CreateStorageLocation … DeleteApplicationVersion). */
export function applicationHandlers(store: BeanstalkStore): Operation[] {
  const query = (name: string, handle: Operation['handle']): Operation => queryOperation(store, name, handle);
  return [
    query('CreateStorageLocation', ({ region }) => ({
      S3Bucket: `elasticbeanstalk-${region}-${store.context.accountId}`,
    })),
    query('CreateApplication', ({ input }) => {
      const name = required(input, 'ApplicationName');
      if (store.applications.has(name)) throw invalid(`Application ${name} already exists.`);
      store.addApplication(name);
      return { Application: { ApplicationName: name, DateCreated: new Date(store.now()) } };
    }),
    query('DescribeApplications', ({ input }) => describeApplications(store, input)),
    query('CreateApplicationVersion', ({ input }) => {
      const app = required(input, 'ApplicationName');
      if (text(input, 'AutoCreateApplication') === 'true') store.addApplication(app);
      const label = required(input, 'VersionLabel');
      const version = store.addVersion(app, label, input, text(input, 'Process') === 'true');
      return { ApplicationVersion: versionView(store, version) };
    }),
    query('DescribeApplicationVersions', ({ input }) => describeVersions(store, input)),
    query('DeleteApplicationVersion', ({ input }) => deleteVersion(store, input)),
  ];
}

function describeApplications(store: BeanstalkStore, input: Input): unknown {
  const names = members(input, 'ApplicationNames');
  const listed = [...store.applications.entries()].filter(
    ([name]) => names.length === 0 || names.includes(name),
  );
  return {
    Applications: listed.map(([name, app]) => ({
      ApplicationName: name,
      DateCreated: new Date(app.created),
      Versions: [...app.versions.keys()],
    })),
  };
}

/** Newest first, paged like every Elastic Beanstalk list (MaxRecords 1 to 1,000). */
function describeVersions(store: BeanstalkStore, input: Input): unknown {
  const app = text(input, 'ApplicationName');
  const labels = members(input, 'VersionLabels');
  const all = [...store.applications.entries()]
    .filter(([name]) => app === undefined || name === app)
    .flatMap(([, a]) => [...a.versions.values()])
    .filter((v) => labels.length === 0 || labels.includes(v.label))
    .sort((a, b) => b.created - a.created);
  const { items, NextToken } = page(all, input, 1000);
  return { ApplicationVersions: items.map((v) => versionView(store, v)), NextToken };
}

/** Refused while an environment runs the version or would go back to it (SourceBundleDeletionFailure). */
function deleteVersion(store: BeanstalkStore, input: Input): unknown {
  const app = required(input, 'ApplicationName');
  const label = required(input, 'VersionLabel');
  const versions = store.application(app).versions;
  if (!versions.has(label)) throw invalid(`No Application Version named '${label}' found.`);
  const users = [...store.environments.values()].filter((env) => {
    const shown = environmentView(store, env);
    return shown.VersionLabel === label || env.update?.before.versionLabel === label;
  });
  if (users.length > 0) {
    throw new ServiceError(
      'SourceBundleDeletionFailure',
      `Unable to delete application version '${label}' because it is being used by environment(s): ${users.map((e) => e.name).join(', ')}`,
    );
  }
  versions.delete(label);
  store.deleted.push({
    application: app,
    label,
    deleteSourceBundle: text(input, 'DeleteSourceBundle') === 'true',
  });
  return {};
}
