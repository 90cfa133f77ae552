/**
 * Builds a valid structured answer from the JSON schema a request carries (OpenAI
 * `response_format.json_schema.schema`, or a tool's `parameters`/`input_schema`), so
 * that scripted model answers follow the analyzer's schema as it evolves. Fields named
 * in `texts` get those values; other strings get a neutral sentence.
 */
import type { RecordedRequest } from "./llm-server.js";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  minItems?: number;
};

export function schemaOf(request: RecordedRequest): JsonSchema | undefined {
  const body = request.body as Record<string, any>;
  return (
    body.response_format?.json_schema?.schema ??
    body.tools?.[0]?.function?.parameters ??
    body.tools?.[0]?.input_schema ??
    undefined
  );
}

export function answerFromSchema(schema: JsonSchema, texts: Record<string, unknown> = {}, name = ""): unknown {
  if (name in texts) return texts[name];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return answerFromSchema(schema.anyOf[0]!, texts, name);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) out[key] = answerFromSchema(child, texts, key);
      return out;
    }
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => answerFromSchema(schema.items ?? {}, texts, `${name}[]`));
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return false;
    default:
      return "The change is described in the commit message.";
  }
}
