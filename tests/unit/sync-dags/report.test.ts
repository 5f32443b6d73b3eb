import { outputsOf, renderSummary, resultOf } from '../../../actions/sync-dags/src/report';
import { emptyOutcome, inFlight, type SyncOutcome } from '../../../actions/sync-dags/src/outcome';

function outcome(changes: Partial<SyncOutcome>): SyncOutcome {
  return { ...emptyOutcome('/ws/dags', 'airflow-prod', 'dags/', false), ...changes };
}

const plan = {
  upload: [
    {
      path: 'a.py',
      absolutePath: '/ws/dags/a.py',
      key: 'dags/a.py',
      size: 2048,
      md5: 'm',
      reason: 'changed' as const,
    },
  ],
  delete: [{ path: 'old.py', key: 'dags/old.py', size: 5 }],
  unchanged: [{ path: 'same.py', key: 'dags/same.py', size: 1 }],
};

describe('report', () => {
  it('sets counts, bytes and the pinned versions as outputs', () => {
    const outputs = outputsOf(
      outcome({
        status: 'succeeded',
        plan,
        uploaded: 1,
        deleted: 1,
        bytesUploaded: 2048,
        artifacts: [
          {
            kind: 'plugins',
            key: 'plugins.zip',
            action: 'upload',
            reason: 'new',
            versionId: 'v9',
            uploaded: true,
          },
        ],
        environment: {
          name: 'env',
          changes: { PluginsS3ObjectVersion: 'v9' },
          updated: true,
          status: 'AVAILABLE',
        },
      }),
    );
    expect(outputs).toEqual({
      uploaded: 1,
      deleted: 1,
      unchanged: 1,
      'bytes-uploaded': 2048,
      'plugins-version': 'v9',
      'environment-status': 'AVAILABLE',
    });
  });

  it('a cancel says how far the sync got and that deletes wait for every upload', () => {
    const cancelled = outcome({ status: 'cancelled', plan, uploaded: 0 });
    expect(inFlight(cancelled)).toEqual([
      'Uploaded 0 of 1 files to s3://airflow-prod/dags/.',
      'No object was deleted yet: deletes start only after every upload.',
      'To finish, run the step again: files already uploaded are not sent twice.',
    ]);
    expect(inFlight(outcome({}))).toEqual(['Nothing was changed in S3 or MWAA.']);
    const updating = outcome({
      environment: {
        name: 'env',
        changes: { PluginsS3ObjectVersion: 'v9' },
        updated: true,
        status: 'UPDATING',
      },
    });
    expect(inFlight(updating)[0]).toBe(
      'MWAA environment env is updating to the new versions (last seen UPDATING); MWAA goes on with it.',
    );
    expect(resultOf(cancelled).status).toBe('cancelled');
  });

  it('lists the files changed, and in a dry run every file with what would happen', () => {
    const real = renderSummary(outcome({ plan, uploaded: 1, deleted: 1 })).toMarkdown();
    expect(real).toContain('| a.py | upload (changed) | 2.0 KiB |');
    expect(real).toContain('| old.py | delete | 5 B |');
    expect(real).not.toContain('same.py');
    const dry = renderSummary(outcome({ plan, dryRun: true })).toMarkdown();
    expect(dry).toContain('Dry run: nothing was uploaded');
    expect(dry).toContain('| same.py | unchanged | 1 B |');
    expect(dry).toContain('- **to upload:** 1');
  });

  it('shows the MWAA versions and whether the environment was updated', () => {
    const markdown = renderSummary(
      outcome({
        plan,
        artifacts: [
          {
            kind: 'requirements',
            key: 'requirements.txt',
            action: 'unchanged',
            reason: 'unchanged',
            versionId: 'v1',
            uploaded: false,
          },
        ],
        environment: { name: 'env', changes: undefined, updated: false, status: 'AVAILABLE' },
      }),
    ).toMarkdown();
    expect(markdown).toContain('| requirements | requirements.txt | unchanged | v1 |');
    expect(markdown).toContain('- **update:** no update needed');
  });
});
