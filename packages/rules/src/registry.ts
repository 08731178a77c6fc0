/**
 * The pack registry: holds the active, validated set of packs. `load` is all-or-nothing: an
 * invalid set never replaces the active one.
 */
import { Classifier } from './classify';
import { compilePacks } from './compile';
import { defaultRuntime, type Runtime } from './runtime';
import type { CompiledPack, ComposedPack, PackIssue, PackSource } from './types';

/** Outcome of `PackRegistry.load`. */
export interface LoadResult {
  /** True when the new set was validated and is now active. */
  readonly ok: boolean;
  /** Errors (when not ok) and warnings. */
  readonly issues: readonly PackIssue[];
}

/** Holds the active pack set and hands out one Classifier per pack. */
export class PackRegistry {
  private packs: ReadonlyMap<string, ComposedPack> = new Map();
  private compiled: ReadonlyMap<string, CompiledPack> = new Map();
  private classifiers = new Map<string, Classifier>();

  /** A registry using `runtime` (default: built-in facts and operators). */
  constructor(readonly runtime: Runtime = defaultRuntime) {}

  /** Validates the complete set `sources` (city + districts) and activates it only if it has no error. */
  load(sources: readonly PackSource[]): LoadResult {
    const result = compilePacks(sources, this.runtime);
    if (result.ok) {
      this.packs = result.packs;
      this.compiled = result.compiled;
      this.classifiers = new Map();
    }
    return { ok: result.ok, issues: result.issues };
  }

  /** Ids of the active packs, sorted. */
  ids(): string[] {
    return [...this.packs.keys()].sort();
  }

  /** The composed pack `id`, or undefined. */
  get(id: string): ComposedPack | undefined {
    return this.packs.get(id);
  }

  /** The validated pack `id` on its own (its rules and cases), or undefined. */
  compiledPack(id: string): CompiledPack | undefined {
    return this.compiled.get(id);
  }

  /** The pack for a district code: the district pack naming that bureau, else the root (city) pack. */
  forBureau(bureau: string): ComposedPack | undefined {
    const packs = [...this.packs.values()];
    return packs.find((p) => p.bureau === bureau) ?? packs.find((p) => p.chain.length === 1);
  }

  /** The (cached) Classifier of pack `id`; throws when there is no such pack. */
  classifier(id: string): Classifier {
    let c = this.classifiers.get(id);
    if (!c) {
      const pack = this.packs.get(id);
      if (!pack) throw new Error(`no rule pack "${id}" (have: ${this.ids().join(', ') || 'none'})`);
      c = new Classifier(pack, this.runtime);
      this.classifiers.set(id, c);
    }
    return c;
  }
}
