import { InvalidFieldError, MissingFieldError } from '../errors.ts';
import type { CustomFieldDefinition } from './catalog.ts';

function matchesType(definition: CustomFieldDefinition, value: unknown): boolean {
  switch (definition.type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'date': return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
    case 'picklist': return typeof value === 'string' && (definition.options ?? []).includes(value);
  }
}

function expected(definition: CustomFieldDefinition): string {
  if (definition.type === 'picklist') return `one of: ${(definition.options ?? []).join(', ')}`;
  if (definition.type === 'date') return 'a date (YYYY-MM-DD)';
  return `a ${definition.type}`;
}

/**
 * Checks custom field values against their definitions: unknown names and wrong types are
 * `invalid_field`, mandatory ones (by name) are `missing_field`. `null` clears an optional field.
 */
export function validateCustomFields(
  definitions: readonly CustomFieldDefinition[], values: Readonly<Record<string, unknown>>, owner: string,
): void {
  for (const [name, value] of Object.entries(values)) {
    const definition = definitions.find((candidate) => candidate.name === name);
    const field = `custom_fields.${name}`;
    if (definition === undefined) {
      const known = definitions.map((candidate) => candidate.name).join(', ') || 'none';
      throw new InvalidFieldError(field, `unknown custom field '${name}' for ${owner}; defined: ${known}`);
    }
    if (value !== null && !matchesType(definition, value)) {
      throw new InvalidFieldError(field, `field '${field}' must be ${expected(definition)}`);
    }
  }
  for (const definition of definitions) {
    const value = values[definition.name];
    if (definition.required && (value === undefined || value === null || value === '')) {
      throw new MissingFieldError(`custom_fields.${definition.name}`, `field 'custom_fields.${definition.name}' is required for ${owner}`);
    }
  }
}
