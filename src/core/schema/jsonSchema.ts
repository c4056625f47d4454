// JSON values checked against JSON schemas with ajv: the settings and task definitions that
// package.json declares (so the schema VS Code shows and the check the code does are one), and the
// JSON files the toolkit writes itself and reads back later (a file from another version, or cut
// short, is then treated as absent instead of being trusted). Each problem comes as a phrase that a
// caller puts after the name of the setting or field.
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { listChoices } from './listChoices';

export type JsonSchema = Readonly<Record<string, unknown>>;

// verbose: each error carries the value and the schema it failed, for the messages below.
const ajv = new Ajv({ allErrors: true, verbose: true });
// VS Code's own keywords in package.json schemas: annotations, not checks.
ajv.addVocabulary([
  'markdownDescription',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'scope',
  'patternErrorMessage',
  'deprecationMessage',
  'order',
]);

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validator(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export interface SchemaProblem {
  /** Where in the value: [] for the value itself, ['params', '0'] for an item of a property. */
  path: string[];
  /** `should be a string, not number 42`, `wants NAME=VALUE without spaces, not "a b"`. */
  message: string;
}

/** What is wrong with `value` under `schema`; empty when nothing is. */
export function schemaProblems(schema: JsonSchema, value: unknown): SchemaProblem[] {
  const validate = validator(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => ({ path: error.instancePath.split('/').slice(1), message: phrase(error) }));
}

/** Whether `value` fits `schema` (then it may be used as T). */
export function fitsSchema<T>(schema: JsonSchema, value: unknown): value is T {
  return validator(schema)(value);
}

const ARTICLES: Record<string, string> = { array: 'an array', object: 'an object', integer: 'an integer' };

function phrase(error: ErrorObject): string {
  const actual = describeValue(error.data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `should be ${String(params.type)
        .split(',')
        .map((type) => ARTICLES[type] ?? `a ${type}`)
        .join(' or ')}, not ${actual}`;
    case 'enum':
      return `should be ${listChoices((params.allowedValues as unknown[]).map((allowed) => JSON.stringify(allowed)))}, not ${actual}`;
    case 'pattern': {
      const wanted = (error.parentSchema as { patternErrorMessage?: string } | undefined)?.patternErrorMessage;
      return `wants ${wanted ?? `text matching ${String(params.pattern)}`}, not ${actual}`;
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return `should be ${String(params.comparison)} ${String(params.limit)}, not ${actual}`;
    case 'minLength':
      return 'should not be empty';
    case 'required':
      return `needs "${String(params.missingProperty)}"`;
    default:
      return `${error.message ?? 'is not valid'} (${actual})`;
  }
}

/** A value as a message shows it: `"text"`, `number 42`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  return typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * A JSON file the toolkit wrote itself, read back: undefined when it is missing, not JSON, or does
 * not fit `schema` (written by another version, or cut short), so callers treat it as absent.
 */
export function readJsonFile<T>(file: string, schema: JsonSchema): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  return fitsSchema<T>(schema, value) ? value : undefined;
}
