import { monorepoMovingTags } from '../../../scripts/release/monorepo-tags';
import { parseVersion, type Version } from '../../../scripts/release/semver';

const v = (text: string): Version => parseVersion(text) ?? { major: -1, minor: -1, patch: -1 };

// `uses: <owner>/<repo>/actions/deploy-ecs@deploy-ecs/v1` reads the monorepo's own tags, so each
// action gets its own moving tags beside its `<action>/vX.Y.Z` release tags.
test.each([
  [['1.0.0'], { 'deploy-ecs/v1': 'deploy-ecs/v1.0.0', 'deploy-ecs/v1.0': 'deploy-ecs/v1.0.0' }],
  [
    ['1.0.0', '1.0.1', '1.1.0', '1.10.2', '2.0.0'],
    {
      'deploy-ecs/v1': 'deploy-ecs/v1.10.2',
      'deploy-ecs/v1.0': 'deploy-ecs/v1.0.1',
      'deploy-ecs/v1.1': 'deploy-ecs/v1.1.0',
      'deploy-ecs/v1.10': 'deploy-ecs/v1.10.2',
      'deploy-ecs/v2': 'deploy-ecs/v2.0.0',
      'deploy-ecs/v2.0': 'deploy-ecs/v2.0.0',
    },
  ],
  [[], {}],
])('releases %j move the tags %j', (released, expected) => {
  expect(Object.fromEntries(monorepoMovingTags('deploy-ecs', released.map(v)))).toEqual(expected);
});
