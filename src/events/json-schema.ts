import * as z from 'zod';
import { DATE_JSON_PATTERN, DATE_TIME_JSON_PATTERN } from './instant-schema.js';
import { EventRegistry } from './registry.js';

/**
 * The JSON Schema (draft 2020-12) of the event format, generated from the same zod schemas that
 * validate events, so it cannot drift from the code. `heed schema` prints it.
 */
export function eventJsonSchema(registry: EventRegistry = new EventRegistry()): Record<string, unknown> {
  const variants = registry.types().map((type) => {
    const definition = registry.get(type);
    const data = definition === undefined ? {} : stripMeta(z.toJSONSchema(definition.schema, { io: 'input', unrepresentable: 'any' }));
    return {
      title: type,
      properties: { type: { const: type }, data },
      ...(hasRequired(data) ? { required: ['data'] } : {}),
    };
  });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://heed.dev/schema/event.json',
    title: 'heed event',
    description: 'One customer-relationship event (one JSONL line). See the README of the heed package, § Events.',
    type: 'object',
    required: ['customerId', 'type', 'at'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 200, description: 'Unique in the stream; assigned as "<customerId>:<streamVersion>" when absent.' },
      customerId: { type: 'string', minLength: 1, maxLength: 200 },
      type: { type: 'string', enum: registry.types() },
      at: {
        description: 'ISO-8601 date-time with Z or an offset, or a date meaning 00:00 of that day in the calendar time zone.',
        anyOf: [
          { type: 'string', pattern: DATE_TIME_JSON_PATTERN },
          { type: 'string', format: 'date', pattern: DATE_JSON_PATTERN },
        ],
      },
      data: { type: 'object' },
      meta: { type: 'object', description: 'Free-form: source system, actor, correlationId, causationId.' },
    },
    oneOf: variants,
  };
}

function stripMeta(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

function hasRequired(schema: Record<string, unknown>): boolean {
  return Array.isArray(schema['required']) && schema['required'].length > 0;
}
