/**
 * Output schemas of the procedures the web apps call (issue #15). tRPC checks what a procedure
 * returns against its `.output()` schema and strips keys the schema does not name, so a schema
 * names every field the apps read. Rows of a table are described from the drizzle columns
 * ({@link columnsSchema}, {@link rowSchema}): strings, numbers, dates, enums and nullability are
 * checked; a jsonb column is checked to be JSON and typed with its `$type`.
 */
import { getTableColumns, type Column, type GetColumnData, type Table } from 'drizzle-orm';
import { z } from 'zod';

/** A schema whose input and output are both `T` (so a procedure's return is checked against it by tsc too). */
export type Exact<T> = z.ZodType<T, T>;

function baseSchema(c: Column): z.ZodType {
  if (c.enumValues?.length) return z.enum(c.enumValues as [string, ...string[]]);
  switch (c.dataType) {
    case 'string':
      return z.string();
    case 'number':
      return z.number();
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.date();
    case 'bigint':
      return z.bigint();
    case 'json':
      return z.json();
    case 'array': {
      const base = (c as Column & { baseColumn?: Column }).baseColumn;
      if (!base) throw new Error(`column ${c.name}: array without a base column`);
      return z.array(baseSchema(base));
    }
    default:
      throw new Error(`column ${c.name}: no output schema for data type ${c.dataType}`);
  }
}

/** The schema of one column's value as a select returns it (null allowed unless NOT NULL). */
export function columnSchema<C extends Column>(c: C): Exact<GetColumnData<C>> {
  const base = baseSchema(c);
  return c.notNull ? base : base.nullable();
}

/** Shape of {@link columnsSchema}. */
export type ColumnsShape<S extends Record<string, Column>> = { [K in keyof S]: Exact<GetColumnData<S[K]>> };

/** The schema of a row selected with `db.select(columns)`. */
export function columnsSchema<S extends Record<string, Column>>(columns: S): z.ZodObject<ColumnsShape<S>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [k, c] of Object.entries(columns)) shape[k] = columnSchema(c);
  return z.object(shape) as unknown as z.ZodObject<ColumnsShape<S>>;
}

/** The schema of a whole row of a table (`db.select().from(table)`, `returning()`). */
export function rowSchema<T extends Table>(table: T): z.ZodObject<ColumnsShape<T['_']['columns']>> {
  return columnsSchema<T['_']['columns']>(getTableColumns(table));
}

/** A value the schema only types (a record checked elsewhere, e.g. by packages/core's verifier). */
export function typed<T>(): Exact<T> {
  return z.custom<T>();
}

/** A JSON value (checked to be JSON) of type `T`, for records kept in jsonb and checked when written. */
export function json<T>(): Exact<T> {
  return z.json() as unknown as Exact<T>;
}

/** A string of the union `T` (checked to be a string; the union is the code's own). */
export function stringOf<T extends string>(): Exact<T> {
  return z.string() as unknown as Exact<T>;
}
