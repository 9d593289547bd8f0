import fc from 'fast-check';
import * as z from 'zod';

/** The subset of JSON Schema that `z.toJSONSchema` writes for this API's request schemas. */
interface JsonSchema {
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
  readonly type?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
}

const DATE_RANGE = {
  min: new Date('2023-06-01T00:00:00Z'),
  max: new Date('2027-06-01T00:00:00Z'),
  noInvalidDate: true,
};

/**
 * Values shaped by a zod schema, for property tests: mostly valid, so requests get past validation
 * and reach the domain rules and the database, where a 5xx would hide.
 */
export function arbitraryFor(schema: z.core.$ZodType): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return fromJsonSchema(json, json.$defs ?? {});
}

/** Like `arbitraryFor`, but one node somewhere in the value is replaced by arbitrary JSON. */
export function mutatedArbitraryFor(schema: z.core.$ZodType): fc.Arbitrary<unknown> {
  return fc
    .tuple(arbitraryFor(schema), fc.jsonValue({ maxDepth: 2 }), fc.nat(), fc.boolean())
    .map(([value, junk, pick, asExtraField]) => replaceNode(value, junk, pick, asExtraField));
}

function fromJsonSchema(
  schema: JsonSchema,
  defs: Readonly<Record<string, JsonSchema>>,
): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const target = defs[schema.$ref.replace('#/$defs/', '')];
    return target ? fromJsonSchema(target, defs) : fc.jsonValue();
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromJsonSchema(s, defs)));
  switch (schema.type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, 3));
      return fc.array(schema.items ? fromJsonSchema(schema.items, defs) : fc.jsonValue(), {
        minLength,
        maxLength,
      });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, fromJsonSchema(s, defs)])),
        { requiredKeys: (schema.required ?? []).filter((key) => key in properties) },
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'date':
      return fc.date(DATE_RANGE).map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc.date(DATE_RANGE).map((d) => d.toISOString());
    case 'uuid':
      return fc.uuid();
    default:
      break;
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, schema.maxLength ?? 200);
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((s) => s.length >= minLength && s.length <= maxLength);
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 60) });
}

/** Replaces the `pick`-th node (depth first) with `junk`, or adds it as an unknown field. */
function replaceNode(value: unknown, junk: unknown, pick: number, asExtraField: boolean): unknown {
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        nodes.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        nodes.push({ parent: node as Record<string, unknown>, key });
        walk(child);
      }
    }
  };
  const copy = structuredClone(value);
  walk(copy);
  const target = nodes[pick % Math.max(nodes.length, 1)];
  if (!target) return junk;
  if (asExtraField && !Array.isArray(target.parent)) {
    target.parent.unexpected = junk;
  } else {
    (target.parent as Record<string | number, unknown>)[target.key] = junk;
  }
  return copy;
}
