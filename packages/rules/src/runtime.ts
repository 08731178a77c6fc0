/**
 * The runtime: which facts and operators packs may use. Built from plugins (`definePlugin`): the
 * built-in `basePlugin` always comes first, then the plugins a deployment lists in
 * `rules/plugins.json` (see `@spotcheck/rules/load`).
 */
import { ZUnitFactsSchema, type FactResolver, type FactType } from './facts';
import { ENGINE_OPERATORS, type OperatorDefinition } from './operators';
import {
  basePlugin,
  catalogOf,
  resolverOf,
  type FactInfo,
  type OperatorDeclaration,
  type OperatorInfo,
  type RulesPlugin,
} from './plugin';

/** The facts and operators available to packs. */
export interface Runtime {
  /** Every fact name (base and derived) with its domain. */
  readonly factTypes: ReadonlyMap<string, FactType>;
  /** Derived-fact resolvers by name. */
  readonly resolvers: ReadonlyMap<string, FactResolver>;
  /** Custom operators by name (json-rules-engine's own are always available too). */
  readonly operators: ReadonlyMap<string, OperatorDefinition | OperatorDeclaration>;
  /** Every operator name a condition may use. */
  readonly operatorNames: readonly string[];
  /** The plugins, built-in first. */
  readonly plugins: readonly RulesPlugin[];
  /** Facts and operators as plain data (for the editor, the guide and the JSON Schemas). */
  readonly catalog: { readonly facts: readonly FactInfo[]; readonly operators: readonly OperatorInfo[] };
}

/** Plugins (and, for tests, bare resolvers and operators) to register beside the built-ins. */
export interface RuntimeOptions {
  readonly plugins?: readonly RulesPlugin[];
  readonly facts?: readonly FactResolver[];
  readonly operators?: readonly OperatorDefinition[];
}

/** Builds a runtime; throws when a name is registered twice or shadows a base fact or engine operator. */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const plugins = [basePlugin, ...(options.plugins ?? [])];
  const factTypes = new Map<string, FactType>();
  const resolvers = new Map<string, FactResolver>();
  const owner = new Map<string, string>();
  const addResolver = (r: FactResolver, from: string) => {
    if (factTypes.has(r.name))
      throw new Error(`fact "${r.name}" of ${from} is already registered (by ${owner.get(r.name)})`);
    for (const read of r.reads) {
      if (!(read in ZUnitFactsSchema.shape))
        throw new Error(`fact resolver "${r.name}" of ${from} reads unknown base fact "${read}"`);
    }
    factTypes.set(r.name, r.type);
    resolvers.set(r.name, r);
    owner.set(r.name, from);
  };
  for (const p of plugins) {
    for (const f of p.facts) {
      if (f.from === 'unit') {
        if (!(f.name in ZUnitFactsSchema.shape))
          throw new Error(
            `plugin ${p.name}: fact "${f.name}" is read from the unit record, but units have no such column; derive it instead`,
          );
        if (factTypes.has(f.name))
          throw new Error(`fact "${f.name}" of ${p.name} is already registered (by ${owner.get(f.name)})`);
        factTypes.set(f.name, f.type);
        owner.set(f.name, p.name);
      } else addResolver(resolverOf(f), p.name);
    }
  }
  for (const r of options.facts ?? []) addResolver(r, 'options');
  const operators = new Map<string, OperatorDefinition | OperatorDeclaration>();
  const ops = [...plugins.flatMap((p) => p.operators), ...(options.operators ?? [])];
  for (const op of ops) {
    if (op.name in ENGINE_OPERATORS || operators.has(op.name)) {
      throw new Error(`operator "${op.name}" is already registered`);
    }
    operators.set(op.name, op);
  }
  return {
    factTypes,
    resolvers,
    operators,
    operatorNames: [...Object.keys(ENGINE_OPERATORS), ...operators.keys()],
    plugins,
    catalog: catalogOf(plugins),
  };
}

/** The runtime with only the built-in plugin. */
export const defaultRuntime: Runtime = createRuntime();
