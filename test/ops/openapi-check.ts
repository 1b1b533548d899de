// Structural checks of an OpenAPI 3.0 document: the rules client generators trip over when broken
// (version, info, path templates with declared path parameters, responses with descriptions, unique
// operation ids, $refs that resolve). Returns a list of problems, empty when the document is sound.
type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const PATH_ITEM_KEYS = new Set([...METHODS, 'parameters', 'summary', 'description', 'servers', '$ref']);

function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

function collectRefs(node: unknown, out: string[]): void {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, out);
  else if (isObj(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else collectRefs(value, out);
    }
  }
}

export function openApiProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isObj(doc)) return ['not an object'];
  if (typeof doc.openapi !== 'string' || !/^3\.\d+\.\d+$/.test(doc.openapi)) problems.push(`openapi version "${String(doc.openapi)}"`);
  if (!isObj(doc.info) || typeof doc.info.title !== 'string' || typeof doc.info.version !== 'string') {
    problems.push('info needs a title and a version');
  }
  if (!isObj(doc.paths)) return [...problems, 'no paths object'];

  const operationIds = new Set<string>();
  for (const [template, item] of Object.entries(doc.paths)) {
    if (!template.startsWith('/')) problems.push(`${template}: path must start with /`);
    if (/:\w/.test(template)) problems.push(`${template}: path parameter not in {braces}`);
    if (!isObj(item)) {
      problems.push(`${template}: not a path item`);
      continue;
    }
    const templateParams = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    for (const [key, operation] of Object.entries(item)) {
      if (!PATH_ITEM_KEYS.has(key)) problems.push(`${template}: unknown key ${key}`);
      if (!METHODS.has(key)) continue;
      const where = `${key.toUpperCase()} ${template}`;
      if (!isObj(operation)) {
        problems.push(`${where}: not an operation`);
        continue;
      }
      if (typeof operation.operationId === 'string') {
        if (operationIds.has(operation.operationId)) problems.push(`${where}: duplicate operationId ${operation.operationId}`);
        operationIds.add(operation.operationId);
      }
      const params: unknown[] = [
        ...(Array.isArray(item.parameters) ? (item.parameters as unknown[]) : []),
        ...(Array.isArray(operation.parameters) ? (operation.parameters as unknown[]) : []),
      ];
      for (const param of params) {
        if (!isObj(param) || typeof param.name !== 'string' || !['path', 'query', 'header', 'cookie'].includes(String(param.in))) {
          problems.push(`${where}: malformed parameter ${JSON.stringify(param)}`);
        } else if (param.in === 'path' && (param.required !== true || !templateParams.includes(param.name))) {
          problems.push(`${where}: path parameter ${param.name} must be required and appear in the path`);
        }
      }
      for (const name of templateParams) {
        if (!params.some((param) => isObj(param) && param.in === 'path' && param.name === name)) {
          problems.push(`${where}: path parameter {${name}} is not declared`);
        }
      }
      if (!isObj(operation.responses) || Object.keys(operation.responses).length === 0) {
        problems.push(`${where}: no responses`);
        continue;
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where}: response key ${status}`);
        if (!isObj(response) || (typeof response.description !== 'string' && typeof response.$ref !== 'string')) {
          problems.push(`${where}: response ${status} needs a description`);
        }
      }
    }
  }

  const refs: string[] = [];
  collectRefs(doc, refs);
  for (const ref of new Set(refs)) {
    if (resolvePointer(doc, ref) === undefined) problems.push(`unresolved $ref ${ref}`);
  }
  return problems;
}
