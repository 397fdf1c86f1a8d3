import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

// Read straight from the document (not through the server's own loader), so tests check the
// server against openapi.yaml rather than against itself.
export const document = parse(readFileSync(new URL('../../../examples/sample-backend/openapi.yaml', import.meta.url), 'utf8'));

const COMPONENTS = 'urn:test:components';
const rewrite = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) =>
    [key, key === '$ref' ? String(item).replace('#/components/schemas/', `${COMPONENTS}#/$defs/`) : rewrite(item)]));
};
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
((addFormatsModule as unknown as { default?: (a: Ajv2020) => void }).default ?? (addFormatsModule as unknown as (a: Ajv2020) => void))(ajv);
ajv.addSchema({ $id: COMPONENTS, $defs: rewrite(document.components.schemas) as object });
const validators = new Map<string, ValidateFunction>();

/** A strict validator for `#/components/schemas/<Name>` of openapi.yaml. */
export function validatorFor(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: ref.replace('#/components/schemas/', `${COMPONENTS}#/$defs/`) });
    validators.set(ref, validate);
  }
  return validate;
}
