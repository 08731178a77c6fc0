/**
 * The runtime: which facts and operators packs may use. Custom operators and fact resolvers
 * are registered by name; the built-ins are always present.
 */
import { BASE_FACTS, BUILTIN_FACT_RESOLVERS, type FactResolver, type FactType } from './facts';
import { BUILTIN_OPERATORS, ENGINE_OPERATORS, type OperatorDefinition } from './operators';

/** The facts and operators available to packs. */
export interface Runtime {
  /** Every fact name (base and derived) with its domain. */
  readonly factTypes: ReadonlyMap<string, FactType>;
  /** Derived-fact resolvers by name. */
  readonly resolvers: ReadonlyMap<string, FactResolver>;
  /** Custom operators by name (json-rules-engine's own are always available too). */
  readonly operators: ReadonlyMap<string, OperatorDefinition>;
  /** Every operator name a condition may use. */
  readonly operatorNames: readonly string[];
}

/** Extra resolvers and operators to register beside the built-ins. */
export interface RuntimeOptions {
  readonly facts?: readonly FactResolver[];
  readonly operators?: readonly OperatorDefinition[];
}

/** Builds a runtime; throws when a name is registered twice or shadows a base fact or engine operator. */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const factTypes = new Map<string, FactType>();
  for (const [name, def] of Object.entries(BASE_FACTS)) factTypes.set(name, def.type);
  const resolvers = new Map<string, FactResolver>();
  for (const r of [...BUILTIN_FACT_RESOLVERS, ...(options.facts ?? [])]) {
    if (factTypes.has(r.name)) throw new Error(`fact resolver "${r.name}" is already registered`);
    for (const read of r.reads) {
      if (!(read in BASE_FACTS))
        throw new Error(`fact resolver "${r.name}" reads unknown base fact "${read}"`);
    }
    factTypes.set(r.name, r.type);
    resolvers.set(r.name, r);
  }
  const operators = new Map<string, OperatorDefinition>();
  for (const op of [...BUILTIN_OPERATORS, ...(options.operators ?? [])]) {
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
  };
}

/** The runtime with only the built-in resolvers and operators. */
export const defaultRuntime: Runtime = createRuntime();
