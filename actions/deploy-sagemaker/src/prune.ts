import {
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointConfigCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { Cancelled, messageOf, type Log } from '@deploy-suite/kit';
import { resourceNameBase } from './plan';
import { readPreviousRecord } from './previous-record';
import type { Outcome } from './report';
import { describeEndpoint, isNotFound, unlessMissing } from './sagemaker';
import {
  configsOfEndpoint,
  configsToDelete,
  modelsOfConfig,
  modelsToDelete,
  versionNameMatcher,
  type Listed,
} from './versions';

/**
 * keep-versions: after a deploy (or rollback) has succeeded, deletes the endpoint's old models and
 * configurations that nothing uses. It never fails the deploy: a read that fails leaves everything
 * in place with one warning, a delete that fails is one warning line for all of them.
 */

export interface PruneRequest {
  readonly endpointName: string;
  readonly keep: number;
  /** Configurations kept whatever their age: the one serving now and the rollback target. */
  readonly protect: readonly (string | undefined)[];
  /**
   * The endpoint's ARN: the configuration its `deploy-suite:previous-endpoint-config` tag names
   * (what `rollback-to: previous` returns to) is kept too, with its models, even when an earlier
   * run recorded it and this run's protect list does not name it.
   */
  readonly endpointArn?: string | undefined;
}

export interface PrunePorts {
  readonly sagemaker: SageMakerClient;
  readonly log: Log;
}

/** List calls take the model's largest page (MaxResults 1 to 100). */
const PAGE_SIZE = 100;
/**
 * Pages read per list: the newest 1,000 of the endpoint's models and configurations are enough to
 * decide (older ones wait for a later run); more endpoints than that in the account and which
 * configurations they use is not known, so nothing is deleted.
 */
const MAX_PAGES = 10;
/** DescribeEndpoint / DescribeEndpointConfig calls at once. */
const CONCURRENCY = 4;

/** The names deleted (or found already gone), configurations first. */
export async function pruneVersions(ports: PrunePorts, request: PruneRequest): Promise<string[]> {
  if (request.keep <= 0) return [];
  let plan: { configs: string[]; models: string[] };
  try {
    plan = await new PrunePlanner(ports.sagemaker, request).plan();
  } catch (err) {
    if (err instanceof Cancelled) throw err;
    ports.log.warning(
      `keep-versions: nothing deleted, the endpoint's versions could not be read: ${messageOf(err)}`,
    );
    return [];
  }
  return deleteAll(ports, plan);
}

/** Reads what exists and what is in use, asking for usage only when something could go. */
class PrunePlanner {
  private usage: Promise<Set<string>> | undefined;

  constructor(
    private readonly sagemaker: SageMakerClient,
    private readonly request: PruneRequest,
  ) {}

  async plan(): Promise<{ configs: string[]; models: string[] }> {
    const { endpointName, keep, protect } = this.request;
    const owned = versionNameMatcher(endpointName);
    const base = resourceNameBase(endpointName);
    const [configs, models] = await Promise.all([
      this.listOwned('configs', base, owned),
      this.listOwned('models', base, owned),
    ]);
    const given = protect.filter((name): name is string => name !== undefined);
    const nothingOld =
      configsToDelete({ configs, keep, inUse: new Set(given) }).length === 0 &&
      modelsToDelete({ models, keep, referenced: new Set() }).length === 0;
    if (nothingOld) return { configs: [], models: [] };
    const protectedNames = new Set([...given, ...(await this.recorded())]);
    const mayGo = configsToDelete({ configs, keep, inUse: protectedNames });
    const inUse = mayGo.length > 0 ? await this.inUse(protectedNames) : protectedNames;
    const doomedConfigs = configsToDelete({ configs, keep, inUse });
    if (modelsToDelete({ models, keep, referenced: new Set() }).length === 0)
      return { configs: doomedConfigs, models: [] };
    // Models stay while any configuration that stays references them: this endpoint's kept ones,
    // and any other configuration an endpoint uses (it may be someone else's, naming our model).
    const staying = new Set([
      ...configs.map((c) => c.name).filter((name) => !doomedConfigs.includes(name)),
      ...(await this.inUse(protectedNames)),
    ]);
    const referenced = new Set((await inBatches([...staying], (name) => this.modelsOf(name))).flat());
    return { configs: doomedConfigs, models: modelsToDelete({ models, keep, referenced }) };
  }

  /** The configuration the endpoint's previous-record tag names, if any (read only when something could go). */
  private async recorded(): Promise<string[]> {
    const arn = this.request.endpointArn;
    const name = arn ? await readPreviousRecord(this.sagemaker, arn) : undefined;
    return name === undefined ? [] : [name];
  }

  /** The endpoint's own models or configurations, newest first, as far as MAX_PAGES reach. */
  private async listOwned(
    what: 'configs' | 'models',
    base: string,
    owned: (name: string) => boolean,
  ): Promise<Listed[]> {
    const query = {
      NameContains: base,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: PAGE_SIZE,
    } as const;
    const { items } = await listPages(async (NextToken) => {
      if (what === 'configs') {
        const page = await this.sagemaker.send(new ListEndpointConfigsCommand({ ...query, NextToken }));
        return {
          items: (page.EndpointConfigs ?? []).map((c) => listed(c.EndpointConfigName, c.CreationTime)),
          next: page.NextToken,
        };
      }
      const page = await this.sagemaker.send(new ListModelsCommand({ ...query, NextToken }));
      return {
        items: (page.Models ?? []).map((m) => listed(m.ModelName, m.CreationTime)),
        next: page.NextToken,
      };
    });
    return items.filter((item) => owned(item.name));
  }

  /** `protect` and every configuration any endpoint in the account serves or is being updated to. */
  private inUse(protect: ReadonlySet<string>): Promise<Set<string>> {
    this.usage ??= (async () => {
      const { items: names, complete } = await listPages(async (NextToken) => {
        const page = await this.sagemaker.send(
          new ListEndpointsCommand({ MaxResults: PAGE_SIZE, NextToken }),
        );
        return { items: (page.Endpoints ?? []).map((e) => e.EndpointName ?? ''), next: page.NextToken };
      });
      if (!complete)
        throw new Error(
          `more than ${PAGE_SIZE * MAX_PAGES} endpoints in the account; which configurations they use is not known`,
        );
      const used = await inBatches(names.filter(Boolean), async (name) => {
        const endpoint = await describeEndpoint(this.sagemaker, name);
        return endpoint ? configsOfEndpoint(endpoint) : [];
      });
      return new Set([...protect, ...used.flat()]);
    })();
    return this.usage;
  }

  private async modelsOf(config: string): Promise<string[]> {
    const described = await unlessMissing(() =>
      this.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: config })),
    );
    return described ? modelsOfConfig(described) : [];
  }
}

function listed(name: string | undefined, created: Date | undefined): Listed {
  return { name: name ?? '', created: created?.getTime() ?? 0 };
}

/** Follows NextToken for at most MAX_PAGES pages; `complete` says whether the list ended. */
async function listPages<T>(
  page: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let token: string | undefined;
  for (let read = 0; read < MAX_PAGES; read++) {
    const answer = await page(token);
    items.push(...answer.items);
    token = answer.next;
    if (!token) return { items, complete: true };
  }
  return { items, complete: false };
}

/** `work` over every item, CONCURRENCY at a time, results in order. */
async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY)
    results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(work))));
  return results;
}

/**
 * Configurations first, then the models only they referenced. A name already gone counts as
 * deleted (a retried delete whose first answer was lost finds it so); any other refusal, such as
 * AccessDeniedException, is collected into one warning line.
 */
async function deleteAll(
  ports: PrunePorts,
  plan: { configs: string[]; models: string[] },
): Promise<string[]> {
  const deleted: string[] = [];
  const failed: { name: string; why: string }[] = [];
  const { sagemaker } = ports;
  const attempts = [
    ...plan.configs.map((name) => ({
      name,
      send: () => sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: name })),
    })),
    ...plan.models.map((name) => ({
      name,
      send: () => sagemaker.send(new DeleteModelCommand({ ModelName: name })),
    })),
  ];
  for (const { name, send } of attempts) {
    try {
      await send();
      deleted.push(name);
    } catch (err) {
      if (err instanceof Cancelled) throw err;
      if (isNotFound(err) || (err instanceof Error && err.name === 'ResourceNotFound')) deleted.push(name);
      else failed.push({ name, why: messageOf(err) });
    }
  }
  if (failed.length > 0)
    ports.log.warning(
      `keep-versions: could not delete ${failed.map((f) => f.name).join(', ')}: ${failed[0]?.why ?? ''}`,
    );
  return deleted;
}

/**
 * keep-versions after a deploy that succeeded: prunes with the configuration serving now and the
 * one served before protected. A run that changed nothing knows no rollback target, so it deletes
 * nothing (the run that deployed this configuration pruned already).
 */
export async function pruneAfterDeploy(
  ports: PrunePorts,
  keep: number,
  outcome: Pick<
    Outcome,
    'status' | 'action' | 'endpoint' | 'endpointArn' | 'endpointConfigName' | 'previous' | 'pruned'
  >,
): Promise<void> {
  if (keep <= 0 || outcome.status !== 'succeeded') return;
  if (outcome.action === 'nothing') {
    ports.log.info('keep-versions: nothing deployed, so nothing deleted');
    return;
  }
  const deleted = await pruneVersions(ports, {
    endpointName: outcome.endpoint,
    keep,
    protect: [outcome.endpointConfigName, outcome.previous],
    endpointArn: outcome.endpointArn,
  });
  outcome.pruned.push(...deleted);
  if (deleted.length > 0)
    ports.log.info(
      `keep-versions: deleted ${deleted.length} old configuration(s) and model(s) beyond ${keep}: ${deleted.join(', ')}`,
    );
}
