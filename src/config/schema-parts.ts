// TypeBox shorthands the config schema is written with: every key gets a description, objects
// refuse unknown keys.
import { Type, type TSchema, type TProperties } from '@sinclair/typebox';

export const obj = <T extends TProperties>(description: string, properties: T) =>
  Type.Object(properties, { description, additionalProperties: false });
export const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
export const str = (description: string, extra: object = {}) => Type.String({ description, minLength: 1, ...extra });
export const num = (description: string, extra: object = {}) => Type.Number({ description, ...extra });
export const ratio = (description: string) => Type.Number({ description, minimum: 0, maximum: 1 });
export const choice = <const T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
export const nullable = (schema: { minimum?: number; maximum?: number; exclusiveMinimum?: number }) =>
  Type.Unsafe<number | null>({ type: ['number', 'null'], ...schema });
export const list = <T extends TSchema>(description: string, item: T, extra: object = {}) =>
  Type.Array(item, { description, ...extra });

export const NAME_PATTERN = '^[a-z][a-z0-9_-]{0,62}$';
export const name = (description: string) => str(description, { pattern: NAME_PATTERN });
export const DURATION_PATTERN = '^[0-9]+(ms|s|m|h|d|w)$';
export const duration = (description: string) => str(`${description} A duration such as 30s, 5m, 1h, 7d.`, { pattern: DURATION_PATTERN });
