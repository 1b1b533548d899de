// Managing experiment definitions: list, read, create, update, archive, start and stop. Only
// administrators may, and only through a token (or session) holding the extension scope
// experiments:admin: without the scope 403 MISSING_SCOPE, from an account that is not (or no longer)
// flagged is_admin 403 FORBIDDEN. Only `npm run cli -- admin grant|revoke` sets the flag, and it is
// read on every call. REST, GraphQL and the results pages all pass through assertAdmin here. Each
// write commits with a configuration version bump and then reloads this process's catalog, so the
// change is live here when the call returns and in every other process within one poll interval.
import { AppError } from '../platform/errors.js';
import { requireScopes, type AdminScope, type Scope } from '../platform/http/viewer.js';
import type { IdGenerator } from '../platform/ids.js';
import { isUniqueViolation } from '../platform/db/pg-errors.js';
import type { Page, PageRequest } from '../platform/http/pagination.js';
import { toPage } from '../platform/http/pagination.js';
import { getEqualWeights } from './engine/hashing.js';
import type { ExperimentDefinition, ExperimentHoldout } from './experiment.model.js';
import type { ExperimentRepository } from './experiment.repository.js';
import type { ExperimentCreateBody, ExperimentListQuery, ExperimentUpdateBody } from './experiment.schemas.js';
import { validateSpec, type ExperimentSpec } from './experiment-validation.js';

export interface ExperimentAdmin {
  userId: string;
  username: string;
  scopes: ReadonlySet<Scope>;
}

export interface ExperimentAdminServiceDeps {
  experiments: ExperimentRepository;
  catalog: { refresh(): Promise<void> };
  /** Read on every admin call, so `cli admin grant|revoke` applies at once (tokens are cached). */
  accounts: { findById(id: string): Promise<{ is_admin: boolean } | undefined> };
  ids: IdGenerator;
}

export const ADMIN_SCOPE: AdminScope = 'experiments:admin';

type HoldoutBody = { share?: number | null; experiment_key?: string | null } | null | undefined;

function holdoutOf(body: HoldoutBody): ExperimentHoldout | null {
  const share = body?.share ?? null;
  const experimentKey = body?.experiment_key ?? null;
  return (share === null || share === 0) && experimentKey === null ? null : { share: share === 0 ? null : share, experimentKey };
}

function specFromCreate(body: ExperimentCreateBody): ExperimentSpec {
  return {
    key: body.key,
    name: body.name,
    description: body.description ?? '',
    variations: body.variations.map((variation) => ({ key: variation.key, name: variation.name ?? variation.key, value: variation.value })),
    weights: body.weights ?? getEqualWeights(body.variations.length),
    coverage: body.coverage ?? 1,
    hashAttribute: body.hash_attribute ?? 'id',
    seed: body.seed ?? body.key,
    hashVersion: body.hash_version ?? 2,
    condition: body.condition ?? null,
    namespace: body.namespace ?? null,
    holdout: holdoutOf(body.holdout),
    forcedVariations: body.forced_variations ?? {},
    metrics: body.metrics ?? [],
  };
}

function specFromUpdate(current: ExperimentDefinition, body: ExperimentUpdateBody): ExperimentSpec {
  const variations =
    body.variations?.map((variation) => ({ key: variation.key, name: variation.name ?? variation.key, value: variation.value })) ??
    current.variations;
  // New variations without new weights split evenly, rather than keep weights of another length.
  const weights = body.weights ?? (body.variations && body.variations.length !== current.variations.length ? getEqualWeights(variations.length) : current.weights);
  return {
    key: current.key,
    name: body.name ?? current.name,
    description: body.description ?? current.description,
    variations,
    weights,
    coverage: body.coverage ?? current.coverage,
    hashAttribute: body.hash_attribute ?? current.hashAttribute,
    seed: body.seed ?? current.seed,
    hashVersion: body.hash_version ?? current.hashVersion,
    condition: body.condition === undefined ? current.condition : body.condition,
    namespace: body.namespace === undefined ? current.namespace : body.namespace,
    holdout: body.holdout === undefined ? current.holdout : holdoutOf(body.holdout),
    forcedVariations: body.forced_variations ?? current.forcedVariations,
    metrics: body.metrics ?? current.metrics,
  };
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

export class ExperimentAdminService {
  constructor(private readonly deps: ExperimentAdminServiceDeps) {}

  private async assertAdmin(viewer: ExperimentAdmin): Promise<void> {
    requireScopes(viewer, [ADMIN_SCOPE]);
    if ((await this.deps.accounts.findById(viewer.userId))?.is_admin !== true) {
      throw new AppError('FORBIDDEN', 'Only administrators may manage experiments.');
    }
  }

  async list(viewer: ExperimentAdmin, query: Pick<ExperimentListQuery, 'status' | 'include_archived'>, page: PageRequest): Promise<Page<ExperimentDefinition>> {
    await this.assertAdmin(viewer);
    const rows = await this.deps.experiments.list({
      status: query.status,
      includeArchived: query.include_archived ?? false,
      afterId: page.after?.[0] ?? null,
      limit: page.limit,
    });
    return toPage(rows, page.limit, (row) => [row.id]);
  }

  async get(viewer: ExperimentAdmin, key: string): Promise<ExperimentDefinition> {
    await this.assertAdmin(viewer);
    const found = await this.deps.experiments.findByKey(key);
    if (!found) throw new AppError('EXPERIMENT_NOT_FOUND');
    return found;
  }

  async create(viewer: ExperimentAdmin, body: ExperimentCreateBody): Promise<ExperimentDefinition> {
    await this.assertAdmin(viewer);
    const spec = specFromCreate(body);
    validateSpec(spec);
    let created: ExperimentDefinition;
    try {
      created = await this.deps.experiments.write(async (experiments) => {
        await this.checkHoldoutReference(experiments, spec, null);
        return experiments.insert({ id: this.deps.ids.next(), key: spec.key, createdBy: viewer.userId, spec });
      });
    } catch (error) {
      if (isUniqueViolation(error, 'experiments_key_key')) throw new AppError('EXPERIMENT_KEY_TAKEN');
      throw error;
    }
    await this.deps.catalog.refresh();
    return created;
  }

  async update(viewer: ExperimentAdmin, key: string, body: ExperimentUpdateBody): Promise<ExperimentDefinition> {
    await this.assertAdmin(viewer);
    const updated = await this.deps.experiments.write(async (experiments) => {
      const current = await this.lockLive(experiments, key);
      if (body.expected_version !== undefined && body.expected_version !== current.version) {
        throw new AppError('EXPERIMENT_VERSION_CONFLICT', `The experiment is at version ${current.version}, not ${body.expected_version}.`);
      }
      const spec = specFromUpdate(current, body);
      validateSpec(spec);
      await this.checkHoldoutReference(experiments, spec, current);
      if (current.status === 'running') await this.checkNamespace(experiments, current.id, spec.namespace);
      return experiments.updateSpec(current.id, spec);
    });
    await this.deps.catalog.refresh();
    return updated;
  }

  /** Archives: stops it for good and hides it from lists; its key stays taken and its exposures kept. */
  async archive(viewer: ExperimentAdmin, key: string): Promise<ExperimentDefinition> {
    await this.assertAdmin(viewer);
    const archived = await this.deps.experiments.write(async (experiments) => {
      const current = await this.lockLive(experiments, key);
      return experiments.setLifecycle(current.id, {
        ...(current.status === 'running' ? { status: 'stopped' as const, stoppedAt: 'now' as const } : {}),
        archivedAt: 'now',
      });
    });
    await this.deps.catalog.refresh();
    return archived;
  }

  /** Starts (or resumes) assigning users. The first start sets the phase start time. */
  async start(viewer: ExperimentAdmin, key: string): Promise<ExperimentDefinition> {
    await this.assertAdmin(viewer);
    const started = await this.deps.experiments.write(async (experiments) => {
      const current = await this.lockLive(experiments, key);
      if (current.status === 'running') return current;
      await this.checkNamespace(experiments, current.id, current.namespace);
      return experiments.setLifecycle(current.id, {
        status: 'running',
        ...(current.phaseStartedAt ? {} : { phaseStartedAt: 'now' as const }),
        stoppedAt: null,
      });
    });
    await this.deps.catalog.refresh();
    return started;
  }

  async stop(viewer: ExperimentAdmin, key: string): Promise<ExperimentDefinition> {
    await this.assertAdmin(viewer);
    const stopped = await this.deps.experiments.write(async (experiments) => {
      const current = await this.lockLive(experiments, key);
      if (current.status === 'draft') throw new AppError('EXPERIMENT_NOT_STARTED');
      if (current.status === 'stopped') return current;
      return experiments.setLifecycle(current.id, { status: 'stopped', stoppedAt: 'now' });
    });
    await this.deps.catalog.refresh();
    return stopped;
  }

  private async lockLive(experiments: ExperimentRepository, key: string): Promise<ExperimentDefinition> {
    const current = await experiments.findByKey(key, { forUpdate: true });
    if (!current) throw new AppError('EXPERIMENT_NOT_FOUND');
    if (current.archivedAt) throw new AppError('EXPERIMENT_ARCHIVED');
    return current;
  }

  /** A running experiment's namespace slice may not overlap another running one's in the same namespace. */
  private async checkNamespace(experiments: ExperimentRepository, id: string, namespace: ExperimentSpec['namespace']): Promise<void> {
    if (!namespace) return;
    for (const other of await experiments.runningInNamespace(namespace.name, id)) {
      if (other.namespace && overlaps(namespace, other.namespace)) {
        throw new AppError(
          'EXPERIMENT_NAMESPACE_OVERLAP',
          `Running experiment "${other.key}" already uses ${other.namespace.start}-${other.namespace.end} of namespace "${namespace.name}".`,
        );
      }
    }
  }

  /** A holdout experiment must exist and not have a holdout of its own (no chains). */
  private async checkHoldoutReference(experiments: ExperimentRepository, spec: ExperimentSpec, current: ExperimentDefinition | null): Promise<void> {
    const holdoutKey = spec.holdout?.experimentKey;
    if (holdoutKey && holdoutKey !== current?.holdout?.experimentKey) {
      const holdout = await experiments.findByKey(holdoutKey);
      if (!holdout || holdout.archivedAt) throw new AppError('INVALID_EXPERIMENT', `Invalid experiment: holdout experiment "${holdoutKey}" does not exist.`);
      if (holdout.holdout?.experimentKey) {
        throw new AppError('INVALID_EXPERIMENT', `Invalid experiment: "${holdoutKey}" has a holdout experiment itself; holdouts do not chain.`);
      }
    }
    if (holdoutKey && current) {
      const dependents = await experiments.holdoutDependents(current.key);
      if (dependents.length > 0) {
        throw new AppError('INVALID_EXPERIMENT', `Invalid experiment: it is the holdout of ${dependents.join(', ')}; holdouts do not chain.`);
      }
    }
  }
}
