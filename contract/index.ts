// The HTTP contract (v1) as zod schemas: the server validates with them, the client parses what it
// receives with them and the OpenAPI document is generated from them. `.meta({ id })` names a component
// in that document. Only zod and the machine's own schemas (machines/schemas) are imported, so the
// browser bundle can use every file here; lint enforces it.
export * from './common.ts';
export * from './problem.ts';
export * from './session.ts';
export * from './families.ts';
export * from './events.ts';
export * from './audit.ts';
export * from './oversight.ts';
export * from './system.ts';
export * from './descriptions.ts';
export * from './examples.ts';
export * from './admin.ts';
export * from './myFamily.ts';
