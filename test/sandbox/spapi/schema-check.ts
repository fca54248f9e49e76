/**
 * A small, strict Swagger 2.0 response checker for the sandbox's own tests: validates a JSON body
 * against an operation's response schema in Amazon's model files (type, required, enum, and no
 * properties the model does not name). `allOf` parts are merged. Only what the models use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../repo-root';

export const MODELS_DIR = path.join(REPO_ROOT, 'test', 'contract', 'models', 'amazon-sp-api');

interface Schema {
	$ref?: string;
	type?: string;
	properties?: Record<string, Schema>;
	required?: string[];
	items?: Schema;
	enum?: unknown[];
	allOf?: Schema[];
	additionalProperties?: boolean | Schema;
}

export interface Model {
	paths: Record<string, Record<string, { responses: Record<string, { schema?: Schema }> }>>;
	definitions: Record<string, Schema>;
}

const cache = new Map<string, Model>();

function load(file: string): Model {
	let model = cache.get(file);
	if (!model) {
		model = JSON.parse(fs.readFileSync(path.join(MODELS_DIR, file), 'utf8')) as Model;
		cache.set(file, model);
	}
	return model;
}

function resolve(model: Model, schema: Schema): Schema {
	let s = schema;
	while (s.$ref) s = model.definitions[s.$ref.replace('#/definitions/', '')];
	if (s.allOf) {
		const merged: Schema = { type: 'object', properties: {}, required: [] };
		for (const part of s.allOf) {
			const r = resolve(model, part);
			Object.assign(merged.properties!, r.properties ?? {});
			merged.required!.push(...(r.required ?? []));
		}
		return merged;
	}
	return s;
}

function check(model: Model, schema: Schema, value: unknown, at: string, out: string[]): void {
	const s = resolve(model, schema);
	const type = s.type ?? (s.properties ? 'object' : undefined);
	if (s.enum && !s.enum.includes(value)) out.push(`${at}: ${JSON.stringify(value)} not in enum ${JSON.stringify(s.enum)}`);
	switch (type) {
		case 'object': {
			if (!value || typeof value !== 'object' || Array.isArray(value)) {
				out.push(`${at}: expected object`);
				return;
			}
			const o = value as Record<string, unknown>;
			for (const r of s.required ?? []) if (!(r in o)) out.push(`${at}: missing required ${r}`);
			for (const [k, v] of Object.entries(o)) {
				const p = s.properties?.[k];
				if (p) check(model, p, v, `${at}.${k}`, out);
				else if (s.additionalProperties && typeof s.additionalProperties === 'object') check(model, s.additionalProperties, v, `${at}.${k}`, out);
				else if (s.properties || s.additionalProperties === false) out.push(`${at}: unknown property ${k}`);
			}
			return;
		}
		case 'array':
			if (!Array.isArray(value)) out.push(`${at}: expected array`);
			else value.forEach((v, i) => check(model, s.items ?? {}, v, `${at}[${i}]`, out));
			return;
		case 'string':
			if (typeof value !== 'string') out.push(`${at}: expected string, got ${JSON.stringify(value)}`);
			return;
		case 'integer':
			if (!Number.isInteger(value)) out.push(`${at}: expected integer, got ${JSON.stringify(value)}`);
			return;
		case 'number':
			if (typeof value !== 'number') out.push(`${at}: expected number, got ${JSON.stringify(value)}`);
			return;
		case 'boolean':
			if (typeof value !== 'boolean') out.push(`${at}: expected boolean, got ${JSON.stringify(value)}`);
			return;
		default:
	}
}

/** Problems of `body` against the model's response schema (empty = conforms). */
export function checkResponse(modelFile: string, template: string, method: string, status: number, body: unknown): string[] {
	return checkResponseWithModel(load(modelFile), template, method, status, body, modelFile);
}

/** Same, against a model object (e.g. the inferred Sellers model, which is not vendored). */
export function checkResponseWithModel(model: Model, template: string, method: string, status: number, body: unknown, modelFile = 'model'): string[] {
	const op = model.paths[template]?.[method.toLowerCase()];
	if (!op) return [`no operation ${method} ${template} in ${modelFile}`];
	const schema = op.responses[String(status)]?.schema;
	if (!schema) return body === undefined ? [] : [`no schema for ${status}`];
	const out: string[] = [];
	check(model, schema, body, '$', out);
	return out;
}
