// What each method this server handles needs in its params, checked before a handler runs, so that
// a malformed message gets an InvalidParams answer that names the field (`params.position.line must
// be a non-negative integer`) instead of a JavaScript TypeError from deep inside a handler.
// Only the fields the handlers read are checked; optional fields are checked when present.

type Check = (value: unknown, path: string) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return `got ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

const string: Check = (value, path) => (typeof value === 'string' ? undefined : `${path} must be a string (${describe(value)})`);
const integer: Check = (value, path) => (Number.isInteger(value) ? undefined : `${path} must be an integer (${describe(value)})`);
const uinteger: Check = (value, path) =>
  Number.isInteger(value) && (value as number) >= 0 ? undefined : `${path} must be a non-negative integer (${describe(value)})`;

function object(fields: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (value, path) => {
    if (!isObject(value)) return `${path} must be an object (${describe(value)})`;
    for (const [name, check] of Object.entries(fields)) {
      const problem = check(value[name], `${path}.${name}`);
      if (problem) return problem;
    }
    for (const [name, check] of Object.entries(optional)) {
      if (value[name] === undefined) continue;
      const problem = check(value[name], `${path}.${name}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function array(item: Check): Check {
  return (value, path) => {
    if (!Array.isArray(value)) return `${path} must be an array (${describe(value)})`;
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

const anything: Check = () => undefined;
const position = object({ line: uinteger, character: uinteger });
const range = object({ start: position, end: position });
const documentId = object({ uri: string });
const positionParams = object({ textDocument: documentId, position });

const CHECKS: Readonly<Record<string, Check>> = {
  initialize: object({ capabilities: object({}) }),
  'textDocument/didOpen': object({ textDocument: object({ uri: string, languageId: string, version: integer, text: string }) }),
  'textDocument/didChange': object({
    textDocument: object({ uri: string, version: integer }),
    contentChanges: array(object({ text: string }, { range })),
  }),
  'textDocument/didClose': object({ textDocument: documentId }),
  'textDocument/hover': positionParams,
  'textDocument/completion': positionParams,
  'textDocument/codeAction': object({
    textDocument: documentId,
    range,
    context: object({ diagnostics: array(object({ range, message: string })) }),
  }),
  'textDocument/diagnostic': object({ textDocument: documentId }, { previousResultId: string }),
  'workspace/didChangeConfiguration': object({}, { settings: anything }),
};

/** What is wrong with `params` for `method`, or undefined (also for methods not listed here). */
export function checkParams(method: string, params: unknown): string | undefined {
  const check = CHECKS[method];
  return check ? check(params, 'params') : undefined;
}
