import { findObject, OBJECTS, TENANT_PICKLISTS } from '../domain/objects.ts';
import { findPicklist } from '../domain/picklists.ts';
import { NotFoundError } from '../errors.ts';
import { param, readPage } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';

function listObjects({ query }: HandlerInput) {
  const { limit, offset } = readPage(query);
  const data = OBJECTS.slice(offset, offset + limit).map((object) => ({
    name: object.name, label: object.label, description: object.description, field_count: object.fields.length, queryable: true,
  }));
  return { data, total: OBJECTS.length, limit, offset };
}

function getObjectMetadata(input: HandlerInput) {
  const name = param(input, 'objectName');
  const object = findObject(name);
  if (object === undefined) throw new NotFoundError('object', name);
  return {
    name: object.name, label: object.label, description: object.description,
    fields: object.fields.map((field) => ({ ...field, filterable: true, sortable: true })),
  };
}

function getPicklist(input: HandlerInput) {
  const name = param(input, 'picklistName');
  const fixed = findPicklist(name);
  if (fixed !== undefined) {
    return { name, label: fixed.label, source: 'system', values: fixed.values.map((value) => ({ ...value, active: true })) };
  }
  const configured = TENANT_PICKLISTS[name];
  if (configured === undefined) throw new NotFoundError('picklist', name);
  const values = input.store.all<{ value: string; label: string }>(configured.sql, [input.tenantId]);
  return { name, label: configured.label, source: 'tenant', values: values.map((value) => ({ value: value.value, label: value.label, active: true })) };
}

export const metadataHandlers = { listObjects, getObjectMetadata, getPicklist };
