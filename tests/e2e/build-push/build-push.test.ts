/**
 * buildah builds a real image (a build arg, a build secret, a RUN step) and the bundled action
 * pushes it to a TLS registry reached under the host name moto's GetAuthorizationToken returns;
 * then a second run with skip-if-exists builds nothing. The scenario runs in its own mount and
 * network namespaces (see in-namespace.ts), so the machine's /etc files and ports are untouched.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outsideNamespacesEnv } from '../../support/registry-tls';
import { REPO_ROOT } from '../../support/stack/paths';
import { MODEL_VERSION, REPOSITORY, SECRET, TAGS, type E2eFacts } from './facts';

const NEEDED = ['unshare', 'buildah', 'docker-registry', 'openssl', 'moto_server', 'htpasswd', 'ip', 'ldd'];

function whyNotRunnable(): string | undefined {
  if (process.getuid?.() !== 0) return 'it needs root (unshare --mount --net, bind mounts, port 443)';
  const missing = NEEDED.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0)
    return `missing ${missing.join(', ')} (scripts/install-debian-deps.sh installs buildah and docker-registry)`;
  return undefined;
}

const reason = whyNotRunnable();
if (reason !== undefined) console.warn(`Skipping the build-push e2e test: ${reason}`);
const runnable = reason === undefined ? test : test.skip;

runnable(
  'buildah builds and pushes to the ECR host moto names; the registry serves it by digest; a rerun skips',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'build-push-e2e-facts-'));
    try {
      const out = join(dir, 'facts.json');
      const run = spawnSync(
        'unshare',
        [
          '--mount',
          '--net',
          '--fork',
          '--',
          join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
          join(__dirname, 'in-namespace.ts'),
          out,
        ],
        { encoding: 'utf8', timeout: 150_000, env: { ...process.env, ...outsideNamespacesEnv() } },
      );
      expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({
        status: 0,
        stderr: '',
      });
      const facts = JSON.parse(readFileSync(out, 'utf8')) as E2eFacts;
      const { first, second, registryHost } = facts;
      const repo = `${registryHost}/${REPOSITORY}`;

      expect(registryHost).toMatch(/^\d{12}\.dkr\.ecr\.us-east-1\.amazonaws\.com$/);
      expect(first.exitCode).toBe(0);
      expect(first.postExitCode).toBe(0);
      const digest = first.outputs['digest'] ?? '';
      expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(first.outputs).toMatchObject({
        image: `${repo}@${digest}`,
        'image-uri': `${repo}:${TAGS[0]}`,
        tags: JSON.stringify(TAGS.map((tag) => `${repo}:${tag}`)),
        registry: registryHost,
        skipped: 'false',
      });

      // The registry serves the manifest by the digest the action output, and it hashes to it.
      expect(facts.manifest.status).toBe(200);
      expect(facts.manifest.bodyDigest).toBe(digest);
      expect(facts.config.labels['org.example.model-version']).toBe(MODEL_VERSION);
      expect(facts.files['model/version']).toBe(`${MODEL_VERSION}\n`);
      // The RUN step read the secret (its length is in the image); the value is in no layer.
      expect(facts.files['model/token-length']).toBe(`${SECRET.length}\n`);
      expect(facts.secretInBlobs).toBe(false);

      // The token never reached a command line, the printed log or the summary.
      const commands = facts.builderCommandLines.map((argv) => argv[1]);
      expect(commands).toEqual(expect.arrayContaining(['build', 'push']));
      expect(facts.leaks).toEqual([]);
      for (const secret of [facts.password, facts.token, SECRET]) {
        for (const text of [first.stdout, first.summary, second.stdout, second.summary])
          expect(text).not.toContain(secret);
        expect(first.masked).toContain(secret);
      }
      expect(facts.workDirSaved).toBe(true);
      expect(facts.workDirLeftOver).toBe(false);
      expect(first.stdout).toContain(`Logged out of ${registryHost}`);
      expect(first.summary).toContain(`- **image:** ${repo}@<code title="${digest}">`);
      expect(first.summary).toContain(`${repo}@${digest}\n\n</details>`);
      expect(first.summary).toMatch(/\*\*build time:\*\* \d+\.\d s/);
      expect(first.summary).toMatch(/\*\*cache hits:\*\* \d+ of \d+ steps/);

      // Second run: nothing built, the same digest out.
      expect(second.exitCode).toBe(0);
      expect(second.outputs['skipped']).toBe('true');
      expect(second.outputs['digest']).toBe(digest);
      expect(second.stdout).not.toContain('STEP 1/');
      expect(second.summary).toContain('skipped: the first tag already exists');
      console.log(`build-push e2e: first run ${first.seconds} s, second run ${second.seconds} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  180_000,
);
