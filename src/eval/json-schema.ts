/**
 * A validator for the small JSON Schema subset in `types.ts` (type, properties, required,
 * additionalProperties, items, enum, numeric and length bounds). Enough for the instruction suite
 * and user checkers; it reports the first violation with its JSON path so a report can say why.
 */
import type { JsonSchema } from "./types.ts";

/** Returns undefined when `value` validates, else a message naming the first failing path. */
export function validateJsonSchema(value: unknown, schema: JsonSchema, path = "$"): string | undefined {
  if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    return `${path} must be one of ${JSON.stringify(schema.enum)}`;
  }
  if (schema.type && !hasType(value, schema.type)) return `${path} must be ${schema.type === "integer" ? "an integer" : `of type ${schema.type}`}`;
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) return `${path} must be ≥ ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${path} must be ≤ ${schema.maximum}`;
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) return `${path} must have at least ${schema.minLength} characters`;
    if (schema.maxLength !== undefined && length > schema.maxLength) return `${path} must have at most ${schema.maxLength} characters`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${path} must have at least ${schema.minItems} items`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${path} must have at most ${schema.maxItems} items`;
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        const error = validateJsonSchema(value[i], schema.items, `${path}[${i}]`);
        if (error) return error;
      }
    }
  }
  if (isPlainObject(value)) {
    for (const key of schema.required ?? []) {
      if (!(key in value)) return `${path}.${key} is required`;
    }
    for (const [key, child] of Object.entries(value)) {
      const property = schema.properties?.[key];
      if (property) {
        const error = validateJsonSchema(child, property, `${path}.${key}`);
        if (error) return error;
      } else if (schema.additionalProperties === false) {
        return `${path}.${key} is not allowed`;
      }
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: NonNullable<JsonSchema["type"]>): boolean {
  switch (type) {
    case "object":
      return isPlainObject(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}
