/**
 * json-rules-engine wiring. An Engine is never shared by concurrent runs: `EngineRunner`
 * serialises `run()` calls (a concurrent run on one Engine silently drops lower-priority rules).
 */
import { Engine, type EngineResult, type RuleProperties } from 'json-rules-engine';
import type { Runtime } from './runtime';
import type { CompiledRule } from './types';

/** The evaluator json-rules-engine uses for an operator name (decorators included), or null. */
export type OperatorEvaluate = (factValue: unknown, value: unknown) => boolean;

interface OperatorLike {
  evaluate(factValue: unknown, value: unknown): boolean;
}
interface EngineInternals {
  operators: { get(name: string): OperatorLike | null };
}

/** A json-rules-engine Engine with the runtime's custom operators and the given rules. */
export function buildEngine(runtime: Runtime, rules: readonly CompiledRule[] = []): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false, allowUndefinedConditions: false });
  for (const op of runtime.operators.values()) engine.addOperator(op.name, op.evaluate);
  for (const rule of rules) {
    const props: RuleProperties = {
      name: rule.id,
      priority: rule.priority,
      conditions: rule.conditions as RuleProperties['conditions'],
      event: { type: 'classify', params: { ...rule.params } },
    };
    engine.addRule(props);
  }
  return engine;
}

/** The engine's evaluator for an operator name, or null when the engine does not know it. */
export function engineOperator(engine: Engine, name: string): OperatorEvaluate | null {
  const op = (engine as unknown as EngineInternals).operators.get(name);
  return op ? (factValue, value) => op.evaluate(factValue, value) : null;
}

/** Runs one Engine strictly one run at a time. */
export class EngineRunner {
  private tail: Promise<unknown> = Promise.resolve();

  /** Wraps an engine; nothing else may call its `run()`. */
  constructor(private readonly engine: Engine) {}

  /** Runs the engine on `facts` after every earlier run has finished. */
  run(facts: Record<string, unknown>): Promise<EngineResult> {
    const next = this.tail.then(() => this.engine.run(facts));
    this.tail = next.catch(() => undefined);
    return next;
  }
}
