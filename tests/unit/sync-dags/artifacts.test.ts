import { artifactKey, environmentChanges, planArtifact } from '../../../actions/sync-dags/src/artifacts';

const local = {
  kind: 'requirements' as const,
  source: 'r.txt',
  file: 'r.txt',
  size: 4,
  md5: '0cc175b9c0f1b6a831c399e269772661',
  key: 'requirements.txt',
};

describe('MWAA artifacts', () => {
  it('uses the key the environment already has, else the conventional one', () => {
    expect(artifactKey('plugins', { PluginsS3Path: '/airflow/plugins.zip' })).toBe('airflow/plugins.zip');
    expect(artifactKey('plugins', undefined)).toBe('plugins.zip');
    expect(artifactKey('startup-script', {})).toBe('startup.sh');
  });

  it('uploads only when the content differs', () => {
    const same = { size: 4, etag: `"${local.md5}"`, storedMd5: undefined, versionId: 'v1' };
    expect(planArtifact(local, same)).toMatchObject({ action: 'unchanged', versionId: 'v1' });
    expect(planArtifact(local, { ...same, size: 5 })).toMatchObject({ action: 'upload', reason: 'changed' });
    expect(planArtifact(local, undefined)).toMatchObject({ action: 'upload', reason: 'new' });
  });

  it('asks for an update only for artifacts whose key or version differ from the environment', () => {
    const pinned = [
      { kind: 'requirements' as const, key: 'requirements.txt', versionId: 'v2' },
      { kind: 'plugins' as const, key: 'plugins.zip', versionId: 'p1' },
    ];
    const environment = {
      RequirementsS3Path: 'requirements.txt',
      RequirementsS3ObjectVersion: 'v1',
      PluginsS3Path: 'plugins.zip',
      PluginsS3ObjectVersion: 'p1',
    };
    expect(environmentChanges(pinned, environment)).toEqual({
      RequirementsS3Path: 'requirements.txt',
      RequirementsS3ObjectVersion: 'v2',
    });
    expect(environmentChanges(pinned.slice(1), environment)).toBeUndefined();
  });
});
